// ImageDecoderTests.swift - FFmpeg decoding of the three fixture formats into premultiplied BGRA.

import Foundation
import Testing
@testable import VitrineOverlay

@Suite struct ImageDecoderTests {
    @Test(arguments: [("sneaker.png", 160, 160), ("bag.jpg", 200, 150), ("cap.webp", 128, 128)])
    func decodesFixture(name: String, width: Int, height: Int) throws {
        let image = try ImageDecoder.decode(fileAt: Fixtures.cards.appendingPathComponent(name))
        #expect(image.width == width && image.height == height)
        #expect(image.pixels.count == width * height * 4)
        // Premultiplied: no colour channel exceeds its alpha.
        var premultiplied = true
        for i in stride(from: 0, to: image.pixels.count, by: 4) where image.pixels[i + 3] < max(image.pixels[i], image.pixels[i + 1], image.pixels[i + 2]) {
            premultiplied = false
        }
        #expect(premultiplied)
    }

    @Test func pngAlphaIsKept() throws {
        let image = try ImageDecoder.decode(fileAt: Fixtures.cards.appendingPathComponent("sneaker.png"))
        #expect(image.pixels[3] == 0, "corner is transparent")
        #expect(image.pixels[(80 * 160 + 80) * 4 + 3] == 255, "centre is opaque")
    }

    @Test func webpColoursSurvive() throws {
        // cap.webp is #2E7D32 above a #FFC107 band; lavfi's colour source goes through YUV first,
        // so allow a couple of levels of rounding.
        let image = try ImageDecoder.decode(fileAt: Fixtures.cards.appendingPathComponent("cap.webp"))
        func close(_ got: ArraySlice<UInt8>, _ want: [UInt8]) -> Bool {
            zip(got, want).allSatisfy { abs(Int($0) - Int($1)) <= 2 }
        }
        #expect(close(image.pixels[0..<4], [0x32, 0x7D, 0x2E, 0xFF]))
        #expect(close(image.pixels[(60 * 128) * 4..<(60 * 128) * 4 + 4], [0x07, 0xC1, 0xFF, 0xFF]))
    }

    @Test func missingFile() {
        #expect(throws: ImageError.missing) { try ImageDecoder.decode(fileAt: URL(fileURLWithPath: "/nonexistent/x.png")) }
    }
}
