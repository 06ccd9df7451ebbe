// The open-file limit against the connection caps. Each HTTP or RTMP connection is a
// descriptor; a shell's soft RLIMIT_NOFILE is often 1024, far below httpMaxConnections (4096),
// so past it accept() fails with EMFILE and every client, not only the flooding one, is refused
// (and NIO backs off accepting). At serve start the soft limit is raised to the hard one, and if
// the caps still do not fit, they are lowered to fit, both logged.
import Foundation
import Logging

public enum OpenFileLimit {
    /// Descriptors kept for everything but client connections: listeners, job process pipes,
    /// files being served, the job store, logs.
    static let reserve = 256

    /// Raises the soft limit to the hard one, logs it, and returns `configuration` with its
    /// connection caps lowered to what the limit holds.
    public static func prepare(_ configuration: ServeConfiguration, logger: Logger) -> ServeConfiguration {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return configuration }
        let before = limit.rlim_cur
        // The hard limit may read as infinity (not on Linux, where nr_open bounds it).
        let target = min(limit.rlim_max, 1 << 20)
        if before < target {
            limit.rlim_cur = target
            if setrlimit(resource, &limit) == 0 {
                logger.info("open-file limit raised", metadata: ["from": "\(before)", "to": "\(target)"])
            } else {
                limit.rlim_cur = before
            }
        }
        let fitted = fit(configuration, descriptors: Int(clamping: limit.rlim_cur))
        if fitted != configuration {
            logger.warning("connection caps lowered to the open-file limit", metadata: [
                "limit": "\(limit.rlim_cur)", "httpMaxConnections": "\(fitted.httpMaxConnections)",
                "rtmpMaxConnections": "\(fitted.rtmpMaxConnections)",
            ])
        }
        return fitted
    }

    /// The caps lowered (never raised) so that HTTP and RTMP connections together, plus the
    /// reserve, fit in `descriptors`; RTMP keeps at most a quarter of what is left.
    static func fit(_ configuration: ServeConfiguration, descriptors: Int) -> ServeConfiguration {
        var c = configuration
        let room = max(2, descriptors - reserve)
        guard c.httpMaxConnections + c.rtmpMaxConnections > room else { return c }
        c.rtmpMaxConnections = max(1, min(c.rtmpMaxConnections, room / 4))
        c.httpMaxConnections = max(1, room - c.rtmpMaxConnections)
        c.rtmpMaxConnectionsPerAddress = min(c.rtmpMaxConnectionsPerAddress, c.rtmpMaxConnections)
        c.httpMaxConnectionsPerAddress = min(c.httpMaxConnectionsPerAddress, c.httpMaxConnections)
        return c
    }

    #if canImport(Glibc)
    private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resource = RLIMIT_NOFILE
    #endif
}
