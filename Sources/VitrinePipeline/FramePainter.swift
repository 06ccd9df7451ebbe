// The hook a lane calls after scaling: overlays (product cards) draw into the rung's own picture.
import VitrineMedia

public protocol FramePainter: AnyObject {
    /// Draws into `frame` (8-bit 4:2:0, the lane's own buffer) at `seconds` on the job timeline.
    func paint(_ frame: Frame, at seconds: Double) throws
}

/// Makes one painter per lane (each lane runs on its own queue). `matrix` is the one the lane's
/// encoder tags its output with: a painter must convert its colours with it, or cards shift hue.
public typealias FramePainterFactory = (_ spec: RenditionSpec, _ matrix: ColorMatrix) throws -> FramePainter?
