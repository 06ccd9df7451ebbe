// GoldenImageTests.swift - two fixture cards rendered at 1280x720 and 640x360, compared with PNGs
// under Fixtures/cards/golden/ by mean absolute difference (font rasterizers vary a little).
// VITRINE_REFRESH_GOLDENS=1 rewrites the PNGs (see Fixtures/cards/refresh-goldens.sh).

import Foundation
import Testing
@testable import VitrineOverlay

@Suite struct GoldenImageTests {
    static let tolerance = 2.0
    static var refreshing: Bool { ProcessInfo.processInfo.environment["VITRINE_REFRESH_GOLDENS"] == "1" }

    @Test(arguments: [("sneaker-drop", 1280, 720), ("sneaker-drop", 640, 360), ("tote-price", 1280, 720), ("tote-price", 640, 360)])
    func matchesGolden(id: String, width: Int, height: Int) throws {
        let card = try #require(try Fixtures.resolvedShow().first { $0.id == id })
        let rendered = try CardRenderer().render(card, frameWidth: width, frameHeight: height)
        let url = Fixtures.golden.appendingPathComponent("\(id)-\(width)x\(height).png")
        if Self.refreshing {
            try FileManager.default.createDirectory(at: Fixtures.golden, withIntermediateDirectories: true)
            try CardSnapshot.writePNG(rendered, to: url)
            return
        }
        let golden = try CardSnapshot.readPNG(at: url)
        #expect(golden.width == rendered.width && golden.height == rendered.height)
        guard golden.width == rendered.width, golden.height == rendered.height else { return }
        let diff = Self.meanAbsoluteDifference(golden.pixels, rendered.pixels)
        #expect(diff <= Self.tolerance, "mean abs diff \(diff) vs \(url.lastPathComponent)")
    }

    @Test func comparisonDetectsAChangedCard() throws {
        // Guards the guard: a visibly different card (sold out) must exceed the tolerance.
        var card = try #require(try Fixtures.resolvedShow().first { $0.id == "sneaker-drop" }).card
        let normal = try CardRenderer().render(try CardValidator(imageDirectory: Fixtures.cards).resolve(card), frameWidth: 640, frameHeight: 360)
        card.soldOut = true
        let stamped = try CardRenderer().render(try CardValidator(imageDirectory: Fixtures.cards).resolve(card), frameWidth: 640, frameHeight: 360)
        #expect(Self.meanAbsoluteDifference(normal.pixels, stamped.pixels) > Self.tolerance)
    }

    /// VITRINE_DUMP_CARDS=/some/dir writes every fixture card at several rungs, for eyeballing.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["VITRINE_DUMP_CARDS"] != nil))
    func dumpFixtureCards() throws {
        let folder = URL(fileURLWithPath: try #require(ProcessInfo.processInfo.environment["VITRINE_DUMP_CARDS"]))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let renderer = CardRenderer()
        for card in try Fixtures.resolvedShow() {
            for (w, h) in [(1280, 720), (640, 360), (720, 1280)] {
                var soldOut = card.card
                soldOut.soldOut = true
                for (suffix, variant) in [("", card), ("-soldout", try CardValidator(imageDirectory: Fixtures.cards).resolve(soldOut))] {
                    let r = try renderer.render(variant, frameWidth: w, frameHeight: h, countdownSeconds: 133)
                    try CardSnapshot.writePNG(r, to: folder.appendingPathComponent("\(card.id)-\(w)x\(h)\(suffix).png"))
                }
            }
        }
    }

    static func meanAbsoluteDifference(_ a: [UInt8], _ b: [UInt8]) -> Double {
        precondition(a.count == b.count)
        var total = 0
        for i in 0..<a.count { total += abs(Int(a[i]) - Int(b[i])) }
        return Double(total) / Double(max(1, a.count))
    }
}
