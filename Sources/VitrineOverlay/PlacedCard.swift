// PlacedCard.swift - a card on screen at one instant: how opaque it is, how far it has slid, and
// its phase (countdown second, state, poll bars). Computed by Timeline as a pure function of time.

import Foundation

/// How far a sliding card is from its resting place. The offset in pixels for a frame of W x H and a
/// card of w x h is `(frameX * W + cardX * w, frameY * H + cardY * h)`: the frame part covers the
/// margin and the card part its own size, so "fully out" is just off-screen at every rung.
public struct SlideOffset: Hashable, Sendable {
    public var frameX = 0.0
    public var frameY = 0.0
    public var cardX = 0.0
    public var cardY = 0.0

    public static let zero = SlideOffset()

    public init(frameX: Double = 0, frameY: Double = 0, cardX: Double = 0, cardY: Double = 0) {
        self.frameX = frameX
        self.frameY = frameY
        self.cardX = cardX
        self.cardY = cardY
    }

    /// The offset in pixels, rounded to even so chroma stays aligned.
    public func pixels(frameWidth: Int, frameHeight: Int, cardWidth: Int, cardHeight: Int) -> (x: Int, y: Int) {
        let x = frameX * Double(frameWidth) + cardX * Double(cardWidth)
        let y = frameY * Double(frameHeight) + cardY * Double(cardHeight)
        return (Int(x.rounded()) & ~1, Int(y.rounded()) & ~1)
    }

    /// The path from the resting place to just off the nearest edge, scaled by `remaining` (1 = out).
    static func offscreen(for position: CardPosition, remaining: Double) -> SlideOffset {
        let r = remaining
        switch position.anchor {
        case .topLeft, .bottomLeft: return SlideOffset(frameX: -position.marginX * r, cardX: -r)
        case .topRight, .bottomRight: return SlideOffset(frameX: position.marginX * r, cardX: r)
        case .top: return SlideOffset(frameY: -position.marginY * r, cardY: -r)
        case .bottom: return SlideOffset(frameY: position.marginY * r, cardY: r)
        case .center: return SlideOffset(frameY: 0.5 * r, cardY: 0.5 * r)
        }
    }
}

/// A visible card with its animation state at one timestamp.
public struct PlacedCard: Sendable {
    public let card: ResolvedCard
    /// Global opacity in 0...1 (fades).
    public let alpha: Double
    public let slide: SlideOffset
    /// Countdown digits, state, poll bars, ticker line: what the render depends on besides the card.
    public let phase: CardPhase

    /// Seconds left, for the kinds that count down; nil otherwise.
    public var countdownSeconds: Int? { phase.countdownSeconds }
}

/// The animation maths, kept apart from the locking in Timeline.
enum CardAnimator {
    /// The state of `card` at `t`, or nil when it is not on screen. Visible on [start, end).
    static func place(_ card: ResolvedCard, at t: Double, origin: Date?) -> PlacedCard? {
        let c = card.card
        guard t.isFinite, t >= c.start else { return nil }
        let end = CardSchedule.end(of: c, origin: origin)
        if let end, t >= end { return nil }

        var alpha = 1.0
        var slideRemaining = 0.0
        let enter = c.enter.seconds
        if enter > 0, t < c.start + enter {
            let progress = (t - c.start) / enter
            apply(c.enter.style, remaining: 1 - progress, alpha: &alpha, slide: &slideRemaining)
        }
        if let end, c.exit.seconds > 0, t > end - c.exit.seconds {
            let progress = (end - t) / c.exit.seconds
            apply(c.exit.style, remaining: 1 - progress, alpha: &alpha, slide: &slideRemaining)
        }
        let slide = slideRemaining > 0 ? SlideOffset.offscreen(for: c.position, remaining: slideRemaining) : .zero
        return PlacedCard(card: card, alpha: alpha, slide: slide, phase: CardPhase.of(c, at: t, origin: origin))
    }

    /// Fades are linear. Slides are cubic: entering, the card moves fast then settles; leaving, it
    /// starts slowly then accelerates away. Both are `remaining^3` since `remaining` runs 1 -> 0 on
    /// entry and 0 -> 1 on exit.
    /// When entry and exit overlap (short cards), the more hidden state wins.
    private static func apply(_ style: CardAnimation.Style, remaining: Double, alpha: inout Double,
                              slide: inout Double) {
        let r = min(max(remaining, 0), 1)
        switch style {
        case .none: break
        case .fade: alpha = min(alpha, 1 - r)
        case .slide:
            slide = max(slide, r * r * r)
        }
    }
}
