// YUVPlanes.swift - a borrowed view of an 8-bit YUV 4:2:0 picture, and the colour matrix used to
// turn card colours into it. No AVFrame here: the lane passes its frame's pointers and linesizes.

/// Three plane pointers with their linesizes; chroma planes are ceil(width/2) x ceil(height/2).
/// The caller keeps the memory alive and writable for the duration of a blend.
public struct YUVPlanes {
    public var y: UnsafeMutablePointer<UInt8>
    public var u: UnsafeMutablePointer<UInt8>
    public var v: UnsafeMutablePointer<UInt8>
    public var yStride: Int
    public var uStride: Int
    public var vStride: Int
    public var width: Int
    public var height: Int

    public init(y: UnsafeMutablePointer<UInt8>, u: UnsafeMutablePointer<UInt8>, v: UnsafeMutablePointer<UInt8>,
                yStride: Int, uStride: Int, vStride: Int, width: Int, height: Int) {
        self.y = y
        self.u = u
        self.v = v
        self.yStride = yStride
        self.uStride = uStride
        self.vStride = vStride
        self.width = width
        self.height = height
    }
}

/// RGB -> limited-range ("TV", Y 16...235, C 16...240) Y'CbCr coefficients.
public enum ColorMatrix: Sendable, Hashable {
    case bt601
    case bt709

    /// The usual convention: HD (height >= 720) is BT.709, SD is BT.601.
    public static func forFrame(height: Int) -> ColorMatrix {
        height >= 720 ? .bt709 : .bt601
    }

    /// Luma weights of red and blue (green is the rest).
    var kr: Double { self == .bt709 ? 0.2126 : 0.299 }
    var kb: Double { self == .bt709 ? 0.0722 : 0.114 }

    /// Premultiplied Y, U, V for premultiplied 8-bit R, G, B and alpha, all in 0...255.
    /// Linear in (R, G, B, A), so averaging the results over a 2x2 block stays exact.
    func premultipliedYUV(r: Double, g: Double, b: Double, a: Double) -> (y: Double, u: Double, v: Double) {
        let luma = kr * r + (1 - kr - kb) * g + kb * b
        let y = 16 * a / 255 + 219 / 255 * luma
        let u = 128 * a / 255 + 224 / 255 * (b - luma) / (2 * (1 - kb))
        let v = 128 * a / 255 + 224 / 255 * (r - luma) / (2 * (1 - kr))
        return (y, u, v)
    }
}
