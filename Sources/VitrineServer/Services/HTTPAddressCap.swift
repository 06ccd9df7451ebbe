// The per-address cap on HTTP connections. The global cap (HTTPConnectionCap) alone lets one
// address that opens thousands of idle sockets take every slot from everyone else; this one
// closes a connection from an address (an IPv4 address, an IPv6 /64: ClientAddress) that already
// holds `limit`, as soon as it opens. Refusals are logged at most once a second per address,
// with how many there were, so a flood cannot flood the log too.
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTPTypes
import VitrineRTMP

/// The table every connection's handler shares: open connections per address key.
final class HTTPAddressCap: Sendable {
    let limit: Int
    private let logger: Logger
    private let state: NIOLockedValueBox<State>
    /// Addresses with refusals not yet logged, at most (a flood from many addresses is bounded).
    static let maxLoggedAddresses = 4096

    private struct State {
        var caps: ConnectionCaps
        /// Per address: when its last refusal line was logged, and refusals since then.
        var refusals: [String: (logged: NIODeadline, count: Int)] = [:]
    }

    init(limit: Int, logger: Logger) {
        self.limit = limit
        self.logger = logger
        // The global cap is Hummingbird's accept gate; this table only counts per address.
        state = NIOLockedValueBox(State(caps: ConnectionCaps(maxConnections: .max, maxPerAddress: limit)))
    }

    /// Takes a slot for `key`; false (and the refusal noted, perhaps logged) when it has `limit`.
    func admit(_ key: String, now: NIODeadline = .now()) -> Bool {
        let logLine: Int? = state.withLockedValue { state in
            guard state.caps.admit(key) != nil else { return nil }
            var entry = state.refusals[key] ?? (logged: now - .seconds(2), count: 0)
            entry.count += 1
            let due = now - entry.logged >= .seconds(1)
            if due { state.refusals[key] = (logged: now, count: 0) } else { state.refusals[key] = entry }
            if state.refusals.count > Self.maxLoggedAddresses {
                state.refusals = state.refusals.filter { now - $0.value.logged < .seconds(1) }
            }
            return due ? entry.count : 0
        }
        guard let logLine else { return true }
        if logLine > 0 {
            logger.warning("http connection refused", metadata: [
                "peer": "\(key)", "refused": "\(logLine)",
                "reason": "this address already has \(limit) connections (the per-address cap)",
            ])
        }
        return false
    }

    func release(_ key: String) {
        state.withLockedValue { $0.caps.release(key) }
    }
}

/// One per connection, in the child channel's pipeline: admits the peer when the connection
/// becomes active and gives its slot back when it closes.
final class HTTPAddressCapHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let cap: HTTPAddressCap
    private var admitted: String?

    init(cap: HTTPAddressCap) { self.cap = cap }

    func handlerAdded(context: ChannelHandlerContext) {
        // Accepted channels usually become active after the initializer; admit now if not.
        if context.channel.isActive { admit(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if admitted == nil, admit(context) == false { return }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { release() }

    @discardableResult
    private func admit(_ context: ChannelHandlerContext) -> Bool {
        let key = ClientAddress.key(context.channel.remoteAddress)
        guard cap.admit(key) else {
            context.close(promise: nil)
            return false
        }
        admitted = key
        return true
    }

    private func release() {
        guard let key = admitted else { return }
        admitted = nil
        cap.release(key)
    }
}
