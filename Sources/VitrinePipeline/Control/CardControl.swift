// Cards on a running job, as an operator drives them: show now, change (price drop, stock,
// sold out), hide. Changes land on the job's shared Timeline, so every lane's painter draws them
// from the next frame on and the playlists announce them at their next write.
//
// A change of a card already on screen ends its range and starts a successor (`ID~r2`, ...)
// at the same frame, with no exit or enter animation: the picture changes in place, and each
// EXT-X-DATERANGE keeps one set of attributes for its whole life (RFC 8216bis 4.4.5.1: a tag
// that reuses an ID must not change its attributes), so players see the new price as a new range.
import Foundation
import VitrineOverlay

public enum CardControlError: Error, CustomStringConvertible, Equatable, Codable, Sendable {
    /// The body or a field is wrong; the message names the field.
    case invalid(String)
    case unknownCard(String)
    /// The card exists but the change cannot apply (already ended, id taken).
    case conflict(String)
    /// The job has no picture yet (no frame decoded), so "now" does not exist.
    case notStarted
    /// An image over the size limit.
    case tooLarge(String)

    public var description: String {
        switch self {
        case let .invalid(m), let .conflict(m), let .tooLarge(m): return m
        case let .unknownCard(id): return "no card \"\(id)\" on this job"
        case .notStarted: return "the job has no picture yet; push the card once frames flow"
        }
    }
}

public final class CardControl: @unchecked Sendable {
    static let revisionSeparator = "~r"
    /// API card ids: short, and free of the revision separator.
    static let idCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")

    public let timeline: Timeline
    public let playhead: Playhead
    public let tracker: CardApplyTracker
    private let lock = NSLock()
    /// API id -> the Timeline id now showing it.
    private var current: [String: String] = [:]
    private var revisions: [String: Int] = [:]

    public init(timeline: Timeline, playhead: Playhead, framesPerSecond: @escaping () -> Double) {
        self.timeline = timeline
        self.playhead = playhead
        tracker = CardApplyTracker(framesPerSecond: framesPerSecond)
        for card in timeline.allCards { current[card.id] = card.id }
    }

    /// Shows the card in `body` (docs/cards.md fields; `start` is now, `duration` seconds optional).
    public func push(_ body: [String: Any]) throws -> Card {
        guard let id = body["id"] as? String else { throw CardControlError.invalid("id: required, a string") }
        guard (1...64).contains(id.count), id.allSatisfy(Self.idCharacters.contains) else {
            throw CardControlError.invalid("id: 1 to 64 characters of A-Z a-z 0-9 . _ -")
        }
        let now = try nowSeconds()
        var object = body
        object["start"] = now
        if let duration = object.removeValue(forKey: "duration") {
            guard let seconds = (duration as? NSNumber)?.doubleValue, seconds.isFinite, seconds > 0 else {
                throw CardControlError.invalid("duration: a positive number of seconds")
            }
            object["end"] = now + seconds
        }
        try ShowPatches.relativeDeadline(&object, now: now)
        let card = try Self.decode(object)
        let internalID = try lock.withLock {
            guard current[id] == nil else { throw CardControlError.conflict("card \"\(id)\" exists on this job; PATCH or DELETE it") }
            // Shown before and hidden since: the new showing is the next revision, so the first
            // keeps its range and the report sees two intervals.
            var shown = card
            var revision: Int?
            if timeline.allCards.contains(where: { Self.apiID(of: $0.id) == id }) {
                revision = (revisions[id] ?? 1) + 1
                shown.id = "\(id)\(Self.revisionSeparator)\(revision!)"
            }
            try Self.mapped { () throws(CardError) in try timeline.add(shown) }
            if let revision { revisions[id] = revision }
            current[id] = shown.id
            return shown.id
        }
        tracker.expect(cardID: id, internalID: internalID, visible: true, at: now)
        onChange?()
        return card
    }

    /// Told after every change an operator made (push, update, hide): the show record is kept.
    public var onChange: (@Sendable () -> Void)?

