// PreparedCard.swift - a RenderedCard converted once into premultiplied Y, U, V and alpha planes
// in the frame's own geometry (luma per pixel, chroma per 2x2 block), so that per-frame work is
// integer blending only.

/// Premultiplied planes of a card: `dst = src + dst * (255 - alpha) / 255` per sample.
public final class PreparedCard: Sendable {
    /// Luma-resolution size; always even (odd card sizes are padded with transparent pixels).
    public let width: Int
    public let height: Int
    public let x: Int
    public let y: Int
    public let matrix: ColorMatrix
    let luma: [UInt8]
    let lumaAlpha: [UInt8]
    let cb: [UInt8]
    let cr: [UInt8]
    let chromaAlpha: [UInt8]
    /// Pixels with non-zero alpha (for statistics and tests).
    public let coveredPixels: Int

    init(_ card: RenderedCard, matrix: ColorMatrix) {
        let w = (card.width + 1) & ~1
        let h = (card.height + 1) & ~1
        let cw = w / 2
        let ch = h / 2
        width = w
        height = h
        x = card.x
        y = card.y
        self.matrix = matrix

        var luma = [UInt8](repeating: 0, count: w * h)
        var lumaAlpha = [UInt8](repeating: 0, count: w * h)
        var uSum = [Double](repeating: 0, count: cw * ch)
        var vSum = [Double](repeating: 0, count: cw * ch)
        var aSum = [Int](repeating: 0, count: cw * ch)
        var covered = 0
        card.pixels.withUnsafeBufferPointer { px in
            for row in 0..<card.height {
                for col in 0..<card.width {
                    let i = row * card.stride + col * 4
                    let a = Int(px[i + 3])
                    guard a > 0 else { continue }
                    covered += 1
                    let yuv = matrix.premultipliedYUV(r: Double(px[i + 2]), g: Double(px[i + 1]), b: Double(px[i]), a: Double(a))
                    luma[row * w + col] = UInt8(clamping: Int(yuv.y.rounded()))
                    lumaAlpha[row * w + col] = UInt8(a)
                    let c = (row / 2) * cw + col / 2
                    uSum[c] += yuv.u
                    vSum[c] += yuv.v
                    aSum[c] += a
                }
            }
        }
        // Chroma: average the four premultiplied samples and their alphas (exact for premultiplied data).
        var cb = [UInt8](repeating: 0, count: cw * ch)
        var cr = [UInt8](repeating: 0, count: cw * ch)
        var chromaAlpha = [UInt8](repeating: 0, count: cw * ch)
        for i in 0..<(cw * ch) where aSum[i] > 0 {
            cb[i] = UInt8(clamping: Int((uSum[i] / 4).rounded()))
            cr[i] = UInt8(clamping: Int((vSum[i] / 4).rounded()))
            chromaAlpha[i] = UInt8(clamping: (aSum[i] + 2) / 4)
        }
        self.luma = luma
        self.lumaAlpha = lumaAlpha
        self.cb = cb
        self.cr = cr
        self.chromaAlpha = chromaAlpha
        self.coveredPixels = covered
    }
}
