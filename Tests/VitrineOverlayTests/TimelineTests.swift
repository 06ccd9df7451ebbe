// TimelineTests.swift - which cards are on screen when, their animation state, validated live
// updates that leave state untouched when refused, and concurrent use.

import Dispatch
import Foundation
import Testing
@testable import VitrineOverlay

@Suite struct TimelineTests {
    private func timeline() -> Timeline { Timeline(imageDirectory: Fixtures.cards) }

    @Test func visibilityIsHalfOpen() throws {
        let t = timeline()
        try t.add(sampleCard(start: 10, end: 20))
        try t.add(sampleCard(id: "forever", start: 15, end: nil))
        #expect(t.visible(at: 9.999).isEmpty)
        #expect(t.visible(at: 10).map(\.card.id) == ["tag"])
        #expect(t.visible(at: 19.999).map(\.card.id) == ["tag", "forever"])
        #expect(t.visible(at: 20).map(\.card.id) == ["forever"])
        #expect(t.visible(at: 1_000_000).map(\.card.id) == ["forever"])
        #expect(t.visible(at: .nan).isEmpty)
    }

    @Test func aJobHoldsABoundedNumberOfCards() throws {
        let t = timeline()
        for i in 0..<Timeline.maxCards { try t.add(sampleCard(id: "c\(i)", start: Double(i), end: nil)) }
        #expect(throws: CardError.tooManyCards(limit: Timeline.maxCards)) { try t.add(sampleCard(id: "one-more", start: 0, end: nil)) }
        #expect(t.allCards.count == Timeline.maxCards)
    }

