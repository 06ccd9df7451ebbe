// CardLayout+Show.swift - the layouts of the show kinds: poll bars, a viewer's question, the
// social-proof ticker, a giveaway and a flash offer. Same cursor-down scheme as the product kinds.

extension CardLayout {
    static let pollBarColorLoser = 0.45
    static let endedText = "Offer ended"
    static let drawingText = "Drawing the winner…"

    /// The question, then one row per option: label and percentage, with a bar of its share below.
    /// While `barStep` is below `CardPhase.barSteps`, bars and figures are part way from the old
    /// counts to the new ones (eased), so a vote update glides instead of jumping.
    mutating func poll(_ content: PollContent, barStep: Int?) {
        let pad = metrics.padding
        let question = text(content.question, size: metrics.titleSize, bold: true, maxWidth: innerWidth, maxLines: 2)
        ops.append(.text(question, x: pad, y: cursorY, color: theme.text, strike: false))
        diagnostics.titleWidth = question.size.width
        diagnostics.titleBoxWidth = Int(innerWidth)
        cursorY += Double(question.size.height) + metrics.gap

        let target = content.shares
        var shares = target
        if let step = barStep, let previous = content.previousVotes, step < CardPhase.barSteps {
            let from = PollContent.shares(previous)
            let p = Double(step) / Double(CardPhase.barSteps)
            let eased = 1 - (1 - p) * (1 - p) * (1 - p)
            shares = zip(from, target).map { $0 + ($1 - $0) * eased }
        }
        let percentages = PollContent.percentages(shares)
        let winners = content.closed ? Set(content.leaders) : []
        let barHeight = max(4, (metrics.base * 0.012).rounded())
        for (index, option) in content.options.enumerated() {
            let figure = text("\(percentages[index])%", size: metrics.smallSize, bold: true)
            let labelWidth = innerWidth - Double(figure.size.width) - metrics.gap
            let label = text(option.label, size: metrics.smallSize, bold: winners.contains(index), maxWidth: max(1, labelWidth))
            let rowHeight = Double(max(label.size.height, figure.size.height))
            ops.append(.text(label, x: pad, y: cursorY, color: theme.text, strike: false))
            ops.append(.text(figure, x: Double(width) - pad - Double(figure.size.width), y: cursorY, color: theme.text, strike: false))
            cursorY += rowHeight + metrics.gap / 2
            ops.append(.box(x: pad, y: cursorY, width: innerWidth, height: barHeight, radius: barHeight / 2,
                            color: faded(theme.text, 0.2)))
            let fill = (innerWidth * shares[index]).rounded()
            if fill >= 1 {
                let loser = content.closed && !winners.contains(index)
                ops.append(.box(x: pad, y: cursorY, width: fill, height: barHeight, radius: barHeight / 2,
                                color: loser ? faded(theme.accent, Self.pollBarColorLoser) : theme.accent))
            }
            cursorY += barHeight + metrics.gap
        }
        diagnostics.pollPercentages = percentages
        guard content.closed else { return }
        let names = content.leaders.map { content.options[$0].label }
        let verdict = names.isEmpty ? "Poll closed" : (names.count == 1 ? "Winner: \(names[0])" : "Tie: " + names.joined(separator: ", "))
        let block = text(verdict, size: metrics.lineSize, bold: true, maxWidth: innerWidth)
        ops.append(.text(block, x: pad, y: cursorY, color: theme.accent, strike: false))
        cursorY += Double(block.size.height)
    }

    /// A lower third: the viewer's picture (round) on the left, their name in the accent colour
    /// and the question below it, up to three lines.
    mutating func question(_ content: QuestionContent) {
        let pad = metrics.padding
        let side = card.image == nil ? 0 : (metrics.lineSize * 2.4).rounded()
        let textX = pad + (side > 0 ? side + pad : 0)
        let textWidth = Double(width) - textX - pad
        if let avatar = card.image {
            ops.append(.image(avatar, x: pad, y: cursorY, side: side, radius: side / 2))
        }
        let name = text(content.name, size: metrics.smallSize, bold: true, maxWidth: textWidth)
        ops.append(.text(name, x: textX, y: cursorY, color: theme.accent, strike: false))
        var columnY = cursorY + Double(name.size.height) + metrics.gap / 2
        let body = text(content.text, size: metrics.lineSize, maxWidth: textWidth, maxLines: 3)
        ops.append(.text(body, x: textX, y: columnY, color: theme.text, strike: false))
        diagnostics.titleWidth = body.size.width
        diagnostics.titleBoxWidth = Int(textWidth)
        columnY += Double(body.size.height)
        cursorY = max(cursorY + side, columnY)
    }

