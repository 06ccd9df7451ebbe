// `vitrine serve` as one service group: HTTP (Hummingbird), the job supervisor and the RTMP
// ingest. The group owns SIGTERM/SIGINT and stops services in reverse order of this list, each
// after the one before has finished: RTMP first (no new publishes, live jobs flushed and ended),
// then the supervisor (file jobs stopped), then HTTP, so players can fetch the ended playlists.
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

public enum ServeServices {
    public static func group(http: ListenAddress, origin: HLSOrigin, control: ControlRoutes, metrics: ServeMetrics,
                             rtmp: RTMPIngestService, readiness: Readiness, logger: Logger) -> ServiceGroup {
        let httpLogger = Logger(label: "vitrine.http")
        // An HTTP connection with no traffic for httpIdleTimeoutSeconds is closed.
        let limits = control.supervisor.configuration
        let idle = TimeAmount.milliseconds(Int64(limits.httpIdleTimeoutSeconds * 1000))
        let headTimeout = TimeAmount.milliseconds(Int64(limits.httpHeaderTimeoutSeconds * 1000))
        let writeTimeout = TimeAmount.milliseconds(Int64(limits.httpWriteTimeoutSeconds * 1000))
        // One table for every connection; each gets its own handlers (the closure runs per connection).
        let perAddress = HTTPAddressCap(limit: limits.httpMaxConnectionsPerAddress, logger: httpLogger)
        let app = Application(
            router: OriginRoutes.router(origin: origin, readiness: readiness, control: control, metrics: metrics),
            server: .http1(configuration: .init(
                additionalChannelHandlers: [
                    HTTPAddressCapHandler(cap: perAddress),
                    RequestHeadDeadline(timeout: headTimeout, logger: httpLogger),
                    ResponseWriteDeadline(timeout: writeTimeout, logger: httpLogger),
                ], idleTimeout: idle)),
            configuration: .init(address: .hostname(http.host, port: http.port), serverName: "vitrine",
                                 availableConnectionsDelegate: HTTPConnectionCap(limit: limits.httpMaxConnections, logger: httpLogger)),
            onServerRunning: { channel in
                readiness.httpDidStart()
                httpLogger.info("http server listening", metadata: ["host": "\(http.host)", "port": "\(channel.localAddress?.port ?? 0)"])
            },
            logger: httpLogger
        )
        return ServiceGroup(configuration: .init(
            services: [
                .init(service: app, serviceName: "http"),
                .init(service: JobSupervisorService(supervisor: control.supervisor, viewers: control.viewers), serviceName: "jobs"),
                .init(service: rtmp, serviceName: "rtmp"),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
    }
}
