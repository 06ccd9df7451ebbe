// CompositorTests.swift - blending into I420 planes: exact limited-range values, matrices, 2x2
// chroma averaging, clipping at every edge (guard bytes catch stray writes), fades and alpha 0.

import Testing
@testable import VitrineOverlay

@Suite struct CompositorTests {
    @Test func opaqueWhiteGivesLimitedRangeWhiteAndLeavesTheRestAlone() {
        let frame = TestFrame(width: 320, height: 240)
        let before = frame.snapshot()
        let card = solidCard(width: 64, height: 32, x: 100, y: 50, frameWidth: 320, frameHeight: 240, red: 255, green: 255, blue: 255)
        frame.withPlanes { Compositor.blend(card, into: $0, alpha: 1, offsetX: 0, offsetY: 0, matrix: .bt709) }
        var insideOK = true, outsideOK = true
        for row in 0..<240 {
            for x in 0..<320 {
                let inside = (100..<164).contains(x) && (50..<82).contains(row)
                let y = frame.luma(x, row)
                if inside { insideOK = insideOK && y == 235 } else { outsideOK = outsideOK && y == before[row * frame.yStride + x] }
            }
        }
        #expect(insideOK)
        #expect(outsideOK)
        // White has neutral chroma, so inside and outside the card Cb and Cr stay 128.
        var chromaOK = true
        for row in 0..<120 {
            for x in 0..<160 { chromaOK = chromaOK && frame.cb(x, row) == 128 && frame.cr(x, row) == 128 }
        }
        #expect(chromaOK)
        #expect(frame.guardsIntact())
    }

    @Test func matricesDifferForRed() {
        for (matrix, expectedY) in [(ColorMatrix.bt709, 63), (.bt601, 81)] {
            let frame = TestFrame(width: 64, height: 64)
            let card = solidCard(width: 16, height: 16, x: 8, y: 8, frameWidth: 64, frameHeight: 64, red: 255, green: 0, blue: 0)
            frame.withPlanes { Compositor.blend(card, into: $0, matrix: matrix) }
            #expect(Int(frame.luma(10, 10)) == expectedY, "\(matrix)")
            #expect(frame.cr(6, 6) == 240, "red is full Cr in both")
        }
        #expect(ColorMatrix.forFrame(height: 720) == .bt709)
        #expect(ColorMatrix.forFrame(height: 480) == .bt601)
    }

    @Test func chromaIsAveragedOverTwoByTwoBlocks() {
        // Left column opaque blue, right column transparent: the chroma block is half covered.
        var pixels = [UInt8](repeating: 0, count: 2 * 2 * 4)
        for row in 0..<2 { pixels[row * 8 + 0] = 255; pixels[row * 8 + 3] = 255 }
        let card = RenderedCard(width: 2, height: 2, pixels: pixels, x: 4, y: 4, frameWidth: 16, frameHeight: 16)
        let frame = TestFrame(width: 16, height: 16)
        frame.withPlanes { Compositor.blend(card, into: $0, matrix: .bt709) }
        let blueY = 16 + 219 * 0.0722
        #expect(abs(Double(frame.luma(4, 4)) - blueY.rounded()) <= 0.5)
        #expect(frame.luma(5, 4) == 16, "transparent pixel leaves luma alone")
        // Cb of blue is 240; half coverage over 128 gives 184.
        #expect(abs(Int(frame.cb(2, 2)) - 184) <= 1)
        #expect(frame.cb(3, 2) == 128 && frame.cb(2, 3) == 128)
    }

    @Test(arguments: [(-20, -10), (300, 230), (-40, 200), (290, -6), (-1000, 0), (0, 5000)])
    func clipsAtFrameEdges(x: Int, y: Int) {
        let frame = TestFrame(width: 320, height: 240)
        let card = solidCard(width: 64, height: 32, x: 0, y: 0, frameWidth: 320, frameHeight: 240, red: 255, green: 255, blue: 255)
        frame.withPlanes { Compositor.blend(card, into: $0, offsetX: x, offsetY: y, matrix: .bt709) }
        #expect(frame.guardsIntact())
        var ok = true
        for row in 0..<240 {
            for col in 0..<320 {
                let inside = (x..<(x + 64)).contains(col) && (y..<(y + 32)).contains(row)
                ok = ok && frame.luma(col, row) == (inside ? 235 : 16)
            }
        }
        #expect(ok)
    }

    @Test func oddFrameSizesClipSafely() {
        let frame = TestFrame(width: 33, height: 17)
        let card = solidCard(width: 20, height: 10, x: 20, y: 10, frameWidth: 33, frameHeight: 17, red: 255, green: 255, blue: 255)
        frame.withPlanes { Compositor.blend(card, into: $0, matrix: .bt601) }
        #expect(frame.guardsIntact())
        #expect(frame.luma(32, 16) == 235)
        #expect(frame.luma(19, 16) == 16)
    }

    @Test func alphaZeroLeavesTheFrameUntouched() {
        let frame = TestFrame(width: 128, height: 96, luma: 77, chroma: 99)
        let before = frame.snapshot()
        let card = solidCard(width: 64, height: 32, x: 10, y: 10, frameWidth: 128, frameHeight: 96, red: 255, green: 0, blue: 255)
        frame.withPlanes { Compositor.blend(card, into: $0, alpha: 0, matrix: .bt709) }
        #expect(frame.snapshot() == before)
        let transparent = solidCard(width: 64, height: 32, x: 10, y: 10, frameWidth: 128, frameHeight: 96, red: 0, green: 0, blue: 0, alpha: 0)
        frame.withPlanes { Compositor.blend(transparent, into: $0, matrix: .bt709) }
        #expect(frame.snapshot() == before)
    }

    @Test func fadesMixLinearly() {
        let frame = TestFrame(width: 64, height: 64)
        let card = solidCard(width: 16, height: 16, x: 8, y: 8, frameWidth: 64, frameHeight: 64, red: 255, green: 255, blue: 255)
        frame.withPlanes { Compositor.blend(card, into: $0, alpha: 0.5, matrix: .bt709) }
        #expect(abs(Int(frame.luma(10, 10)) - 126) <= 1, "halfway between 16 and 235")
        let translucent = solidCard(width: 16, height: 16, x: 8, y: 8, frameWidth: 64, frameHeight: 64, red: 255, green: 255, blue: 255, alpha: 128)
        let frame2 = TestFrame(width: 64, height: 64)
        frame2.withPlanes { Compositor.blend(translucent, into: $0, matrix: .bt709) }
        #expect(abs(Int(frame2.luma(10, 10)) - 126) <= 1)
    }

    @Test func oddOffsetsRoundDownToEven() {
        let frame = TestFrame(width: 64, height: 64)
        let card = solidCard(width: 8, height: 8, x: 10, y: 10, frameWidth: 64, frameHeight: 64, red: 255, green: 255, blue: 255)
        frame.withPlanes { Compositor.blend(card, into: $0, offsetX: 3, offsetY: 1, matrix: .bt709) }
        #expect(frame.luma(12, 10) == 235 && frame.luma(11, 10) == 16 && frame.luma(20, 10) == 16)
    }

    @Test func preparedPlanesAreComputedOnce() {
        let card = solidCard(width: 8, height: 8, x: 0, y: 0, frameWidth: 64, frameHeight: 64, red: 1, green: 2, blue: 3)
        #expect(card.prepared(for: .bt709) === card.prepared(for: .bt709))
        #expect(card.prepared(for: .bt709) !== card.prepared(for: .bt601))
    }
}
