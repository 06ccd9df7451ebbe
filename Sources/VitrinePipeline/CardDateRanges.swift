// Product cards as EXT-X-DATERANGE timed metadata (RFC 8216bis 4.4.5.1), so a player can put a
// buy button where the burned-in pixels show the card. Built once per job from the Timeline and
// attached to every media playlist, so every rendition announces the same intervals.
import Foundation
import VitrineHLS
import VitrineOverlay

enum CardDateRanges {
    /// CLASS of every card range; players match on it (RFC 8216bis: reverse-DNS names).
    static let classification = "com.vitrine.card"

    /// One range per card that is on screen at some point of the media. `origin` is the date of
    /// timeline second 0, the first video frame (the first segment's PROGRAM-DATE-TIME is earlier
    /// by the audio priming, if any); `mediaEnd` is where the last segment ends on that timeline.
    /// A card without an end lasts until the end of the media: a VOD playlist knows nothing beyond.
    static func make(_ cards: [ResolvedCard], origin: Date, mediaEnd: Double) -> [DateRange] {
        cards.compactMap { resolved in
            let card = resolved.card
            // A card starting after the last frame was never drawn: announcing it would lie.
            guard card.start < mediaEnd else { return nil }
            return range(for: card, origin: origin, duration: (card.end ?? mediaEnd) - card.start)
        }
    }

    /// Live playlists: the cards already on screen in this publish (start before `reached`, the
    /// timeline second the stream got to), leaving out those that ended before the window's first
    /// segment. A card without an end gets no DURATION yet: RFC 8216bis lets a later reload add
    /// an attribute to a range, but never change one.
    static func live(_ timeline: Timeline, origin: Date, reached: Double, windowStart: Date?) -> [DateRange] {
        timeline.allCards.compactMap { resolved in
            let card = resolved.card
            guard card.start < reached else { return nil }
            if let end = card.end, let windowStart, origin.addingTimeInterval(end) < windowStart { return nil }
            return range(for: card, origin: origin, duration: card.end.map { $0 - card.start })
        }
    }

    private static func range(for card: Card, origin: Date, duration: Double?) -> DateRange {
        var attributes: [(name: String, value: String)] = [("PRODUCT-ID", urlSafe(card.sku))]
        if let price = price(of: card) {
            attributes.append(("PRICE", urlSafe(price.amount)))
            attributes.append(("CURRENCY", urlSafe(price.currency)))
        }
        attributes.append(("CARD-KIND", card.kind.rawValue))
        return DateRange(id: card.id, classification: classification, startDate: origin.addingTimeInterval(card.start),
                         duration: duration, clientAttributes: attributes)
    }

    /// The ranges for the cards on `timeline` when the playlists are written.
    static func make(_ timeline: Timeline, origin: Date, mediaEnd: Double) -> [DateRange] {
        make(timeline.allCards, origin: origin, mediaEnd: mediaEnd)
    }

    private static func price(of card: Card) -> PriceSpec? {
        switch card.content {
        case let .productCard(content): return content.price
        case let .priceTag(content): return content.price
        case .countdown, .banner: return nil
        }
    }

    /// RFC 3986 unreserved characters pass; everything else is percent-encoded (UTF-8), so a
    /// player can drop the value into a URL (a cart link) as is.
    static func urlSafe(_ value: String) -> String {
        var unreserved = CharacterSet(charactersIn: "-._~")
        unreserved.formUnion(CharacterSet(charactersIn: "a"..."z"))
        unreserved.formUnion(CharacterSet(charactersIn: "A"..."Z"))
        unreserved.formUnion(CharacterSet(charactersIn: "0"..."9"))
        return value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
