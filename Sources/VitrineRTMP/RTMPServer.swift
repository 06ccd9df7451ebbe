// RTMPServer: TCP listener for RTMP publishers (Adobe RTMP spec 1.0, over TCP as section 1
// describes) on SwiftNIO's ServerBootstrap; one RTMPChannelHandler per connection.

import Foundation
import Logging
import NIOCore
import NIOPosix

/// A value behind a lock; NIOConcurrencyHelpers is not a product this module may depend on.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLockedValue<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

/// Which app/key pairs are publishing right now, shared by all connections of one server, so a
/// second publisher on the same key is refused.
final class RTMPPublishRegistry: Sendable {
    private let active = LockedBox<Set<String>>([])

    private static func name(_ p: RTMPPublication) -> String { "\(p.app.value)/\(p.key.value)" }

    func claim(_ publication: RTMPPublication) -> Bool {
        active.withLockedValue { $0.insert(Self.name(publication)).inserted }
    }

    func release(_ publication: RTMPPublication) {
        _ = active.withLockedValue { $0.remove(Self.name(publication)) }
    }
}

public final class RTMPServer: Sendable {
    public struct Configuration: Sendable {
        /// Listen address; keep it on loopback unless a proxy fronts the worker.
        public var host = "127.0.0.1"
        /// 0 picks an ephemeral port; read it back from `start()`.
        public var port = 1935
        public var session = RTMPSessionConfiguration()
        /// How often deadlines are checked.
        public var tickIntervalMilliseconds: Int64 = 250
        /// Connections open at once, in all and per remote address.
        public var maxConnections = 1000
        public var maxConnectionsPerAddress = 32

        public init() {}
    }

    private let configuration: Configuration
    private let delegate: RTMPPublishDelegate
    private let group: EventLoopGroup
    private let logger: Logger
    private let registry = RTMPPublishRegistry()
    private let channel = LockedBox<Channel?>(nil)
    private let connectionCounter = LockedBox<UInt64>(0)
    /// Open connections by id, so an operator can cut one off (a revoked stream key).
    private let connections = LockedBox<[UInt64: Channel]>([:])
    private let caps: LockedBox<ConnectionCaps>

    public init(configuration: Configuration, delegate: RTMPPublishDelegate,
                group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                logger: Logger = Logger(label: "vitrine.rtmp")) {
        self.configuration = configuration
        self.delegate = delegate
        self.group = group
        self.logger = logger
        caps = LockedBox(ConnectionCaps(maxConnections: configuration.maxConnections, maxPerAddress: configuration.maxConnectionsPerAddress))
    }

    /// Binds and starts accepting; returns the bound port.
    @discardableResult
    public func start() async throws -> Int {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 64)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in
                // The cap is taken before anything is allocated for the connection.
                let address = channel.remoteAddress?.ipAddress ?? "?"
                if let refusal = caps.withLockedValue({ $0.admit(address) }) {
                    logger.warning("rtmp connection refused", metadata: ["peer": "\(address)", "reason": "\(refusal)"])
                    // Closed as soon as it is active: nothing else is set up for it.
                    return channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(RefusedConnection())
                    }
                }
                channel.closeFuture.whenComplete { [caps] _ in caps.withLockedValue { $0.release(address) } }
                let id = connectionCounter.withLockedValue { counter -> UInt64 in
                    counter += 1
                    return counter
                }
                let handler = RTMPChannelHandler(
                    connectionID: id, configuration: configuration.session, registry: registry,
                    delegate: delegate, tickIntervalMilliseconds: configuration.tickIntervalMilliseconds,
                    logger: logger)
                connections.withLockedValue { $0[id] = channel }
                channel.closeFuture.whenComplete { [connections] _ in
                    _ = connections.withLockedValue { $0.removeValue(forKey: id) }
                }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        let bound = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
        channel.withLockedValue { $0 = bound }
        let port = bound.localAddress?.port ?? configuration.port
        logger.info("rtmp server listening", metadata: ["host": "\(configuration.host)", "port": "\(port)"])
        return port
    }

    /// Closes one connection now (its publish ends with the delegate told, as on a disconnect).
    /// Returns false when no such connection is open.
    @discardableResult
    public func disconnect(connectionID: UInt64) -> Bool {
        guard let channel = connections.withLockedValue({ $0[connectionID] }) else { return false }
        channel.close(promise: nil)
        return true
    }

    /// Ends one connection's publish because the server's job for it failed: the publisher gets
    /// onStatus NetStream.Failed with `reason`, then the connection closes (at once, should the
    /// peer not take the status within a few seconds). Returns false when no such connection is open.
    @discardableResult
    public func failPublish(connectionID: UInt64, reason: String) -> Bool {
        guard let channel = connections.withLockedValue({ $0[connectionID] }) else { return false }
        channel.pipeline.fireUserInboundEventTriggered(RTMPPublishFailure(reason: reason))
        channel.eventLoop.scheduleTask(in: .seconds(3)) { channel.close(promise: nil) }
        return true
    }

    /// Connections open right now (publishing or still in handshake).
    public var openConnections: Int { connections.withLockedValue { $0.count } }

    /// Stops accepting; connections already open run until their peers leave or time out.
    public func stop() async throws {
        let current = channel.withLockedValue { value -> Channel? in
            defer { value = nil }
            return value
        }
        try await current?.close().get()
    }
}

/// The event RTMPServer.failPublish sends down a connection's pipeline.
struct RTMPPublishFailure: Sendable {
    var reason: String
}

/// The only handler of a connection past a cap: it closes the connection once it is active.
final class RefusedConnection: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    func channelActive(context: ChannelHandlerContext) {
        context.close(promise: nil)
    }
}
