// CardValidator.swift - checks what decoding cannot (currencies, locales, ranges, timing, images)
// and produces a ResolvedCard: a card that is known good, with its prices formatted and image decoded.
//
// Runs when cards are pushed (file load or live update), never per frame.

import Foundation

/// A validated card, ready to render: prices already formatted, image already decoded.
public struct ResolvedCard: Hashable, Sendable {
    public let card: Card
    public let image: ProductImage?
    public let prices: FormattedPrices?

    public var id: String { card.id }
}

/// The price texts of a card in its locale.
public struct FormattedPrices: Hashable, Sendable {
    public let price: String
    /// The struck-out old price.
    public let compareAt: String?
    /// "-30%" when the compare-at price is higher, else nil.
    public let discount: String?
}

/// Validates cards against the limits of docs/cards.md.
public struct CardValidator: Sendable {
    /// Image paths in cards are relative to this folder.
    public let imageDirectory: URL
    /// Wall-clock date of timeline second 0; needed only by countdowns with a date target.
    public let wallClockOrigin: Date?

    /// Each image file decoded once for all the cards that show it.
    private let decoded = DecodedImages()

    public static let maxTextLength = 200
    static let maxIDLength = 128
    static let maxAnimationMs = 10_000

    public init(imageDirectory: URL, wallClockOrigin: Date? = nil) {
        self.imageDirectory = imageDirectory
        self.wallClockOrigin = wallClockOrigin
    }

    /// Validates `card`; `path` names it in errors (`cards[3]` or `card "sneaker"`).
    public func resolve(_ card: Card, path: String? = nil) throws(CardError) -> ResolvedCard {
        let root = path ?? "card \"\(card.id)\""
        try checkText(card.id, "\(root).id", limit: Self.maxIDLength)
        try checkText(card.sku, "\(root).sku", limit: Self.maxIDLength)
        if let stock = card.stock { try checkText(stock, "\(root).stock") }
        try checkTiming(card, root)
        try checkPosition(card.position, "\(root).position")
        guard (0...0.5).contains(card.theme.cornerRadius) else {
            throw .cornerRadiusOutOfRange(path: "\(root).theme.cornerRadius", value: card.theme.cornerRadius)
        }
        try checkText(card.theme.font, "\(root).theme.font")
        for (name, animation) in [("enter", card.enter), ("exit", card.exit)]
        where !(0...Self.maxAnimationMs).contains(animation.durationMs) {
            throw .invalidDuration(path: "\(root).\(name).durationMs", milliseconds: animation.durationMs)
        }

        var image: ProductImage?
        var prices: FormattedPrices?
        switch card.content {
        case let .productCard(content):
            try checkText(content.title, "\(root).title")
            if let subtitle = content.subtitle { try checkText(subtitle, "\(root).subtitle") }
            if let badge = content.badge { try checkText(badge, "\(root).badge") }
            prices = try format(content.price, "\(root).price")
            if let file = content.image { image = try decodeImage(file, "\(root).image") }
        case let .priceTag(content):
            if let badge = content.badge { try checkText(badge, "\(root).badge") }
            prices = try format(content.price, "\(root).price")
        case let .countdown(content):
            try checkText(content.label, "\(root).label")
            try checkDeadline(content.endsAt, root)
        case let .banner(content):
            try checkText(content.text, "\(root).text")
        case let .poll(content):
            try checkPoll(content, root)
        case let .question(content):
            try checkQuestion(content, root)
            if let file = content.avatar { image = try decodeImage(file, "\(root).avatar") }
        case let .socialProof(content):
            try checkSocialProof(content, root)
        case let .giveaway(content):
            try checkGiveaway(content, root)
        case let .flashOffer(content):
            try checkText(content.title, "\(root).title")
            prices = try format(content.price, "\(root).price")
            try checkDeadline(content.endsAt, root)
        }
        return ResolvedCard(card: card, image: image, prices: prices)
    }

