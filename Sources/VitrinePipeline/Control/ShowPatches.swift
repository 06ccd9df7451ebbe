// ShowPatches.swift - the PATCH conveniences of the show kinds, applied to the card's JSON object
// before it is decoded and validated like any other change:
// - a ticker takes `{"event": "Ana from Lyon just bought"}` and adds it as the newest line;
// - a poll whose votes change on screen gets `previousVotes`, so its bars glide to the new counts;
// - `endsIn` (seconds from now) sets a countdown, giveaway or offer deadline on the card clock,
//   which an operator cannot know, for pushes and changes alike.
import Foundation
import VitrineOverlay

enum ShowPatches {
    /// Lines a ticker keeps when events are pushed one at a time (the oldest drop off).
    static let tickerLines = 10

    /// Turns the shorthand fields of `patch` into card fields of `object` (the card as JSON).
    /// Returns the patch left to merge field by field.
    static func expand(_ patch: [String: Any], kind: Card.Kind, into object: inout [String: Any]) throws -> [String: Any] {
        var rest = patch
        guard let event = rest.removeValue(forKey: "event") else { return rest }
        guard kind == .socialProof else { throw CardControlError.invalid("event: only a socialProof card takes events") }
        guard let line = event as? String else { throw CardControlError.invalid("event: a string") }
        var events = (rest.removeValue(forKey: "events") ?? object["events"]) as? [Any] ?? []
        events.append(line)
        object["events"] = Array(events.suffix(tickerLines))
        return rest
    }

    /// Replaces `endsIn` in `fields` by `endsAt`, `now` + that many seconds on the card clock.
    static func relativeDeadline(_ fields: inout [String: Any], now: Double) throws {
        guard let endsIn = fields.removeValue(forKey: "endsIn") else { return }
        guard let seconds = (endsIn as? NSNumber)?.doubleValue, seconds.isFinite, seconds > 0, seconds <= 86_400 else {
            throw CardControlError.invalid("endsIn: a number of seconds from now, above 0 and at most a day")
        }
        fields["endsAt"] = now + seconds
    }

    /// For a poll changed on screen: the counts its bars move from, unless the patch set them.
    static func animateVotes(from old: Card, to object: inout [String: Any], patch: [String: Any]) {
        guard case let .poll(before) = old.content, patch["previousVotes"] == nil else { return }
        let votes = (object["options"] as? [[String: Any]])?.map { ($0["votes"] as? NSNumber)?.intValue ?? 0 }
        let oldVotes = before.options.map(\.votes)
        if let votes, votes != oldVotes, votes.count == oldVotes.count {
            object["previousVotes"] = oldVotes
        } else {
            object.removeValue(forKey: "previousVotes")
        }
    }
}