    @Test func anImageIsDecodedOncePerTimeline() throws {
        // Two product cards with one picture (a card and its price-drop successor, say).
        let card = #"{"sku": "SNK-1", "kind": "productCard", "title": "Tênis", "image": "sneaker.png", "price": {"amount": "129.90", "currency": "BRL", "locale": "pt-BR"}, "start": 0}"#
        let text = #"{"cards": ["# + card.replacingOccurrences(of: "{", with: #"{"id": "a", "#, options: [], range: card.range(of: "{")) + ", "
            + card.replacingOccurrences(of: "{", with: #"{"id": "b", "#, options: [], range: card.range(of: "{")) + "]}"
        let cards = try CardsFile.load(Data(text.utf8), imageDirectory: Fixtures.cards)
        #expect(cards.count == 2 && cards[0].image != nil && cards[0].image === cards[1].image)
    }

    @Test func fadeInAndOut() throws {
        let t = timeline()
        try t.add(sampleCard(start: 10, end: 20, enter: CardAnimation(style: .fade, durationMs: 400),
                             exit: CardAnimation(style: .fade, durationMs: 1000)))
        #expect(t.visible(at: 10)[0].alpha == 0)
        #expect(abs(t.visible(at: 10.2)[0].alpha - 0.5) < 1e-9)
        #expect(t.visible(at: 10.4)[0].alpha == 1)
        #expect(t.visible(at: 15)[0].alpha == 1)
        #expect(abs(t.visible(at: 19.5)[0].alpha - 0.5) < 1e-9)
        #expect(t.visible(at: 19.99)[0].alpha < 0.02)
        #expect(t.visible(at: 15)[0].slide == .zero)
    }

    @Test func slideStartsOffScreenAndSettles() throws {
        let t = timeline()
        try t.add(sampleCard(start: 10, end: 20, enter: CardAnimation(style: .slide, durationMs: 500),
                             exit: CardAnimation(style: .slide, durationMs: 500), anchor: .bottomLeft))
        let first = t.visible(at: 10)[0]
        #expect(first.alpha == 1)
        #expect(first.slide == SlideOffset(frameX: -0.05, cardX: -1))
        // Fully out at the first frame: x = margin + offset = -cardWidth.
        let px = first.slide.pixels(frameWidth: 1280, frameHeight: 720, cardWidth: 320, cardHeight: 100)
        #expect(px.x == -64 - 320 && px.y == 0)
        let mid = t.visible(at: 10.25)[0].slide
        #expect(mid.cardX > -1 && mid.cardX < 0)
        #expect(t.visible(at: 10.5)[0].slide == .zero)
        let leaving = t.visible(at: 19.75)[0].slide
        #expect(leaving.cardX < 0 && leaving.cardX > -1)

        try t.add(sampleCard(id: "right", start: 10, end: nil, enter: CardAnimation(style: .slide, durationMs: 500), anchor: .topRight))
        #expect(t.visible(at: 10)[1].slide.cardX == 1)
    }

    @Test func sameTimestampSameStateEverywhere() throws {
        let t = timeline()
        try t.add(sampleCard(start: 1, end: 9, enter: CardAnimation(style: .fade, durationMs: 333)))
        // Two "renditions" asking about the same PTS, e.g. 1.2 s as 90 kHz ticks.
        let pts = Double(108_000) / 90_000
        let a = t.visible(at: pts), b = t.visible(at: 1.2)
        #expect(a.map(\.alpha) == b.map(\.alpha))
    }

    @Test func countdownTicksEverySecond() throws {
        let t = timeline()
        try t.add(Card(id: "c", sku: "s", content: .countdown(CountdownContent(label: "Ends in", endsAt: .timeline(seconds: 140))), start: 0, end: 140))
        #expect(t.visible(at: 7)[0].countdownSeconds == 133)
        #expect(t.visible(at: 7.5)[0].countdownSeconds == 133)
        #expect(t.visible(at: 8)[0].countdownSeconds == 132)
        #expect(t.visible(at: 139.9)[0].countdownSeconds == 1)
    }

    @Test func dateCountdownsNeedAWallClock() throws {
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        let card = Card(id: "d", sku: "s", content: .countdown(CountdownContent(endsAt: .date(date))), start: 0)
        #expect(throws: CardError.countdownNeedsWallClock(path: "card \"d\"")) { try timeline().add(card) }
        let t = Timeline(imageDirectory: Fixtures.cards, wallClockOrigin: date.addingTimeInterval(-100))
        try t.add(card)
        #expect(t.visible(at: 30)[0].countdownSeconds == 70)
    }

    @Test func updateReplacesByID() throws {
        let t = timeline()
        try t.add(sampleCard(id: "a"))
        try t.add(sampleCard(id: "b"))
        try t.update(sampleCard(id: "a", amount: "9.99"))
        #expect(t.allCards.map(\.id) == ["a", "b"], "update keeps draw order")
        #expect(t.allCards[0].prices?.price == "$9.99")
        #expect(throws: CardError.unknownCardID("zzz")) { try t.update(sampleCard(id: "zzz")) }
        #expect(throws: CardError.duplicateID("a")) { try t.add(sampleCard(id: "a")) }
        try t.remove(id: "a")
        #expect(t.allCards.map(\.id) == ["b"])
        #expect(throws: CardError.unknownCardID("a")) { try t.remove(id: "a") }
    }

    @Test func refusedUpdateLeavesStateUntouched() throws {
        let t = timeline()
        try t.add(sampleCard(id: "a"))
        let before = t.allCards
        let revision = t.revision
        #expect(throws: CardError.unknownCurrency(path: "card \"a\".price.currency", code: "ZZZ")) {
            try t.update(sampleCard(id: "a", amount: "1.00", currency: "ZZZ"))
        }
        var bad = sampleCard(id: "a")
        bad.end = 5
        #expect(throws: CardError.endBeforeStart(path: "card \"a\"", start: 10, end: 5)) { try t.update(bad) }
        #expect(t.allCards == before)
        #expect(t.revision == revision)
    }

    @Test func concurrentUpdatesAndReads() throws {
        let t = timeline()
        for i in 0..<4 { try t.add(sampleCard(id: "card\(i)", start: 0, end: nil)) }
        let failures = Counter()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for step in 0..<200 {
                let id = "card\(step % 4)"
                if worker % 2 == 0 {
                    do { try t.update(sampleCard(id: id, start: 0, end: nil, amount: "\(worker).\(step % 100 < 10 ? "0" : "")\(step % 100)")) } catch { failures.increment() }
                } else {
                    let visible = t.visible(at: Double(step) / 10)
                    if visible.count != 4 { failures.increment() }
                }
            }
        }
        #expect(failures.value == 0)
        #expect(t.allCards.map(\.id) == ["card0", "card1", "card2", "card3"])
        #expect(t.revision == 4 + 4 * 200)
    }
}

/// A locked counter for the concurrency test.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
