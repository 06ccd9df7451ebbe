// ShowContent.swift - the show around the product: polls, viewers' questions, social proof,
// giveaways and flash offers. Viewer text (names, questions, events, options) is plain text:
// Pango draws it with pango_layout_set_text, so markup in it is shown, never interpreted.

/// One answer of a poll and its vote count.
public struct PollOption: Codable, Hashable, Sendable {
    public var label: String
    public var votes: Int

    public init(label: String, votes: Int = 0) {
        self.label = label
        self.votes = votes
    }

    enum CodingKeys: String, CodingKey { case label, votes }

    /// A new poll's options may leave `votes` out: none yet.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        label = try c.decode(String.self, forKey: .label)
        votes = try c.decodeIfPresent(Int.self, forKey: .votes) ?? 0
    }
}

/// "Which colour next?" with 2 to 4 options drawn as bars of their share of the votes.
public struct PollContent: Hashable, Sendable {
    public var question: String
    public var options: [PollOption]
    /// A closed poll shows its winner.
    public var closed: Bool
    /// The counts the bars move from (the votes before the last change on screen), set by the
    /// server when a PATCH changes the votes, so bars glide to their new length.
    public var previousVotes: [Int]?

    public static let optionCount = 2...4

    public init(question: String, options: [PollOption], closed: Bool = false, previousVotes: [Int]? = nil) {
        self.question = question
        self.options = options
        self.closed = closed
        self.previousVotes = previousVotes
    }

    /// Each option's share of the votes in 0...1 (all 0 before the first vote).
    public static func shares(_ votes: [Int]) -> [Double] {
        let total = votes.reduce(0) { $0 + max(0, $1) }
        guard total > 0 else { return votes.map { _ in 0 } }
        return votes.map { Double(max(0, $0)) / Double(total) }
    }

    public var shares: [Double] { Self.shares(options.map(\.votes)) }

    /// Whole percentages that add up to 100 (largest remainder), as viewers expect to read them.
    public static func percentages(_ shares: [Double]) -> [Int] {
        guard shares.contains(where: { $0 > 0 }) else { return shares.map { _ in 0 } }
        let exact = shares.map { $0 * 100 }
        var whole = exact.map { Int($0.rounded(.down)) }
        let order = exact.indices.sorted { (exact[$0] - Double(whole[$0])) > (exact[$1] - Double(whole[$1])) }
        for index in order.prefix(max(0, 100 - whole.reduce(0, +))) { whole[index] += 1 }
        return whole
    }

    /// Indices of the options with the most votes (more than one on a tie); empty before any vote.
    public var leaders: [Int] {
        guard let top = options.map(\.votes).max(), top > 0 else { return [] }
        return options.indices.filter { options[$0].votes == top }
    }
}

/// A viewer's question shown on air as a lower third.
public struct QuestionContent: Hashable, Sendable {
    /// The viewer's display name.
    public var name: String
    public var text: String
    /// Path of the viewer's picture (PNG, JPEG or WebP) in the images folder; drawn round.
    public var avatar: String?

    public init(name: String, text: String, avatar: String? = nil) {
        self.name = name
        self.text = text
        self.avatar = avatar
    }
}

/// A ticker of recent events ("Ana from Lyon just bought", "87 bought in the last 10 minutes").
public struct SocialProofContent: Hashable, Sendable {
    /// Oldest first; the newest is shown first and the ticker rotates through the last few.
    public var events: [String]
    public var rotateSeconds: Double

    /// Events kept and rotated through: older ones drop off as new ones are pushed.
    public static let keptEvents = 5
    public static let defaultRotateSeconds = 4.0

    public init(events: [String], rotateSeconds: Double = SocialProofContent.defaultRotateSeconds) {
        self.events = events
        self.rotateSeconds = rotateSeconds
    }

    /// The event on screen `elapsed` seconds after the card (or its last change) appeared.
    public func event(after elapsed: Double) -> Int {
        let shown = min(events.count, Self.keptEvents)
        guard shown > 1, elapsed.isFinite, elapsed > 0, rotateSeconds > 0 else { return events.count - 1 }
        let step = Int(min((elapsed / rotateSeconds).rounded(.down), Double(Int32.max))) % shown
        return events.count - 1 - step
    }
}

/// "Comment #WIN to enter", a countdown to the draw, then the winner's name.
public struct GiveawayContent: Hashable, Sendable {
    public var prize: String
    public var instructions: String?
    public var endsAt: CountdownTarget
    /// Set by the operator once drawn; the card then shows it.
    public var winner: String?

    public init(prize: String, instructions: String? = nil, endsAt: CountdownTarget, winner: String? = nil) {
        self.prize = prize
        self.instructions = instructions
        self.endsAt = endsAt
        self.winner = winner
    }
}

/// A price valid until a deadline. At the deadline it shows "Offer ended" for a moment and
/// leaves the screen by itself.
public struct FlashOfferContent: Hashable, Sendable {
    public var title: String
    public var price: PriceSpec
    public var endsAt: CountdownTarget

    /// How long "Offer ended" stays on screen after the deadline.
    public static let endedSeconds = 3.0

    public init(title: String, price: PriceSpec, endsAt: CountdownTarget) {
        self.title = title
        self.price = price
        self.endsAt = endsAt
    }
}
