// Bounds on what one HTTP client can hold: a deadline for each request head, a deadline for a
// response the client stops taking, and a cap on open connections (HTTPAddressCap caps them per
// address). Hummingbird's idle timeout counts reads, so a client that trickles one header byte at
// a time (slowloris) is never idle; the head deadline is a wall-clock bound instead.
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

    private var timer: ClosingTimer

    init(timeout: TimeAmount, logger: Logger) {
        timer = ClosingTimer(timeout: timeout, logger: logger, reason: "no complete request head within")
    }

    func handlerAdded(context: ChannelHandlerContext) { timer.arm(context) }

    func handlerRemoved(context: ChannelHandlerContext) { timer.disarm() }

    func channelInactive(context: ChannelHandlerContext) {
        timer.disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { timer.disarm() }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { timer.arm(context) }
        context.write(data, promise: promise)
    }
}

/// Closes a connection whose client has taken nothing for `timeout`: the channel went unwritable
/// (its outbound buffer is past the high-water mark, 64 KiB) and did not come back. A client
/// that asks for segments and never reads would otherwise hold them in memory for good; the idle
/// timeout does not see it (the connection is not idle, a response is in flight). A client that
/// reads slowly drains below the low-water mark now and then, which restarts the clock.
final class ResponseWriteDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private var timer: ClosingTimer

    init(timeout: TimeAmount, logger: Logger) {
        timer = ClosingTimer(timeout: timeout, logger: logger, reason: "the client took nothing of a response for")
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { timer.disarm() } else if !timer.isArmed { timer.arm(context) }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer.disarm()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { timer.disarm() }
}

/// A deadline that closes the connection, logging why, unless disarmed first.
struct ClosingTimer {
    let timeout: TimeAmount
    let logger: Logger
    /// Ends with the timeout in seconds: "no complete request head within" 10.0 s.
    let reason: String
    private var scheduled: Scheduled<Void>?

    init(timeout: TimeAmount, logger: Logger, reason: String) {
        self.timeout = timeout
        self.logger = logger
        self.reason = reason
    }

    var isArmed: Bool { scheduled != nil }

    /// (Re)starts the clock.
    mutating func arm(_ context: ChannelHandlerContext) {
        disarm()
        let channel = context.channel, logger = logger
        let reason = "\(reason) \(Double(timeout.nanoseconds) / 1e9) s"
        scheduled = context.eventLoop.scheduleTask(in: timeout) {
            logger.info("http connection closed", metadata: ["peer": "\(channel.remoteAddress?.ipAddress ?? "?")", "reason": "\(reason)"])
            channel.close(promise: nil)
        }
    }

    mutating func disarm() {
        scheduled?.cancel()
        scheduled = nil
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
