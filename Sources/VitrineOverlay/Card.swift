// Card.swift - the product card model as it appears in a cards file (`{ "cards": [ ... ] }`).
//
// The JSON is flat: common fields plus the fields of the card's `kind`. docs/cards.md is the
// schema; decoding checks shapes and formats, CardValidator checks meaning (currency, ranges, image).

import Foundation

/// One overlay card: what it shows, where, how it looks, and when it is on screen.
public struct Card: Codable, Hashable, Sendable {
    public var id: String
    /// Product reference in the shop's catalogue.
    public var sku: String
    public var content: CardContent
    /// Optional scarcity line, e.g. "Only 3 left".
    public var stock: String?
    /// Stamps "SOLD OUT" across the card.
    public var soldOut: Bool
    public var position: CardPosition
    public var theme: CardTheme
    public var enter: CardAnimation
    public var exit: CardAnimation
    /// Seconds on the stream timeline.
    public var start: Double
    /// Seconds on the stream timeline; nil keeps the card until it is removed.
    public var end: Double?

    public init(id: String, sku: String, content: CardContent, stock: String? = nil, soldOut: Bool = false,
                position: CardPosition? = nil, theme: CardTheme = CardTheme(),
                enter: CardAnimation = .none, exit: CardAnimation = .none, start: Double, end: Double? = nil) {
        self.id = id
        self.sku = sku
        self.content = content
        self.stock = stock
        self.soldOut = soldOut
        self.position = position ?? content.kind.defaultPosition
        self.theme = theme
        self.enter = enter
        self.exit = exit
        self.start = start
        self.end = end
    }

    public enum Kind: String, Codable, Sendable, CaseIterable {
        case productCard, priceTag, countdown, banner
        /// The show around the product (ShowContent.swift).
        case poll, question, socialProof, giveaway, flashOffer
    }

    public var kind: Kind { content.kind }

    enum CodingKeys: String, CodingKey {
        case id, sku, kind, stock, soldOut, position, theme, enter, exit, start, end
        case title, subtitle, image, price, badge, label, endsAt, text
        case question, options, closed, previousVotes, name, avatar, events, rotateSeconds
        case prize, instructions, winner
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        sku = try c.decode(String.self, forKey: .sku)
        let kind = try c.decode(Kind.self, forKey: .kind)
        content = try CardContent(kind: kind, from: c)
        stock = try c.decodeIfPresent(String.self, forKey: .stock)
        soldOut = try c.decodeIfPresent(Bool.self, forKey: .soldOut) ?? false
        if c.contains(.position) {
            let fields = try c.nestedContainer(keyedBy: CardPosition.CodingKeys.self, forKey: .position)
            position = try CardPosition(from: fields, defaults: kind.defaultPosition)
        } else {
            position = kind.defaultPosition
        }
        theme = try c.decodeIfPresent(CardTheme.self, forKey: .theme) ?? CardTheme()
        enter = try c.decodeIfPresent(CardAnimation.self, forKey: .enter) ?? .none
        exit = try c.decodeIfPresent(CardAnimation.self, forKey: .exit) ?? .none
        start = try c.decode(Double.self, forKey: .start)
        end = try c.decodeIfPresent(Double.self, forKey: .end)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(sku, forKey: .sku)
        try c.encode(kind, forKey: .kind)
        try content.encode(into: &c)
        try c.encodeIfPresent(stock, forKey: .stock)
        try c.encode(soldOut, forKey: .soldOut)
        try c.encode(position, forKey: .position)
        try c.encode(theme, forKey: .theme)
        try c.encode(enter, forKey: .enter)
        try c.encode(exit, forKey: .exit)
        try c.encode(start, forKey: .start)
        try c.encodeIfPresent(end, forKey: .end)
    }
}

/// A price as data files carry it: a decimal string (never a float), its currency and locale.
public struct PriceSpec: Codable, Hashable, Sendable {
    public var amount: String
    /// The old price, shown struck out.
    public var compareAt: String?
    public var currency: String
    public var locale: String

    public init(amount: String, compareAt: String? = nil, currency: String, locale: String) {
        self.amount = amount
        self.compareAt = compareAt
        self.currency = currency
        self.locale = locale
    }
}

/// When a countdown reaches zero: seconds on the stream timeline, or a wall-clock date (ISO 8601).
public enum CountdownTarget: Codable, Hashable, Sendable {
    case timeline(seconds: Double)
    case date(Date)

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let seconds = try? c.decode(Double.self) {
            self = .timeline(seconds: seconds)
            return
        }
        guard let text = try? c.decode(String.self) else {
            throw DecodingError.typeMismatch(CountdownTarget.self, DecodingError.Context(
                codingPath: c.codingPath, debugDescription: "expected seconds (number) or an ISO 8601 date (string)"))
        }
        guard let date = ISO8601.parse(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "\"\(text)\" is not an ISO 8601 date such as 2025-11-22T20:00:00Z")
        }
        self = .date(date)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case let .timeline(seconds): try c.encode(seconds)
        case let .date(date): try c.encode(ISO8601.format(date))
        }
    }
}

/// ISO 8601 with and without fractional seconds (formatters are created per call: they are not Sendable).
enum ISO8601 {
    static func parse(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    static func format(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
