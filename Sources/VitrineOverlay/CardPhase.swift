// CardPhase.swift - what changes on a card while it is on screen, without anyone touching it:
// a countdown's digits, a giveaway or flash offer reaching its deadline, poll bars gliding to
// new counts, the ticker rotating. A pure function of the timestamp (and the card), so every
// rendition draws the same phase on the same frame, and the playlists announce the same changes.

import Foundation

/// The state a show card is in; announced as X-STATE on its DATERANGE.
public enum CardState: String, Codable, Hashable, Sendable {
    /// Poll taking votes, giveaway taking entries.
    case open
    /// Poll closed: the winner is shown.
    case closed
    /// Giveaway past its deadline, winner not yet known.
    case drawing
    /// Giveaway winner shown.
    case won
    /// Flash offer before its deadline.
    case active
    /// Flash offer after its deadline, until it leaves the screen by itself.
    case ended
}

/// Everything a render depends on besides the card: part of the render cache key.
public struct CardPhase: Hashable, Sendable {
    /// Seconds left, for the kinds that count down.
    public var countdownSeconds: Int?
    public var state: CardState?
    /// Poll bars: how far they have moved from `previousVotes`, in 0...barSteps; nil when still.
    public var barStep: Int?
    /// Social proof: the index in `events` of the line on screen.
    public var eventIndex: Int?

    public init(countdownSeconds: Int? = nil, state: CardState? = nil, barStep: Int? = nil, eventIndex: Int? = nil) {
        self.countdownSeconds = countdownSeconds
        self.state = state
        self.barStep = barStep
        self.eventIndex = eventIndex
    }

    public static let still = CardPhase()

    /// Bars glide over this long, in this many steps (each step one render, cached per rung).
    public static let barTransitionSeconds = 0.6
    public static let barSteps = 12

    /// The phase of `card` at timeline second `t` (the card is on screen at `t`).
    public static func of(_ card: Card, at t: Double, origin: Date?) -> CardPhase {
        switch card.content {
        case let .countdown(content):
            return CardPhase(countdownSeconds: CountdownClock.remaining(until: content.endsAt, at: t, origin: origin))
        case let .giveaway(content):
            if content.winner != nil { return CardPhase(state: .won) }
            let left = CountdownClock.remaining(until: content.endsAt, at: t, origin: origin)
            return CardPhase(countdownSeconds: left, state: left > 0 ? .open : .drawing)
        case let .flashOffer(content):
            let left = CountdownClock.remaining(until: content.endsAt, at: t, origin: origin)
            return CardPhase(countdownSeconds: left, state: left > 0 ? .active : .ended)
        case let .poll(content):
            var phase = CardPhase(state: content.closed ? .closed : .open)
            if content.previousVotes != nil {
                let progress = (t - card.start) / barTransitionSeconds
                phase.barStep = progress.isFinite ? min(barSteps, max(0, Int((progress * Double(barSteps)).rounded(.down)))) : barSteps
            }
            return phase
        case let .socialProof(content):
            return CardPhase(eventIndex: content.event(after: t - card.start))
        case .productCard, .priceTag, .banner, .question:
            return .still
        }
    }

    /// The state a card starts in (its first DATERANGE), for the kinds that have one.
    static func initialState(of card: Card) -> CardState? {
        switch card.content {
        case let .poll(content): return content.closed ? .closed : .open
        case let .giveaway(content): return content.winner != nil ? .won : .open
        case .flashOffer: return .active
        default: return nil
        }
    }
}

/// When a card's time-driven changes happen, on the timeline.
public enum CardSchedule {
    /// The timeline second of a card's deadline (giveaway draw, end of an offer), if it has one.
    public static func deadline(of card: Card, origin: Date?) -> Double? {
        card.content.deadline?.seconds(origin: origin)
    }

    /// Where the card leaves the screen: its `end`, or for a flash offer the moment "Offer
    /// ended" has been shown long enough, whichever comes first.
    public static func end(of card: Card, origin: Date?) -> Double? {
        guard case .flashOffer = card.content, let deadline = deadline(of: card, origin: origin) else { return card.end }
        let gone = max(card.start, deadline) + FlashOfferContent.endedSeconds
        return min(card.end ?? gone, gone)
    }

    /// The moment a card changes state by itself, if it does while on screen: a flash offer
    /// ending, a giveaway reaching its draw without a winner. Each such change is a new
    /// DATERANGE, so it must be known here, not only to the renderer.
    public static func stateChange(of card: Card, origin: Date?) -> (at: Double, state: CardState)? {
        guard let deadline = deadline(of: card, origin: origin), deadline > card.start else { return nil }
        switch card.content {
        case .flashOffer: return (deadline, .ended)
        case let .giveaway(content) where content.winner == nil: return (deadline, .drawing)
        default: return nil
        }
    }
}
