// ShowOverlayTests.swift - the show kinds drawn for real at 360p and read back: the poll's
// percentages, the question and the flash price by OCR (tesseract), the bars gliding between
// counts, the time-driven states, viewer text drawn literally, colour emoji and scripts.

import Foundation
import Testing
@testable import VitrineOverlay

@Suite struct ShowOverlayTests {
    let dollars = PriceSpec(amount: "19.99", currency: "USD", locale: "en-US")

    func resolved(_ content: CardContent, start: Double = 0, end: Double? = nil, theme: CardTheme = CardTheme()) throws -> ResolvedCard {
        let card = Card(id: "show-\(content.kind.rawValue)", sku: "SKU-1", content: content, theme: theme, start: start, end: end)
        return try CardValidator(imageDirectory: Fixtures.cards).resolve(card)
    }

    func poll(votes: [Int], closed: Bool = false, previous: [Int]? = nil) -> CardContent {
        .poll(PollContent(question: "Which colour next?",
                          options: zip(["Red", "Blue", "Green"], votes).map { PollOption(label: $0, votes: $1) },
                          closed: closed, previousVotes: previous))
    }

    @Test func pollPercentagesAreLegibleAt360p() throws {
        let card = try resolved(poll(votes: [30, 50, 20]))
        let rendered = try CardRenderer().render(card, frameWidth: 640, frameHeight: 360, phase: .still)
        #expect(rendered.diagnostics.pollPercentages == [30, 50, 20])
        let text = try OCR.read(rendered)
        for expected in ["Which colour", "30%", "50%", "20%", "Red", "Blue", "Green"] {
            #expect(text.contains(expected), "OCR read: \(text)")
        }
    }

    @Test func percentagesAddUpToAHundred() {
        #expect(PollContent.percentages(PollContent.shares([1, 1, 1])) == [34, 33, 33])
        #expect(PollContent.percentages(PollContent.shares([0, 0])) == [0, 0])
        #expect(PollContent.percentages(PollContent.shares([2, 1])).reduce(0, +) == 100)
    }

    @Test func barsGlideToNewCountsOverAFewFrames() throws {
        let card = try resolved(poll(votes: [80, 20, 0], previous: [20, 80, 0]), start: 10)
        let renderer = CardRenderer()
        var seen: [[Int]] = []
        // 30 fps over the transition: the first frame shows the old counts, the last the new.
        for frame in 0...20 {
            let t = 10 + Double(frame) / 30
            let phase = CardPhase.of(card.card, at: t, origin: nil)
            seen.append(try renderer.render(card, frameWidth: 640, frameHeight: 360, phase: phase).diagnostics.pollPercentages)
        }
        #expect(seen.first == [20, 80, 0])
        #expect(seen.last == [80, 20, 0])
        let firstShares = seen.map { $0[0] }
        #expect(firstShares == firstShares.sorted(), "the leader's bar only grows: \(firstShares)")
        #expect(Set(firstShares).count >= 6, "at least six distinct in-between frames, not a jump: \(firstShares)")
    }

    @Test func closedPollShowsTheWinner() throws {
        let card = try resolved(poll(votes: [3, 9, 1], closed: true))
        let phase = CardPhase.of(card.card, at: 1, origin: nil)
        #expect(phase.state == .closed)
        let text = try OCR.read(try CardRenderer().render(card, frameWidth: 640, frameHeight: 360, phase: phase))
        #expect(text.contains("Winner: Blue"), "OCR read: \(text)")
    }

    @Test func questionTextIsLegibleAt360p() throws {
        let card = try resolved(.question(QuestionContent(name: "Ana", text: "Does it come in size 38?")))
        let text = try OCR.read(try CardRenderer().render(card, frameWidth: 640, frameHeight: 360, phase: .still))
        #expect(text.contains("Ana"), "OCR read: \(text)")
        #expect(text.contains("Does it come in size 38?"), "OCR read: \(text)")
    }

    @Test func flashOfferCountsDownThenEndsAndLeavesByItself() throws {
        let card = try resolved(.flashOffer(FlashOfferContent(title: "Linen shirt", price: dollars, endsAt: .timeline(seconds: 40))), start: 10)
        let timeline = Timeline(imageDirectory: Fixtures.cards)
        try timeline.add(card)
        let before = try #require(timeline.visible(at: 20).first)
        #expect(before.phase.state == .active)
        #expect(before.phase.countdownSeconds == 20)
        let active = try OCR.read(try CardRenderer().render(card, frameWidth: 640, frameHeight: 360, phase: before.phase))
        #expect(active.contains("$19.99"), "OCR read: \(active)")
        #expect(active.contains("00:20"), "OCR read: \(active)")

        let after = try #require(timeline.visible(at: 41).first)
        #expect(after.phase.state == .ended)
        let ended = try OCR.read(try CardRenderer().render(card, frameWidth: 640, frameHeight: 360, phase: after.phase))
        #expect(ended.contains("Offer ended"), "OCR read: \(ended)")
        #expect(timeline.visible(at: 40 + FlashOfferContent.endedSeconds).isEmpty, "gone with no operator action")
    }

