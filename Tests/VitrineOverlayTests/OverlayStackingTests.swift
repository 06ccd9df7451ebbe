// OverlayStackingTests.swift - several overlays on screen at once never overlap: each kind pushed
// together with the product kinds, at landscape and portrait rungs, down to 360p. Set
// VITRINE_DUMP_DIR to get each stacked frame as a PNG to look at.

import Foundation
import Testing
@testable import VitrineOverlay

@Suite struct OverlayStackingTests {
    static let usd = PriceSpec(amount: "49.00", compareAt: "69.00", currency: "USD", locale: "en-US")

    /// A show's overlays at once: the product on air and every show kind.
    static let showKinds: [CardContent] = [
        .productCard(ProductCardContent(title: "Canvas tote bag", subtitle: "Organic cotton", image: "sneaker.png", price: usd)),
        .poll(PollContent(question: "Which colour next?", options: [PollOption(label: "Red", votes: 3), PollOption(label: "Blue", votes: 5)])),
        .question(QuestionContent(name: "Ana", text: "Does it come in size 38?")),
        .socialProof(SocialProofContent(events: ["Ana from Lyon just bought", "87 bought in the last 10 minutes"])),
        .giveaway(GiveawayContent(prize: "A tote bag", instructions: "Comment #WIN to enter", endsAt: .timeline(seconds: 300))),
        .flashOffer(FlashOfferContent(title: "Linen shirt", price: usd, endsAt: .timeline(seconds: 120))),
    ]

    /// More than a frame can hold side by side at landscape rungs: the product kinds as well.
    static let everything: [CardContent] = showKinds + [
        .priceTag(PriceTagContent(price: usd)),
        .countdown(CountdownContent(endsAt: .timeline(seconds: 600))),
        .banner(BannerContent(text: "Code LIVE10: 10% off")),
    ]

    static func timeline(_ contents: [CardContent]) throws -> Timeline {
        let timeline = Timeline(imageDirectory: Fixtures.cards)
        for (index, content) in contents.enumerated() {
            try timeline.add(Card(id: "c\(index)", sku: "SKU-\(index)", content: content, start: 0))
        }
        return timeline
    }

    /// The stacked boxes of what is on screen at 10 s, and how many pairs overlap.
    func stack(_ contents: [CardContent], width: Int, height: Int) throws -> (boxes: [CardBox], meeting: Int, painter: OverlayPainter) {
        let timeline = try Self.timeline(contents)
        let painter = OverlayPainter(timeline: timeline, frameWidth: width, frameHeight: height)
        let placed = timeline.visible(at: 10)
        #expect(placed.count == contents.count)
        let rendered = try placed.map { try painter.render($0) }
        let shifts = painter.stackingShifts(placed, rendered)
        let boxes = zip(rendered, shifts).map { CardBox(x: $0.x, y: $0.y + $1, width: $0.width, height: $0.height) }
        var meeting = 0
        for (i, a) in boxes.enumerated() {
            #expect(a.y >= 0 && a.maxY <= height && a.x >= 0 && a.x + a.width <= width, "card \(i) inside the frame")
            meeting += boxes[(i + 1)...].filter { a.meets($0, gap: 0) }.count
        }
        let frame = TestFrame(width: width, height: height)
        #expect(try frame.withPlanes { try painter.paint(planes: $0, at: 10) } == contents.count)
        #expect(frame.guardsIntact())
        if let dump = ProcessInfo.processInfo.environment["VITRINE_DUMP_DIR"] {
            try Self.writeComposite(rendered, shifts, width: width, height: height,
                                    to: URL(fileURLWithPath: dump).appendingPathComponent("stack-\(contents.count)-\(width)x\(height).png"))
        }
        return (boxes, meeting, painter)
    }

    @Test(arguments: [(1920, 1080), (1280, 720), (854, 480), (640, 360), (1080, 1920), (720, 1280), (360, 640)])
    func showOverlaysPushedTogetherNeverOverlap(width: Int, height: Int) throws {
        let result = try stack(Self.showKinds, width: width, height: height)
        #expect(result.meeting == 0, "overlapping cards at \(width)x\(height): \(result.boxes)")
        #expect(result.painter.lastOverlaps == 0)
    }

    @Test(arguments: [(1280, 720), (640, 360), (720, 1280), (360, 640)])
    func aFullFrameSaysHowManyCardsFoundNoRoom(width: Int, height: Int) throws {
        let result = try stack(Self.everything, width: width, height: height)
        #expect(result.painter.lastOverlaps <= result.meeting)
        #expect((result.meeting == 0) == (result.painter.lastOverlaps == 0), "a counted overlap is a real one, and every one is counted")
    }

    @Test func theRuleMovesACardPastTheOneBeforeIt() {
        let first = CardBox(x: 0, y: 300, width: 200, height: 50)
        let second = CardBox(x: 100, y: 310, width: 200, height: 40)
        let result = CardStacking.shifts(for: [(first, .bottomLeft), (second, .bottomRight)], frameHeight: 360, gap: 4)
        #expect(result.shifts == [0, (300 - 4 - 40) & ~1 - 310])
        let top = CardStacking.shifts(for: [(first, .topLeft), (second, .topLeft)], frameHeight: 400, gap: 4)
        #expect(top.shifts == [0, (300 + 50 + 4 + 1) & ~1 - 310])
        let apart = CardStacking.shifts(for: [(first, .bottomLeft), (CardBox(x: 300, y: 300, width: 50, height: 50), .bottomRight)],
                                        frameHeight: 360, gap: 4)
        #expect(apart.shifts == [0, 0], "cards that do not meet stay where they are")
    }

    /// The cards pasted on grey at their stacked places, for looking at.
    static func writeComposite(_ cards: [RenderedCard], _ shifts: [Int], width: Int, height: Int, to url: URL) throws {
        var pixels = [UInt8](repeating: 0x60, count: width * height * 4)
        for i in stride(from: 3, to: pixels.count, by: 4) { pixels[i] = 255 }
        for (card, shift) in zip(cards, shifts) {
            for row in 0..<card.height {
                let y = card.y + shift + row
                guard (0..<height).contains(y) else { continue }
                for column in 0..<card.width where (0..<width).contains(card.x + column) {
                    let s = (row * card.width + column) * 4, d = (y * width + card.x + column) * 4
                    let alpha = Int(card.pixels[s + 3])
                    for c in 0..<3 { pixels[d + c] = UInt8(Int(card.pixels[s + c]) + Int(pixels[d + c]) * (255 - alpha) / 255) }
                }
            }
        }
        try CardSnapshot.writePNG(width: width, height: height, pixels: pixels, to: url)
    }
}
