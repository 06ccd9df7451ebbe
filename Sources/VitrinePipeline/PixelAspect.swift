// The width a picture is shown at: its sample (pixel) aspect ratio applied. A missing SAR (0/1,
// FFmpeg's "unknown") is square. One outside 1/8 to 8 is a broken header rather than a real
// anamorphic format (the widest in use squeeze 2:1), so it is ignored with a warning instead of
// being turned into a picture tens of thousands of pixels wide that no encoder opens.
import CFFmpeg
import Logging

enum PixelAspect {
    static let believable = 1.0 / 8 ... 8.0

    /// The displayed width of a `width`-pixel row; `sar` is refused (read as square) when absurd.
    static func displayWidth(_ width: Int, sar: AVRational, logger: Logger) -> Int {
        guard sar.num != 0 else { return width }
        let ratio = sar.den > 0 ? Double(sar.num) / Double(sar.den) : -1
        guard believable.contains(ratio) else {
            logger.warning("ignoring an absurd pixel aspect ratio: treating pixels as square",
                           metadata: ["sar": "\(sar.num):\(sar.den)"])
            return width
        }
        return max(1, Int((Double(width) * ratio).rounded()))
    }
}