    /// One ticker line with an accent bar on its left edge; the line shown rotates (CardPhase).
    mutating func socialProof(_ content: SocialProofContent, eventIndex: Int?) {
        let index = min(max(0, eventIndex ?? content.events.count - 1), content.events.count - 1)
        let bar = max(3, metrics.padding / 2)
        let block = text(content.events[index], size: metrics.lineSize, bold: true, maxWidth: innerWidth - bar)
        ops.append(.box(x: 0, y: 0, width: bar, height: Double(metrics.frameHeight), radius: 0, color: theme.accent))
        ops.append(.text(block, x: metrics.padding + bar, y: cursorY, color: theme.text, strike: false))
        diagnostics.titleWidth = block.size.width
        diagnostics.titleBoxWidth = Int(innerWidth - bar)
        cursorY += Double(block.size.height)
    }

    /// "GIVEAWAY", the prize, how to enter, then the countdown to the draw, "Drawing the winner…"
    /// or the winner's name.
    mutating func giveaway(_ content: GiveawayContent, phase: CardPhase) {
        let pad = metrics.padding
        cursorY += pill("GIVEAWAY", x: pad, y: cursorY, maxWidth: innerWidth).height + metrics.gap
        headline(content.prize, maxLines: 2)
        if let instructions = content.instructions {
            let block = text(instructions, size: metrics.subtitleSize, maxWidth: innerWidth, maxLines: 2)
            ops.append(.text(block, x: pad, y: cursorY, color: faded(theme.text, 0.85), strike: false))
            cursorY += Double(block.size.height) + metrics.gap
        }
        switch phase.state {
        case .won:
            statusLine("Winner: \(content.winner ?? "")", color: theme.accent)
        case .drawing:
            statusLine(Self.drawingText, color: theme.text)
        default:
            countdown(CountdownContent(label: "Draw in", endsAt: content.endsAt), seconds: phase.countdownSeconds ?? 0)
        }
    }

    /// "FLASH OFFER", the product, the price and the time left; after the deadline the price is
    /// struck out under "Offer ended" until the card leaves by itself.
    mutating func flashOffer(_ content: FlashOfferContent, phase: CardPhase) {
        let pad = metrics.padding
        let ended = phase.state == .ended
        cursorY += pill("FLASH OFFER", x: pad, y: cursorY, maxWidth: innerWidth).height + metrics.gap
        headline(content.title, maxLines: 2)
        guard let prices = card.prices else { return }
        let block = price(prices.price, maxWidth: innerWidth)
        ops.append(.text(block, x: pad, y: cursorY, color: ended ? faded(theme.text, 0.6) : theme.text, strike: ended))
        cursorY += Double(block.size.height)
        if ended {
            statusLine(Self.endedText, color: theme.accent)
        } else {
            countdown(CountdownContent(label: CountdownContent.defaultLabel, endsAt: content.endsAt), seconds: phase.countdownSeconds ?? 0)
        }
    }

    /// A bold title across the card (prize, offer), up to `maxLines` lines.
    private mutating func headline(_ string: String, maxLines: Int) {
        let block = text(string, size: metrics.titleSize, bold: true, maxWidth: innerWidth, maxLines: maxLines)
        ops.append(.text(block, x: metrics.padding, y: cursorY, color: theme.text, strike: false))
        diagnostics.titleWidth = block.size.width
        diagnostics.titleBoxWidth = Int(innerWidth)
        cursorY += Double(block.size.height) + metrics.gap / 2
    }

    private mutating func statusLine(_ string: String, color: RGBAColor) {
        let block = text(string, size: metrics.lineSize, bold: true, maxWidth: innerWidth)
        ops.append(.text(block, x: metrics.padding, y: cursorY, color: color, strike: false))
        cursorY += Double(block.size.height)
    }
}
