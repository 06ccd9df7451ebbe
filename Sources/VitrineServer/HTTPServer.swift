// The HTTP listener of `vitrine serve`: a Hummingbird application in its own service group.
// The group listens to no signals itself: `vitrine serve` owns SIGTERM/SIGINT and stops the
// RTMP side and the jobs in order, then calls stop() here, which drains open requests.
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

public enum HTTPServerError: Error, CustomStringConvertible {
    case stoppedBeforeListening(host: String, port: Int)

    public var description: String {
        switch self {
        case let .stoppedBeforeListening(host, port): return "http server on \(host):\(port) stopped before it listened"
        }
    }
}

/// start() then stop(), from one caller (ServeCommand, which waits for each): the two stored
/// tasks are set and read in that order only.
public final class HTTPServer: @unchecked Sendable {
    private let host: String
    private let port: Int
    private let router: Router<BasicRequestContext>
    private let readiness: Readiness
    private let logger: Logger
    private var group: ServiceGroup?
    private var task: Task<Void, Never>?

    public init(host: String, port: Int, origin: HLSOrigin, readiness: Readiness, control: ControlRoutes? = nil,
                metrics: ServeMetrics? = nil, logger: Logger) {
        self.host = host
        self.port = port
        self.readiness = readiness
        self.logger = logger
        router = OriginRoutes.router(origin: origin, readiness: readiness, control: control, metrics: metrics)
    }

    /// Binds and returns the port (the chosen one when asked for port 0); throws when the
    /// address cannot be bound.
    public func start() async throws -> Int {
        let outcome = StartOutcome()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "vitrine"),
            onServerRunning: { channel in outcome.finish(.success(channel.localAddress?.port ?? 0)) },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        self.group = group
        let host = host, port = port, logger = logger
        task = Task {
            do {
                try await group.run()
                outcome.finish(.failure(HTTPServerError.stoppedBeforeListening(host: host, port: port)))
            } catch {
                logger.error("http server failed", metadata: ["error": "\(error)"])
                outcome.finish(.failure(error))
            }
        }
        let bound = try await outcome.value()
        readiness.httpDidStart()
        logger.info("http server listening", metadata: ["host": "\(host)", "port": "\(bound)"])
        return bound
    }

    /// Stops accepting, lets requests in flight finish, and waits for the server to close.
    public func stop() async {
        await group?.triggerGracefulShutdown()
        await task?.value
    }
}
