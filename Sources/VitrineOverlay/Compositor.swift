// Compositor.swift - blends a prepared card into YUV 4:2:0 8-bit planes, in place.
//
// Per frame this is integer work only: dst = src' + dst * (255 - a') / 255 with src' and a' scaled
// by the global alpha (fades). Colour conversion and 2x2 chroma averaging happened once, in
// PreparedCard. The inner loops use raw pointers and UInt32 maths so the compiler can vectorize.

public enum Compositor {
    /// Blends `card` (converting it to YUV once, cached on the card) with a global `alpha` in 0...1
    /// and a pixel offset (slides). Parts outside the frame are clipped; alpha 0 touches nothing.
    public static func blend(_ card: RenderedCard, into planes: YUVPlanes, alpha: Float = 1,
                             offsetX: Int = 0, offsetY: Int = 0, matrix: ColorMatrix) {
        blend(card.prepared(for: matrix), into: planes, alpha: alpha, offsetX: offsetX, offsetY: offsetY)
    }

    /// Blends already prepared planes. Offsets are rounded down to even so chroma stays aligned.
    public static func blend(_ card: PreparedCard, into planes: YUVPlanes, alpha: Float = 1,
                             offsetX: Int = 0, offsetY: Int = 0) {
        let clamped = alpha.isNaN ? 0 : min(max(alpha, 0), 1)
        let global = UInt32((clamped * 256).rounded())
        guard global > 0 else { return }
        let x = (card.x + offsetX) & ~1
        let y = (card.y + offsetY) & ~1

        // Luma.
        let x0 = max(0, x), x1 = min(planes.width, x + card.width)
        let y0 = max(0, y), y1 = min(planes.height, y + card.height)
        guard x0 < x1, y0 < y1 else { return }
        card.luma.withUnsafeBufferPointer { src in
            card.lumaAlpha.withUnsafeBufferPointer { a in
                let start = (y0 - y) * card.width + (x0 - x)
                blendPlane(src: src.baseAddress! + start, alpha: a.baseAddress! + start, srcStride: card.width,
                           dst: planes.y + y0 * planes.yStride + x0, dstStride: planes.yStride,
                           columns: x1 - x0, rows: y1 - y0, global: global)
            }
        }

        // Chroma: x and y are even, so the card's 2x2 blocks sit exactly on the frame's.
        let cw = card.width / 2, ch = card.height / 2
        let cx = x / 2, cy = y / 2
        let cx0 = max(0, cx), cx1 = min((planes.width + 1) / 2, cx + cw)
        let cy0 = max(0, cy), cy1 = min((planes.height + 1) / 2, cy + ch)
        guard cx0 < cx1, cy0 < cy1 else { return }
        let start = (cy0 - cy) * cw + (cx0 - cx)
        card.chromaAlpha.withUnsafeBufferPointer { a in
            card.cb.withUnsafeBufferPointer { src in
                blendPlane(src: src.baseAddress! + start, alpha: a.baseAddress! + start, srcStride: cw,
                           dst: planes.u + cy0 * planes.uStride + cx0, dstStride: planes.uStride,
                           columns: cx1 - cx0, rows: cy1 - cy0, global: global)
            }
            card.cr.withUnsafeBufferPointer { src in
                blendPlane(src: src.baseAddress! + start, alpha: a.baseAddress! + start, srcStride: cw,
                           dst: planes.v + cy0 * planes.vStride + cx0, dstStride: planes.vStride,
                           columns: cx1 - cx0, rows: cy1 - cy0, global: global)
            }
        }
    }

    /// The hot loop. `global` is the fade in 1...256 (256 = opaque, no scaling pass).
    @inline(__always)
    static func blendPlane(src: UnsafePointer<UInt8>, alpha: UnsafePointer<UInt8>, srcStride: Int,
                           dst: UnsafeMutablePointer<UInt8>, dstStride: Int,
                           columns: Int, rows: Int, global: UInt32) {
        if global >= 256 {
            for row in 0..<rows {
                let s = src + row * srcStride, a = alpha + row * srcStride, d = dst + row * dstStride
                for i in 0..<columns {
                    d[i] = mix(UInt32(s[i]), UInt32(a[i]), UInt32(d[i]))
                }
            }
        } else {
            for row in 0..<rows {
                let s = src + row * srcStride, a = alpha + row * srcStride, d = dst + row * dstStride
                for i in 0..<columns {
                    let scaledAlpha = (UInt32(a[i]) &* global &+ 128) >> 8
                    let scaledSource = (UInt32(s[i]) &* global &+ 128) >> 8
                    d[i] = mix(scaledSource, scaledAlpha, UInt32(d[i]))
                }
            }
        }
    }

    /// src + dst * (255 - a) / 255, with exact rounding of the division and a clamp at 255.
    /// For a == 0 (and so src == 0) it returns dst unchanged, so no branch is needed.
    @inline(__always)
    static func mix(_ source: UInt32, _ alpha: UInt32, _ destination: UInt32) -> UInt8 {
        let t = destination &* (255 &- alpha) &+ 128
        let value = source &+ ((t &+ (t >> 8)) >> 8)
        return UInt8(truncatingIfNeeded: min(value, 255))
    }
}
