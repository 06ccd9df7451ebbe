// An operator's card commands on a running job, wherever the job runs: in this process (its
// CardControl) or in a job process (a proxy that sends them over the job protocol). Results are
// the JSON objects the API answers with, made by `CardControl.view` on the side that holds the
// cards, so both paths answer alike.
import Foundation
import VitrineOverlay

public protocol CardCommands: AnyObject, Sendable {
    /// Every card an operator can address, as API objects.
    func listCards() async throws -> [[String: Any]]
    func pushCard(_ body: [String: Any]) async throws -> [String: Any]
    func updateCard(id: String, patch: [String: Any]) async throws -> [String: Any]
    func hideCard(id: String) async throws
}

extension CardControl: CardCommands {
    public func listCards() async throws -> [[String: Any]] { try cards().map(Self.view) }

    public func pushCard(_ body: [String: Any]) async throws -> [String: Any] {
        try Self.view((try push(body), nil, true))
    }

    public func updateCard(id: String, patch: [String: Any]) async throws -> [String: Any] {
        try Self.view((try update(id: id, patch: patch), nil, true))
    }

    public func hideCard(id: String) async throws {
        try hide(id: id)
    }

    /// A card as the API shows it: its fields, whether a change is still on its way to the
    /// pictures, and how long the last one took.
    public static func view(_ item: (card: Card, applied: CardApplyTracker.Applied?, pending: Bool)) throws -> [String: Any] {
        var object = try encode(item.card)
        object["applying"] = item.pending
        if let applied = item.applied {
            object["applied"] = ["delayMs": (applied.delayMilliseconds * 10).rounded() / 10, "delayFrames": applied.delayFrames]
        }
        return object
    }
}
