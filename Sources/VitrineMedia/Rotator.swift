// Turns an 8-bit 4:2:0 picture by a multiple of 90 degrees, for sources with rotation metadata.
// Done after scaling, on the small rung picture, so the cost stays low.
import CFFmpeg

public enum Rotator {
    /// Returns a new frame turned clockwise by `degrees` (90, 180 or 270).
    public static func rotate(_ frame: Frame, clockwise degrees: Int) throws -> Frame {
        let turned = degrees % 180 != 0
        let out = try Frame.video(width: turned ? frame.height : frame.width,
                                  height: turned ? frame.width : frame.height, format: AV_PIX_FMT_YUV420P)
        for plane in 0..<3 {
            let shift = plane == 0 ? 0 : 1
            let w = (frame.width + shift) >> shift
            let h = (frame.height + shift) >> shift
            guard let src = frame.plane(plane), let dst = out.plane(plane) else { continue }
            let sl = frame.linesize(plane), dl = out.linesize(plane)
            for y in 0..<h {
                let row = src + y * sl
                for x in 0..<w {
                    let (dx, dy): (Int, Int)
                    switch degrees {
                    case 90: (dx, dy) = (h - 1 - y, x)
                    case 180: (dx, dy) = (w - 1 - x, h - 1 - y)
                    default: (dx, dy) = (y, w - 1 - x)
                    }
                    dst[dy * dl + dx] = row[x]
                }
            }
        }
        out.pts = frame.pts
        return out
    }
}