    /// Applies `patch` (any card fields but id and kind; `price` merges field by field).
    public func update(id: String, patch: [String: Any]) throws -> Card {
        for field in ["id", "kind", "start"] where patch[field] != nil {
            throw CardControlError.invalid("\(field): cannot be changed; push a new card instead")
        }
        let now = try nowSeconds()
        var patch = patch
        try ShowPatches.relativeDeadline(&patch, now: now)
        let changed = try lock.withLock {
            guard let internalID = current[id], let old = timeline.allCards.first(where: { $0.id == internalID })?.card else {
                throw CardControlError.unknownCard(id)
            }
            if let end = old.end, end <= now { throw CardControlError.conflict("card \"\(id)\" has already ended") }
            var object = try Self.encode(old)
            for (key, value) in try ShowPatches.expand(patch, kind: old.kind, into: &object) {
                if key == "price", let fields = value as? [String: Any], var price = object["price"] as? [String: Any] {
                    for (k, v) in fields { price[k] = v }
                    object["price"] = price
                } else if value is NSNull {
                    object.removeValue(forKey: key)
                } else {
                    object[key] = value
                }
            }
            guard old.start <= now else {
                // Not on screen yet: change it in place.
                let card = try Self.decode(object)
                try Self.mapped { () throws(CardError) in try timeline.update(card) }
                return card
            }
            let revision = (revisions[id] ?? 1) + 1
            let successorID = "\(id)\(Self.revisionSeparator)\(revision)"
            object["id"] = successorID
            object["start"] = now
            object["enter"] = ["style": "none", "durationMs": 0]
            ShowPatches.animateVotes(from: old, to: &object, patch: patch)
            var successor = try Self.decode(object)
            var ended = old
            ended.end = now
            ended.exit = .none
            // Validated (image decoded) once, before anything changes.
            let resolved = try Self.mapped { () throws(CardError) in try timeline.validator.resolve(successor) }
            try Self.mapped { () throws(CardError) in try timeline.update(ended) }
            try Self.mapped { () throws(CardError) in try timeline.add(resolved) }
            revisions[id] = revision
            current[id] = successorID
            tracker.expect(cardID: id, internalID: successorID, visible: true, at: now)
            successor.id = id
            return successor
        }
        onChange?()
        return changed
    }

    /// Hides the card: it leaves with its exit animation, starting now.
    public func hide(id: String) throws {
        let now = try nowSeconds()
        try lock.withLock {
            guard let internalID = current[id], var card = timeline.allCards.first(where: { $0.id == internalID })?.card else {
                throw CardControlError.unknownCard(id)
            }
            current[id] = nil
            if card.start > now {
                try Self.mapped { () throws(CardError) in try timeline.remove(id: internalID) }
                return
            }
            if let end = card.end, end <= now { return }
            card.end = now + (card.exit.style == .none ? 0 : Double(card.exit.durationMs) / 1000)
            try Self.mapped { () throws(CardError) in try timeline.update(card) }
        }
        tracker.expect(cardID: id, internalID: id, visible: false, at: now)
        onChange?()
    }

    /// Everything an operator's changes made of this job's cards: the timeline's cards (on the
    /// cards' clock), which one shows each API id now, and the revision counts. A live job process
    /// restarted after a crash starts from it, so no pushed or changed card is lost.
    public struct State: Codable, Sendable, Equatable {
        public var cards: [Card]
        public var current: [String: String]
        public var revisions: [String: Int]
    }

    public func state() -> State {
        lock.withLock { State(cards: timeline.allCards.map(\.card), current: current, revisions: revisions) }
    }

    /// After the timeline was given `state.cards`: the API ids and revisions as they were.
    public func restore(_ state: State) {
        let known = Set(timeline.allCards.map(\.id))
        lock.withLock {
            current = state.current.filter { known.contains($0.value) }
            revisions = state.revisions
        }
    }

    /// The API id a timeline card shows (`ID~r2` shows `ID`).
    public static func apiID(of internalID: String) -> String {
        internalID.components(separatedBy: revisionSeparator).first ?? internalID
    }

    /// The cards an operator can address, with their current content (under their API id).
    public func cards() -> [(card: Card, applied: CardApplyTracker.Applied?, pending: Bool)] {
        let map = lock.withLock { current }
        let all = timeline.allCards
        return map.keys.sorted().compactMap { id in
            guard var card = all.first(where: { $0.id == map[id] })?.card else { return nil }
            card.id = id
            return (card, tracker.applied(cardID: id), tracker.isPending(cardID: id))
        }
    }

    private func nowSeconds() throws -> Double {
        guard let seconds = playhead.seconds else { throw CardControlError.notStarted }
        return seconds
    }

    static func decode(_ object: [String: Any]) throws -> Card {
        do {
            let data = try JSONSerialization.data(withJSONObject: object)
            return try JSONDecoder().decode(Card.self, from: data)
        } catch let error as DecodingError {
            throw CardControlError.invalid(Self.describe(error))
        } catch {
            throw CardControlError.invalid("card: \(error)")
        }
    }

    public static func encode(_ card: Card) throws -> [String: Any] {
        let data = try JSONEncoder().encode(card)
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    /// Timeline errors as API errors: an oversized image is 413, everything else a bad field.
    static func mapped<T>(_ body: () throws(CardError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            switch error {
            case .duplicateID, .tooManyCards: throw CardControlError.conflict(error.description)
            case let .unknownCardID(id): throw CardControlError.unknownCard(id)
            case .image(_, _, .oversized), .image(_, _, .tooManyBytes):
                throw CardControlError.tooLarge(error.description)
            default: throw CardControlError.invalid(error.description)
            }
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
        }
        switch error {
        case let .keyNotFound(key, context): return "\(path(context).isEmpty ? "" : path(context) + ".")\(key.stringValue): required"
        case let .typeMismatch(type, context): return "\(path(context)): expected \(type)"
        case let .valueNotFound(type, context): return "\(path(context)): expected \(type), got null"
        case let .dataCorrupted(context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
