// Product cards and show overlays as EXT-X-DATERANGE timed metadata (RFC 8216bis 4.4.5.1), so a
// player can put a buy button (or a vote button) where the burned-in pixels show the card. Built
// from the Timeline when playlists are written and attached to every media playlist, so every
// rendition announces the same intervals. Each state a card is in is its own range
// (CardAnnouncement): a range keeps one set of attributes for its whole life.
import Foundation
import VitrineHLS
import VitrineOverlay

enum CardDateRanges {
    /// CLASS of every card range; players match on it (RFC 8216bis: reverse-DNS names).
    static let classification = "com.vitrine.card"

    /// One range per card state on screen at some point of the media. `origin` is the date of
    /// timeline second 0, the first video frame (the first segment's PROGRAM-DATE-TIME is earlier
    /// by the audio priming, if any); `mediaEnd` is where the last segment ends on that timeline.
    /// A card without an end lasts until the end of the media: a VOD playlist knows nothing beyond.
    static func make(_ cards: [ResolvedCard], origin: Date, mediaEnd: Double) -> [DateRange] {
        cards.flatMap { CardAnnouncement.phases(of: $0.card, origin: origin) }.compactMap { phase in
            // A card starting after the last frame was never drawn: announcing it would lie.
            guard phase.start < mediaEnd else { return nil }
            return range(for: phase, origin: origin, duration: (phase.end ?? mediaEnd) - phase.start)
        }
    }

    /// Live playlists: the card states already reached in this publish (start before `reached`,
    /// the timeline second the stream got to), leaving out those that ended before the window's
    /// first segment. A range whose end is not settled gets no DURATION yet: RFC 8216bis lets a
    /// later reload add an attribute to a range, but never change one.
    static func live(_ timeline: Timeline, origin: Date, reached: Double, windowStart: Date?) -> [DateRange] {
        timeline.allCards.flatMap { CardAnnouncement.phases(of: $0.card, origin: origin) }.compactMap { phase in
            guard phase.start < reached else { return nil }
            if let end = phase.end, let windowStart, origin.addingTimeInterval(end) < windowStart { return nil }
            let settled = phase.end.flatMap { end in phase.endIsFixed || end <= reached ? end : nil }
            return range(for: phase, origin: origin, duration: settled.map { $0 - phase.start })
        }
    }

    private static func range(for phase: CardAnnouncement, origin: Date, duration: Double?) -> DateRange {
        DateRange(id: phase.id, classification: classification, startDate: origin.addingTimeInterval(phase.start),
                  duration: duration, clientAttributes: phase.attributes)
    }

    /// The ranges for the cards on `timeline` when the playlists are written.
    static func make(_ timeline: Timeline, origin: Date, mediaEnd: Double) -> [DateRange] {
        make(timeline.allCards, origin: origin, mediaEnd: mediaEnd)
    }
}
