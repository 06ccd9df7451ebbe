// ViewerSessions.swift - which players get a viewer token and which requests are a viewer, for
// the origin (ViewerPresence.definition says it in words). A master playlist request gets the
// token the player already holds for that stream, else a new one, at most
// `mintsPerAddressPerMinute` new ones to one address (ClientAddress) each minute: past that the
// master is served untagged and that player is not counted, so one client cannot make itself a
// crowd. Only a media playlist request with a valid token counts, and only once the origin has
// found the playlist (HLSOrigin), so made-up streams never reach the counter.
import Foundation
import NIOConcurrencyHelpers

public final class ViewerSessions: Sendable {
    public let counter: ViewerCounter
    let tokens: ViewerTokens
    private let budget: NIOLockedValueBox<MintBudget>

    public init(counter: ViewerCounter, tokens: ViewerTokens, mintsPerAddressPerMinute: Int) {
        self.counter = counter
        self.tokens = tokens
        budget = NIOLockedValueBox(MintBudget(perMinute: mintsPerAddressPerMinute))
    }

    /// The token a master playlist's URIs carry for `client`: the request's own when it is valid
    /// for this stream, else a new one within the client's budget; nil: served without one.
    func token(forMaster target: String, playbackID: String, client: String, at date: Date = Date()) -> String? {
        if let held = ViewerTokens.parse(target: target), tokens.isValid(held, playbackID: playbackID, at: date) { return held }
        guard budget.withLockedValue({ $0.take(client, at: date) }) else { return nil }
        return tokens.mint(playbackID: playbackID, at: date)
    }

    /// The session a media playlist request counts as: its token, when valid for this stream.
    func session(ofMediaPlaylist target: String, playbackID: String, at date: Date = Date()) -> String? {
        guard let token = ViewerTokens.parse(target: target), tokens.isValid(token, playbackID: playbackID, at: date) else { return nil }
        return "vs:" + token
    }
}

/// New tokens per address in the current minute (a fixed window: a burst at a minute's edge may
/// get two budgets, which is fine for a count). Bounded: the table holds this minute's addresses
/// only, at most maxAddresses; past that a new address gets no token until the minute turns.
struct MintBudget {
    let perMinute: Int
    static let maxAddresses = 100_000
    private var minute = 0
    private var taken: [String: Int] = [:]

    init(perMinute: Int) { self.perMinute = perMinute }

    mutating func take(_ client: String, at date: Date) -> Bool {
        let now = Int(date.timeIntervalSince1970 / 60)
        if now != minute {
            minute = now
            taken.removeAll(keepingCapacity: true)
        }
        let count = taken[client, default: 0]
        guard count < perMinute, taken[client] != nil || taken.count < Self.maxAddresses else { return false }
        taken[client] = count + 1
        return true
    }
}
