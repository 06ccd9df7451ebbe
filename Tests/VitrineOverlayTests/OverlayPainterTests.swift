// OverlayPainterTests.swift - the per-frame entry point: draws what the timeline says, renders once
// per content/size/second, is deterministic per timestamp and refuses a frame of the wrong size.

import Dispatch
import Foundation
import Testing
@testable import VitrineOverlay

@Suite struct OverlayPainterTests {
    private func showTimeline() throws -> Timeline {
        let t = Timeline(imageDirectory: Fixtures.cards)
        try t.replaceAll(with: try Fixtures.resolvedShow())
        return t
    }

    @Test func paintsVisibleCardsAndCachesRenders() throws {
        let t = try showTimeline()
        let painter = OverlayPainter(timeline: t, frameWidth: 640, frameHeight: 360)
        #expect(painter.matrix == .bt601)
        let empty = TestFrame(width: 640, height: 360)
        let before = empty.snapshot()
        #expect(try empty.withPlanes { try painter.paint(planes: $0, at: 1) } == 0)
        #expect(empty.snapshot() == before)

        let frame = TestFrame(width: 640, height: 360)
        #expect(try frame.withPlanes { try painter.paint(planes: $0, at: 20) } == 4, "all four fixture cards are on screen at 20 s")
        #expect(frame.snapshot() != before)
        #expect(frame.guardsIntact())
        let renders = painter.renderCount
        for i in 0..<10 { try TestFrame(width: 640, height: 360).withPlanes { try painter.paint(planes: $0, at: 20 + Double(i) / 30) } }
        #expect(painter.renderCount == renders, "same second, same content: no new render")
        try TestFrame(width: 640, height: 360).withPlanes { try painter.paint(planes: $0, at: 21.5) }
        #expect(painter.renderCount == renders + 1, "only the countdown re-renders on a new second")
    }

    @Test func sameTimestampGivesIdenticalFrames() throws {
        let t = try showTimeline()
        let a = TestFrame(width: 1280, height: 720), b = TestFrame(width: 1280, height: 720)
        try a.withPlanes { try OverlayPainter(timeline: t, frameWidth: 1280, frameHeight: 720).paint(planes: $0, at: 10.25) }
        try b.withPlanes { try OverlayPainter(timeline: t, frameWidth: 1280, frameHeight: 720).paint(planes: $0, at: 10.25) }
        #expect(a.snapshot() == b.snapshot())
    }

    @Test func liveUpdateShowsUpOnTheNextFrame() throws {
        let t = try showTimeline()
        let painter = OverlayPainter(timeline: t, frameWidth: 854, frameHeight: 480)
        let first = TestFrame(width: 854, height: 480)
        try first.withPlanes { try painter.paint(planes: $0, at: 40) }
        var card = try #require(t.allCards.first { $0.id == "tote-price" }).card
        card.soldOut = true
        try t.update(card)
        let second = TestFrame(width: 854, height: 480)
        try second.withPlanes { try painter.paint(planes: $0, at: 40) }
        #expect(first.snapshot() != second.snapshot())
    }

    @Test func lanesPaintConcurrentlyWhileCardsChange() throws {
        // Four lanes (one painter each, own threads) share one timeline that is being updated.
        let t = try showTimeline()
        let rungs = [(1280, 720), (854, 480), (640, 360), (720, 1280)]
        let failures = Counter()
        DispatchQueue.concurrentPerform(iterations: rungs.count + 1) { lane in
            guard lane < rungs.count else {
                for step in 0..<30 {
                    guard var card = t.allCards.first(where: { $0.id == "tote-price" })?.card else { failures.increment(); return }
                    card.stock = "Only \(step) left"
                    do { try t.update(card) } catch { failures.increment() }
                }
                return
            }
            let (w, h) = rungs[lane]
            let painter = OverlayPainter(timeline: t, frameWidth: w, frameHeight: h)
            for frame in 0..<60 {
                let picture = TestFrame(width: w, height: h)
                do {
                    let drawn = try picture.withPlanes { try painter.paint(planes: $0, at: 10 + Double(frame) / 30) }
                    if drawn != 4 || !picture.guardsIntact() { failures.increment() }
                } catch {
                    failures.increment()
                }
            }
        }
        #expect(failures.value == 0)
    }

    @Test func wrongFrameSizeIsRefused() throws {
        let painter = OverlayPainter(timeline: try showTimeline(), frameWidth: 640, frameHeight: 360)
        #expect(throws: RenderError.frameSizeMismatch(expected: "640x360", got: "1280x720")) {
            try TestFrame(width: 1280, height: 720).withPlanes { try painter.paint(planes: $0, at: 20) }
        }
    }
}
