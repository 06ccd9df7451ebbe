// Timeline.swift - the shared, thread-safe set of cards a job shows. Every change is validated
// before the lock is taken; a refused change leaves the current state exactly as it was.
//
// `visible(at:)` is a pure function of the timestamp and the card set, so every rendition that
// asks about the same PTS gets the same cards, alphas and countdown digits.

import Foundation

public final class Timeline: @unchecked Sendable {
    public let validator: CardValidator
    private let lock = NSLock()
    /// Draw order: first added is drawn first (below later ones); an update keeps its place.
    private var cards: [ResolvedCard] = []
    private var revisionCounter = 0

    /// `imageDirectory` resolves card image paths; `wallClockOrigin` is the date of timeline second 0
    /// (needed only for countdowns whose target is a date).
    public init(imageDirectory: URL, wallClockOrigin: Date? = nil) {
        validator = CardValidator(imageDirectory: imageDirectory, wallClockOrigin: wallClockOrigin)
    }

    /// Changes every time the card set changes; cheap to poll.
    public var revision: Int {
        lock.lock()
        defer { lock.unlock() }
        return revisionCounter
    }

    public var allCards: [ResolvedCard] {
        lock.lock()
        defer { lock.unlock() }
        return cards
    }

    /// Cards one job may hold: a bound on memory and on every playlist's DATERANGEs.
    public static let maxCards = 1000

    /// Validates and adds a card; refuses a duplicate id.
    public func add(_ card: Card) throws(CardError) {
        let resolved = try validator.resolve(card)
        try add(resolved)
    }

    /// Adds an already validated card (from CardsFile.load).
    public func add(_ resolved: ResolvedCard) throws(CardError) {
        lock.lock()
        defer { lock.unlock() }
        guard !cards.contains(where: { $0.id == resolved.id }) else { throw .duplicateID(resolved.id) }
        guard cards.count < Self.maxCards else { throw .tooManyCards(limit: Self.maxCards) }
        cards.append(resolved)
        revisionCounter += 1
    }

    /// Replaces the card with the same id (price drop, stock change). Validated first: on error
    /// nothing changes and the error says why.
    public func update(_ card: Card) throws(CardError) {
        let resolved = try validator.resolve(card)
        lock.lock()
        defer { lock.unlock() }
        guard let index = cards.firstIndex(where: { $0.id == card.id }) else { throw .unknownCardID(card.id) }
        cards[index] = resolved
        revisionCounter += 1
    }

    /// Removes a card; refuses an unknown id.
    public func remove(id: String) throws(CardError) {
        lock.lock()
        defer { lock.unlock() }
        guard let index = cards.firstIndex(where: { $0.id == id }) else { throw .unknownCardID(id) }
        cards.remove(at: index)
        revisionCounter += 1
    }

    /// Replaces the whole set at once (a new cards file); all or nothing.
    public func replaceAll(with resolved: [ResolvedCard]) throws(CardError) {
        guard resolved.count <= Self.maxCards else { throw .tooManyCards(limit: Self.maxCards) }
        var seen = Set<String>()
        for card in resolved where !seen.insert(card.id).inserted { throw .duplicateID(card.id) }
        lock.lock()
        defer { lock.unlock() }
        cards = resolved
        revisionCounter += 1
    }

    /// Cards on screen at `seconds`, in draw order, with their animation state.
    public func visible(at seconds: Double) -> [PlacedCard] {
        lock.lock()
        let snapshot = cards
        lock.unlock()
        let origin = validator.wallClockOrigin
        return snapshot.compactMap { CardAnimator.place($0, at: seconds, origin: origin) }
    }
}
