// CardValidator+Show.swift - the limits of the show kinds. Their text mostly comes from viewers
// (names, questions, events, poll answers), so every length and count is capped here, before the
// card reaches a lane.

extension CardValidator {
    static let maxNameLength = 40
    static let maxOptionLength = 60
    static let maxEventLength = 120
    /// Events a ticker may hold; only the last `SocialProofContent.keptEvents` are shown.
    static let maxEvents = 50
    static let maxVotes = 1_000_000_000
    static let rotateSecondsRange = 1.0...60.0

    func checkPoll(_ poll: PollContent, _ root: String) throws(CardError) {
        try checkText(poll.question, "\(root).question")
        guard PollContent.optionCount.contains(poll.options.count) else {
            throw .invalidValue(path: "\(root).options", reason: "a poll has 2 to 4 options, not \(poll.options.count)", line: nil)
        }
        for (index, option) in poll.options.enumerated() {
            try checkText(option.label, "\(root).options[\(index)].label", limit: Self.maxOptionLength)
            try checkVotes(option.votes, "\(root).options[\(index)].votes")
        }
        if let previous = poll.previousVotes {
            guard previous.count == poll.options.count else {
                throw .invalidValue(path: "\(root).previousVotes", reason: "one count per option (\(poll.options.count)), not \(previous.count)", line: nil)
            }
            for (index, votes) in previous.enumerated() { try checkVotes(votes, "\(root).previousVotes[\(index)]") }
        }
    }

    private func checkVotes(_ votes: Int, _ path: String) throws(CardError) {
        guard (0...Self.maxVotes).contains(votes) else {
            throw .invalidValue(path: path, reason: "votes must be 0 to \(Self.maxVotes), not \(votes)", line: nil)
        }
    }

    func checkQuestion(_ question: QuestionContent, _ root: String) throws(CardError) {
        try checkText(question.name, "\(root).name", limit: Self.maxNameLength)
        try checkText(question.text, "\(root).question")
    }

    func checkSocialProof(_ ticker: SocialProofContent, _ root: String) throws(CardError) {
        guard (1...Self.maxEvents).contains(ticker.events.count) else {
            throw .invalidValue(path: "\(root).events", reason: "1 to \(Self.maxEvents) events, not \(ticker.events.count)", line: nil)
        }
        for (index, event) in ticker.events.enumerated() {
            try checkText(event, "\(root).events[\(index)]", limit: Self.maxEventLength)
        }
        guard Self.rotateSecondsRange.contains(ticker.rotateSeconds) else {
            throw .invalidValue(path: "\(root).rotateSeconds", reason: "1 to 60 seconds, not \(ticker.rotateSeconds)", line: nil)
        }
    }

    func checkGiveaway(_ giveaway: GiveawayContent, _ root: String) throws(CardError) {
        try checkText(giveaway.prize, "\(root).prize")
        if let instructions = giveaway.instructions { try checkText(instructions, "\(root).instructions") }
        if let winner = giveaway.winner { try checkText(winner, "\(root).winner", limit: Self.maxNameLength) }
        try checkDeadline(giveaway.endsAt, root)
    }
}
