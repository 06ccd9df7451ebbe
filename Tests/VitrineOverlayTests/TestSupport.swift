// TestSupport.swift - shared helpers: fixture paths, temporary folders and a YUV 4:2:0 test frame
// with padded rows and guard bytes, so any write outside the picture is caught.

import Foundation
@testable import VitrineOverlay

enum Fixtures {
    /// Fixtures/cards in the repository (two levels up from this file's folder).
    static let cards: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/cards")
    static let showJSON = cards.appendingPathComponent("show.json")
    static let golden = cards.appendingPathComponent("golden")

    static func showText() throws -> String {
        try String(contentsOf: showJSON, encoding: .utf8)
    }

    static func resolvedShow() throws -> [ResolvedCard] {
        try CardsFile.load(contentsOf: showJSON)
    }
}

/// A folder under the system temp dir, removed when the value goes away.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("vitrine-overlay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func write(_ text: String, to name: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }
}

/// An I420 frame with linesize > width and a guard zone after each plane.
final class TestFrame {
    let width: Int
    let height: Int
    let yStride: Int
    let cStride: Int
    let chromaHeight: Int
    static let guardBytes = 64
    static let guardValue: UInt8 = 0xA5
    let y: UnsafeMutablePointer<UInt8>
    let u: UnsafeMutablePointer<UInt8>
    let v: UnsafeMutablePointer<UInt8>

    init(width: Int, height: Int, luma: UInt8 = 16, chroma: UInt8 = 128) {
        self.width = width
        self.height = height
        yStride = width + 32
        cStride = (width + 1) / 2 + 16
        chromaHeight = (height + 1) / 2
        y = .allocate(capacity: yStride * height + Self.guardBytes)
        u = .allocate(capacity: cStride * chromaHeight + Self.guardBytes)
        v = .allocate(capacity: cStride * chromaHeight + Self.guardBytes)
        // Padding and guards hold a marker; the picture holds the fill colour.
        y.initialize(repeating: Self.guardValue, count: yStride * height + Self.guardBytes)
        u.initialize(repeating: Self.guardValue, count: cStride * chromaHeight + Self.guardBytes)
        v.initialize(repeating: Self.guardValue, count: cStride * chromaHeight + Self.guardBytes)
        for row in 0..<height { (y + row * yStride).update(repeating: luma, count: width) }
        for row in 0..<chromaHeight {
            (u + row * cStride).update(repeating: chroma, count: (width + 1) / 2)
            (v + row * cStride).update(repeating: chroma, count: (width + 1) / 2)
        }
    }

    deinit {
        y.deallocate()
        u.deallocate()
        v.deallocate()
    }

    /// The planes, valid only inside `body` (the frame is kept alive until it returns).
    func withPlanes<R>(_ body: (YUVPlanes) throws -> R) rethrows -> R {
        try withExtendedLifetime(self) {
            try body(YUVPlanes(y: y, u: u, v: v, yStride: yStride, uStride: cStride, vStride: cStride, width: width, height: height))
        }
    }

    func luma(_ x: Int, _ row: Int) -> UInt8 { y[row * yStride + x] }
    func cb(_ x: Int, _ row: Int) -> UInt8 { u[row * cStride + x] }
    func cr(_ x: Int, _ row: Int) -> UInt8 { v[row * cStride + x] }

    /// Every byte including padding and guards, for "untouched" comparisons.
    func snapshot() -> [UInt8] {
        Array(UnsafeBufferPointer(start: y, count: yStride * height + Self.guardBytes))
            + Array(UnsafeBufferPointer(start: u, count: cStride * chromaHeight + Self.guardBytes))
            + Array(UnsafeBufferPointer(start: v, count: cStride * chromaHeight + Self.guardBytes))
    }

    /// True when no padding or guard byte was written.
    func guardsIntact() -> Bool {
        let cw = (width + 1) / 2
        for row in 0..<height where (width..<yStride).contains(where: { y[row * yStride + $0] != Self.guardValue }) { return false }
        for row in 0..<chromaHeight {
            if (cw..<cStride).contains(where: { u[row * cStride + $0] != Self.guardValue || v[row * cStride + $0] != Self.guardValue }) {
                return false
            }
        }
        let tails = [(y, yStride * height), (u, cStride * chromaHeight), (v, cStride * chromaHeight)]
        return tails.allSatisfy { base, start in (0..<Self.guardBytes).allSatisfy { base[start + $0] == Self.guardValue } }
    }
}

/// A solid card bitmap (premultiplied BGRA from a straight colour).
func solidCard(width: Int, height: Int, x: Int, y: Int, frameWidth: Int, frameHeight: Int,
               red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8 = 255) -> RenderedCard {
    func pm(_ c: UInt8) -> UInt8 { UInt8((Int(c) * Int(alpha) + 127) / 255) }
    var pixels = [UInt8](repeating: 0, count: width * height * 4)
    for i in stride(from: 0, to: pixels.count, by: 4) {
        pixels[i] = pm(blue)
        pixels[i + 1] = pm(green)
        pixels[i + 2] = pm(red)
        pixels[i + 3] = alpha
    }
    return RenderedCard(width: width, height: height, pixels: pixels, x: x, y: y, frameWidth: frameWidth, frameHeight: frameHeight)
}

/// A minimal valid card for timeline and renderer tests.
func sampleCard(id: String = "tag", start: Double = 10, end: Double? = 20, enter: CardAnimation = .none,
                exit: CardAnimation = .none, anchor: Anchor = .bottomLeft, amount: String = "19.99",
                currency: String = "USD", locale: String = "en-US") -> Card {
    Card(id: id, sku: "SKU-\(id)",
         content: .priceTag(PriceTagContent(price: PriceSpec(amount: amount, compareAt: "29.99", currency: currency, locale: locale))),
         position: CardPosition(anchor: anchor, marginX: 0.05, marginY: 0.05, width: 0.25),
         enter: enter, exit: exit, start: start, end: end)
}
