// The hook a lane calls after scaling: overlays (product cards) draw into the rung's own picture.
import VitrineHLS
import VitrineMedia

public protocol FramePainter: AnyObject {
    /// Draws into `frame` (8-bit 4:2:0, the lane's own buffer) at `seconds` on the job timeline.
    func paint(_ frame: Frame, at seconds: Double) throws
    /// The in-band metadata events in [from, until) on the job timeline: what the painter starts
    /// or stops drawing there, so players that read ID3 learn of it on the same instant.
    func timedMetadata(from: Double, until: Double) -> [TimedMetadataEvent]
}

extension FramePainter {
    public func timedMetadata(from: Double, until: Double) -> [TimedMetadataEvent] { [] }
}

/// Makes one painter per lane (each lane runs on its own queue). `matrix` is the one the lane's
/// encoder tags its output with: a painter must convert its colours with it, or cards shift hue.
public typealias FramePainterFactory = (_ spec: RenditionSpec, _ matrix: ColorMatrix) throws -> FramePainter?