    @Test func giveawayGoesFromCountdownToDrawingToWinner() throws {
        let open = Card(id: "g", sku: "PRIZE", content: .giveaway(GiveawayContent(prize: "A tote bag", instructions: "Comment #WIN",
                                                                                   endsAt: .timeline(seconds: 30))), start: 0)
        #expect(CardPhase.of(open, at: 10, origin: nil) == CardPhase(countdownSeconds: 20, state: .open))
        #expect(CardPhase.of(open, at: 30, origin: nil).state == .drawing)
        var won = open
        won.content = .giveaway(GiveawayContent(prize: "A tote bag", endsAt: .timeline(seconds: 30), winner: "Lena"))
        #expect(CardPhase.of(won, at: 31, origin: nil).state == .won)
        let text = try OCR.read(try CardRenderer().render(try CardValidator(imageDirectory: Fixtures.cards).resolve(won),
                                                           frameWidth: 640, frameHeight: 360, phase: CardPhase(state: .won)))
        #expect(text.contains("Winner: Lena"), "OCR read: \(text)")
    }

    @Test func tickerRotatesThroughTheLastFewEvents() {
        let ticker = SocialProofContent(events: (1...7).map { "event \($0)" }, rotateSeconds: 4)
        #expect(ticker.event(after: 0) == 6, "newest first")
        #expect(ticker.event(after: 4.1) == 5)
        #expect(ticker.event(after: 4 * 5 + 0.1) == 6, "five lines rotate, then the newest again")
    }

    @Test func markupInViewerTextIsDrawnLiterally() throws {
        let fonts = PangoFonts()
        let literal = TextBlock("<b>Ana</b>", fonts: fonts, family: "DejaVu Sans", pixelSize: 20)
        let plain = TextBlock("Ana", fonts: fonts, family: "DejaVu Sans", pixelSize: 20)
        #expect(literal.size.width > plain.size.width * 2, "the tags take room: they are drawn, not applied")
        let card = try resolved(.question(QuestionContent(name: "Bob", text: "<span size=\"99999\">big</span> &amp; <i>x</i>")))
        let text = try OCR.read(try CardRenderer().render(card, frameWidth: 1280, frameHeight: 720, phase: .still))
        #expect(text.contains("<span") || text.contains("span size"), "OCR read: \(text)")
    }

    @Test func emojiRenderInColour() throws {
        // A grey theme: any saturated pixel comes from the emoji font.
        let grey = RGBAColor(red: 0x80, green: 0x80, blue: 0x80)
        let theme = CardTheme(background: RGBAColor(red: 0x20, green: 0x20, blue: 0x20), text: grey, accent: grey)
        let card = try resolved(.socialProof(SocialProofContent(events: ["🔥🛍️ 87 bought in the last 10 minutes"])), theme: theme)
        let rendered = try CardRenderer().render(card, frameWidth: 640, frameHeight: 360, phase: .still)
        #expect(rendered.diagnostics.unknownGlyphs == 0)
        var coloured = 0
        for i in stride(from: 0, to: rendered.pixels.count, by: 4) {
            let b = Int(rendered.pixels[i]), g = Int(rendered.pixels[i + 1]), r = Int(rendered.pixels[i + 2])
            if max(r, g, b) - min(r, g, b) > 60 { coloured += 1 }
        }
        #expect(coloured > 40, "colour emoji, not monochrome glyphs or tofu: \(coloured) coloured pixels")
    }

    @Test(arguments: ["مرحبا، هل يتوفر بمقاس ٣٨؟", "שלום, יש במידה 38?", "这个有38码吗？", "このバッグは何色がありますか"])
    func scriptsLayOutWithRealGlyphs(question: String) throws {
        let card = try resolved(.question(QuestionContent(name: "Viewer", text: question)))
        let rendered = try CardRenderer().render(card, frameWidth: 640, frameHeight: 360, phase: .still)
        #expect(rendered.diagnostics.unknownGlyphs == 0)
        let block = TextBlock(question, fonts: PangoFonts(), family: "DejaVu Sans", pixelSize: 20)
        let rtl = question.unicodeScalars.contains { (0x0590...0x06FF).contains($0.value) }
        #expect(block.isRightToLeft == rtl)
    }
}

/// The show kinds through a cards file, as `--cards` reads it: every card validates, renders at
/// every rung with real glyphs, and the painter draws them together.
@Suite struct ShowKindsFileTests {
    @Test func theShowKindsFixtureLoadsAndRendersAtEveryRung() throws {
        let cards = try CardsFile.load(contentsOf: Fixtures.cards.appendingPathComponent("show-kinds.json"))
        #expect(cards.map(\.card.kind) == [.poll, .question, .socialProof, .giveaway, .flashOffer])
        let renderer = CardRenderer()
        for (width, height) in [(1280, 720), (640, 360), (720, 1280)] {
            for card in cards {
                let phase = CardPhase.of(card.card, at: card.card.start + 1, origin: nil)
                let rendered = try renderer.render(card, frameWidth: width, frameHeight: height, phase: phase)
                #expect(rendered.diagnostics.unknownGlyphs == 0, "\(card.id) at \(width)x\(height)")
            }
        }
        let timeline = Timeline(imageDirectory: Fixtures.cards)
        try timeline.replaceAll(with: cards)
        let painter = OverlayPainter(timeline: timeline, frameWidth: 640, frameHeight: 360)
        let frame = TestFrame(width: 640, height: 360)
        #expect(try frame.withPlanes { try painter.paint(planes: $0, at: 12) } == 5)
        #expect(painter.lastOverlaps == 0)
    }

    @Test func aFileWithABadShowCardNamesTheField() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("""
            {"cards": [{"id": "p", "sku": "S", "kind": "poll", "question": "Q?", "start": 0,
                        "options": [{"label": "A", "votes": -1}, {"label": "B"}]}]}
            """, to: "cards.json")
        #expect(throws: CardError.self) { try CardsFile.load(contentsOf: file) }
        do { _ = try CardsFile.load(contentsOf: file) } catch {
            #expect("\(error)".contains("cards[0].options[0].votes"), "\(error)")
        }
    }
}
