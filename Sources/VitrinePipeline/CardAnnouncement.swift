// CardAnnouncement.swift - what the stream tells players about a card: one announcement per state
// a card is in while on screen (a flash offer active, then ended; a giveaway open, then drawing),
// each with its interval on the card timeline and its kind's attributes. EXT-X-DATERANGE tags
// (CardDateRanges) and in-band ID3 are both written from these, so they always agree.
import Foundation
import VitrineOverlay

struct CardAnnouncement: Equatable {
    /// The DATERANGE ID: the card's timeline id, with `~STATE` for a change the card made by itself.
    let id: String
    let card: Card
    let start: Double
    let end: Double?
    /// False when the end may still move (a deadline-split phase an operator can cut short):
    /// live playlists then leave DURATION out until the end has passed.
    let endIsFixed: Bool
    let state: CardState?

    /// The intervals `card` announces, in order.
    static func phases(of card: Card, origin: Date?) -> [CardAnnouncement] {
        let end = CardSchedule.end(of: card, origin: origin)
        let initial = CardPhase.of(card, at: card.start, origin: origin).state
        let hasDeadline = card.content.deadline != nil && card.kind != .countdown
        guard let change = CardSchedule.stateChange(of: card, origin: origin), change.at < (end ?? .infinity) else {
            return [CardAnnouncement(id: card.id, card: card, start: card.start, end: end,
                                     endIsFixed: !hasDeadline, state: initial)]
        }
        return [
            CardAnnouncement(id: card.id, card: card, start: card.start, end: change.at, endIsFixed: false, state: initial),
            CardAnnouncement(id: "\(card.id)~\(change.state.rawValue)", card: card, start: change.at, end: end,
                             endIsFixed: false, state: change.state),
        ]
    }

    /// The kind's X- attributes (names without the X- prefix). Values a player may put in a URL
    /// (ids, prices, viewer text) are percent-encoded.
    var attributes: [(name: String, value: String)] {
        var list: [(name: String, value: String)] = [("PRODUCT-ID", Self.urlSafe(card.sku))]
        if let price = card.content.price {
            list.append(("PRICE", Self.urlSafe(price.amount)))
            list.append(("CURRENCY", Self.urlSafe(price.currency)))
        }
        list.append(("CARD-KIND", card.kind.rawValue))
        if let state { list.append(("STATE", state.rawValue)) }
        switch card.content {
        case let .poll(poll):
            list.append(("OPTIONS", poll.options.map { Self.urlSafe($0.label) }.joined(separator: ",")))
            list.append(("VOTES", poll.options.map { String($0.votes) }.joined(separator: ",")))
            if poll.closed, poll.leaders.count == 1 { list.append(("WINNER", Self.urlSafe(poll.options[poll.leaders[0]].label))) }
        case let .question(question):
            list.append(("VIEWER", Self.urlSafe(question.name)))
            list.append(("QUESTION", Self.urlSafe(question.text)))
        case let .socialProof(ticker):
            if let newest = ticker.events.last { list.append(("EVENT", Self.urlSafe(newest))) }
        case let .giveaway(giveaway):
            if let winner = giveaway.winner { list.append(("WINNER", Self.urlSafe(winner))) }
        case .productCard, .priceTag, .countdown, .banner, .flashOffer:
            break
        }
        return list
    }

    /// The in-band (ID3) form: a small JSON object with the DATERANGE's ID, the card's kind, sku,
    /// price and state; `state` overrides it (`hidden` when the card leaves the screen).
    func payload(state override: String? = nil) -> String {
        var object: [String: Any] = ["id": id, "kind": card.kind.rawValue, "sku": card.sku,
                                     "state": override ?? state?.rawValue ?? "shown"]
        if let price = card.content.price {
            object["price"] = price.amount
            object["currency"] = price.currency
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
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
