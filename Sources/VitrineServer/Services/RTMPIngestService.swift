// The RTMP listener as a service of `vitrine serve`'s group. Started with the group; on graceful
// shutdown (SIGTERM/SIGINT, or another service failing) it is the first to stop: no new
// publishes, then every live job flushes and its playlists get EXT-X-ENDLIST.
import Foundation
import Logging
import ServiceLifecycle
import VitrinePipeline
import VitrineRTMP

public final class RTMPIngestService: Service, @unchecked Sendable {
    private let server: RTMPServer
    private let ingest: LiveIngest
    private let readiness: Readiness
    private let address: ListenAddress
    private let lock = NSLock()
    private var bound: Int?

    public init(server: RTMPServer, ingest: LiveIngest, readiness: Readiness, address: ListenAddress) {
        self.server = server
        self.ingest = ingest
        self.readiness = readiness
        self.address = address
    }

    /// The address publishers use: the bound port once listening (port 0 picks one).
    public var listenAddress: ListenAddress {
        ListenAddress(host: address.host, port: lock.withLock { bound } ?? address.port)
    }

    public func run() async throws {
        let port: Int
        do {
            port = try await server.start()
        } catch {
            throw ConfigurationError("rtmp \(address.host):\(address.port): cannot listen: \(error)")
        }
        lock.withLock { bound = port }
        readiness.rtmpDidStart()
        // Returns on graceful shutdown, throws on cancellation: either way, stop in order.
        try? await gracefulShutdown()
        readiness.shutdownBegan()
        try? await server.stop()
        await offload { self.ingest.shutdown() }
    }
}

/// Runs blocking work (waiting for jobs to flush) off the cooperative pool.
func offload(_ body: @escaping @Sendable () -> Void) async {
    await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
        Thread.detachNewThread {
            body()
            done.resume()
        }
    }
}
