// Blocking work in a request (reading a file from disk, writing an upload, realpath) runs on
// NIO's blocking thread pool, not on the cooperative pool every async handler shares: a slow
// disk then delays the one request that needs it, not every request and every waiting
// blocking reload at once.
import NIOPosix

enum OffPool {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}
