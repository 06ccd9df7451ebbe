// OverlayBenchmark - cost of blending one overlay card into a YUV 4:2:0 frame, per frame, at
// 1280x720 and 640x360, for a card covering 15% of the frame. Run in release:
//   swift run -c release OverlayBenchmark
// Prints the median and p95 over many frames and the share of a 33 ms (30 fps) frame budget; then
// the render time of the worst card text the validator accepts at 1080p (WorstText.swift).

import Foundation
import VitrineOverlay

/// A card-like bitmap: translucent background, rounded transparent corners, opaque "text" stripes.
func syntheticCard(width: Int, height: Int, frameWidth: Int, frameHeight: Int) -> RenderedCard {
    var pixels = [UInt8](repeating: 0, count: width * height * 4)
    let radius = height / 8
    for y in 0..<height {
        for x in 0..<width {
            let i = (y * width + x) * 4
            let dx = max(0, max(radius - x, x - (width - 1 - radius)))
            let dy = max(0, max(radius - y, y - (height - 1 - radius)))
            if dx * dx + dy * dy > radius * radius { continue }
            let stripe = (y / 6) % 4 == 0 && x % 9 < 6
            let a = stripe ? 255 : 230
            let r = stripe ? 255 : 16 + x % 40, g = stripe ? 255 : 24, b = stripe ? 255 : 32 + y % 40
            pixels[i] = UInt8(b * a / 255)
            pixels[i + 1] = UInt8(g * a / 255)
            pixels[i + 2] = UInt8(r * a / 255)
            pixels[i + 3] = UInt8(a)
        }
    }
    return RenderedCard(width: width, height: height, pixels: pixels, x: frameWidth / 20 & ~1,
                        y: (frameHeight - height - frameHeight / 20) & ~1, frameWidth: frameWidth, frameHeight: frameHeight)
}

func measure(frameWidth: Int, frameHeight: Int, alpha: Float, frames: Int) -> (median: Double, p95: Double, cover: Double) {
    // A 16:9 card with 15% of the frame's area.
    let area = 0.15 * Double(frameWidth * frameHeight)
    let cardWidth = Int((area * 16 / 9).squareRoot()) & ~1
    let cardHeight = Int(area / Double(cardWidth)) & ~1
    let card = syntheticCard(width: cardWidth, height: cardHeight, frameWidth: frameWidth, frameHeight: frameHeight)
    let prepared = card.prepared(for: .forFrame(height: frameHeight))

    let yStride = (frameWidth + 63) & ~63, cStride = (frameWidth / 2 + 63) & ~63
    let y = UnsafeMutablePointer<UInt8>.allocate(capacity: yStride * frameHeight)
    let u = UnsafeMutablePointer<UInt8>.allocate(capacity: cStride * frameHeight / 2)
    let v = UnsafeMutablePointer<UInt8>.allocate(capacity: cStride * frameHeight / 2)
    defer { y.deallocate(); u.deallocate(); v.deallocate() }
    y.initialize(repeating: 100, count: yStride * frameHeight)
    u.initialize(repeating: 128, count: cStride * frameHeight / 2)
    v.initialize(repeating: 128, count: cStride * frameHeight / 2)
    let planes = YUVPlanes(y: y, u: u, v: v, yStride: yStride, uStride: cStride, vStride: cStride,
                           width: frameWidth, height: frameHeight)

    let clock = ContinuousClock()
    var samples: [Double] = []
    samples.reserveCapacity(frames)
    for _ in 0..<50 { Compositor.blend(prepared, into: planes, alpha: alpha) }
    for _ in 0..<frames {
        let elapsed = clock.measure { Compositor.blend(prepared, into: planes, alpha: alpha) }
        samples.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
    }
    samples.sort()
    return (samples[frames / 2], samples[frames * 95 / 100], Double(cardWidth * cardHeight) / Double(frameWidth * frameHeight))
}

let budget = 1000.0 / 30
print("overlay blend, one card covering ~15% of the frame, one core")
for (w, h) in [(1280, 720), (640, 360)] {
    for alpha: Float in [1, 0.6] {
        let r = measure(frameWidth: w, frameHeight: h, alpha: alpha, frames: 2000)
        let label = alpha == 1 ? "opaque" : "fading"
        print(String(format: "%4dx%-4d %@ cover %.1f%%: median %.3f ms, p95 %.3f ms per frame = %.2f%% of the 33 ms budget",
                     w, h, label, r.cover * 100, r.median, r.p95, r.median / budget * 100))
    }
}

// One-time costs, for scale: Pango/Cairo render and YUV preparation of a real product card.
let cards = try CardsFile.load(contentsOf: URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/cards/show.json"))
let renderer = CardRenderer()
let clock = ContinuousClock()
var rendered: RenderedCard?
let renderTime = try clock.measure { rendered = try renderer.render(cards[0], frameWidth: 1280, frameHeight: 720) }
let prepareTime = clock.measure { _ = rendered!.prepared(for: .bt709) }
print("one-time per card and rung (1280x720 product card): render \(renderTime), prepare \(prepareTime)")

// Text that costs what it says: the worst card text the validator accepts, rendered at 1080p.
try WorstText.report(images: URL(fileURLWithPath: NSTemporaryDirectory()))
