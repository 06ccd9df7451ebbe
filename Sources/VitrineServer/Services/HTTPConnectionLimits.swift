// Bounds on what one HTTP client can hold: a deadline for each request head, and a cap on open
// connections. Hummingbird's idle timeout counts reads, so a client that trickles one header
// byte at a time (slowloris) is never idle; the head deadline is a wall-clock bound instead.
import Hummingbird
import HummingbirdCore
import HTTPTypes
import Logging
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request head has not been decoded within `timeout` of the
/// connection opening or of its previous response ending. While a request is being answered
/// (a blocking playlist reload may be held for seconds) nothing is timed.
final class RequestHeadDeadline: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let timeout: TimeAmount
    private let logger: Logger
    private var timer: Scheduled<Void>?

    init(timeout: TimeAmount, logger: Logger) {
        self.timeout = timeout
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) { arm(context) }

    func handlerRemoved(context: ChannelHandlerContext) { disarm() }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { disarm() }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { arm(context) }
        context.write(data, promise: promise)
    }

    private func arm(_ context: ChannelHandlerContext) {
        disarm()
        let channel = context.channel, logger = logger, seconds = Double(timeout.nanoseconds) / 1e9
        timer = context.eventLoop.scheduleTask(in: timeout) {
            logger.info("http connection closed", metadata: [
                "peer": "\(channel.remoteAddress?.ipAddress ?? "?")",
                "reason": "no complete request head within \(seconds) s",
            ])
            channel.close(promise: nil)
        }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }
}

/// Hummingbird's accept gate: at the cap the server stops accepting (new connections wait in the
/// listen backlog) until one closes. Logged once each time the cap is reached.
struct HTTPConnectionCap: AvailableConnectionsDelegate {
    let limit: Int
    let logger: Logger
    private var open = 0

    init(limit: Int, logger: Logger) {
        self.limit = limit
        self.logger = logger
    }

    mutating func connectionOpened() {
        open += 1
        if open == limit {
            logger.warning("http connection cap reached; new connections wait until one closes", metadata: ["cap": "\(limit)"])
        }
    }

    mutating func connectionClosed() { open -= 1 }

    func isAcceptingNewConnections() -> Bool { open < limit }
}