    /// Text is drawn as typed (never as markup); control characters other than a line break or
    /// tab are refused, as they would draw as boxes or reorder the line.
    func checkText(_ text: String, _ path: String, limit: Int = CardValidator.maxTextLength) throws(CardError) {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw .emptyText(path: path) }
        try TextBudget.check(text, path: path, characterLimit: limit)
        if text.count > limit { throw .textTooLong(path: path, length: text.count, limit: limit) }
        if let bad = text.unicodeScalars.first(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }) {
            throw .invalidValue(path: path, reason: "control character U+\(String(bad.value, radix: 16, uppercase: true)) in text", line: nil)
        }
    }

    /// A countdown target must be finite; a date needs the wall-clock origin to place it.
    func checkDeadline(_ target: CountdownTarget, _ root: String) throws(CardError) {
        switch target {
        case let .timeline(seconds) where !seconds.isFinite:
            throw .invalidValue(path: "\(root).endsAt", reason: "not a finite number of seconds", line: nil)
        case .date where wallClockOrigin == nil:
            throw .countdownNeedsWallClock(path: root)
        default: break
        }
    }

    /// An image confined to the images folder, decoded once per job whatever the number of cards.
    private func decodeImage(_ file: String, _ path: String) throws(CardError) -> ProductImage {
        do {
            return try decoded.image(at: try ImagePath.confined(file, in: imageDirectory))
        } catch {
            throw .image(path: path, file: file, reason: error)
        }
    }

    private func checkTiming(_ card: Card, _ root: String) throws(CardError) {
        guard card.start.isFinite else {
            throw .invalidValue(path: "\(root).start", reason: "not a finite number of seconds", line: nil)
        }
        guard card.start >= 0 else { throw .negativeStart(path: root, start: card.start) }
        if let end = card.end {
            guard end.isFinite else {
                throw .invalidValue(path: "\(root).end", reason: "not a finite number of seconds", line: nil)
            }
            guard end > card.start else { throw .endBeforeStart(path: root, start: card.start, end: end) }
        }
    }

    private func checkPosition(_ position: CardPosition, _ path: String) throws(CardError) {
        for (name, margin) in [("marginX", position.marginX), ("marginY", position.marginY)]
        where !(margin.isFinite && margin >= 0 && margin <= 1) {
            throw .marginOutsideFrame(path: "\(path).\(name)", value: margin)
        }
        guard position.width.isFinite, position.width > 0, position.width <= 1 else {
            throw .widthOutOfRange(path: "\(path).width", value: position.width)
        }
    }

    private func format(_ spec: PriceSpec, _ path: String) throws(CardError) -> FormattedPrices {
        do {
            let formatter = try PriceFormatter(currency: spec.currency, locale: spec.locale)
            let price = try parse(formatter, spec.amount, "\(path).amount")
            guard let old = spec.compareAt else {
                return FormattedPrices(price: formatter.format(price), compareAt: nil, discount: nil)
            }
            let compareAt = try parse(formatter, old, "\(path).compareAt")
            return FormattedPrices(price: formatter.format(price), compareAt: formatter.format(compareAt),
                                   discount: formatter.discount(price: price, compareAt: compareAt))
        } catch let failure as PriceFormatter.Failure {
            switch failure {
            case let .unknownCurrency(code): throw .unknownCurrency(path: "\(path).currency", code: code)
            case let .unknownLocale(id): throw .unknownLocale(path: "\(path).locale", identifier: id)
            case let .invalidAmount(amount, reason): throw .invalidAmount(path: "\(path).amount", amount: amount, reason: reason)
            }
        } catch let error as CardError {
            throw error
        } catch {
            throw .invalidValue(path: path, reason: "\(error)", line: nil)
        }
    }

    private func parse(_ formatter: PriceFormatter, _ amount: String, _ path: String) throws -> Money {
        do {
            return try formatter.parse(amount)
        } catch let PriceFormatter.Failure.invalidAmount(text, reason) {
            throw CardError.invalidAmount(path: path, amount: text, reason: reason)
        }
    }
}
