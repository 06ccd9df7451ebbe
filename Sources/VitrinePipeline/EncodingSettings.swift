// How a job's ladder is encoded and cut, the same for a file job and a live publish: the rungs,
// the segment length and format, x264's preset and threads, how far a lane may fall behind. Both
// TranscodeSettings and LiveSettings carry one (and read its fields as their own), so the lanes
// are built from one value whatever the source.
import CFFmpeg
import VitrineHLS
import VitrineMedia

public struct EncodingSettings: Codable, Equatable, Sendable {
    /// nil: chosen from the source (standard rungs at or below its displayed size). A live
    /// stream fixes them at its first publish.
    public var rungs: [Rung]?
    public var segmentDuration: Double = 2
    public var format: SegmentFormat = .ts
    public var preset: String = "veryfast"
    /// x264 threads per rendition; nil: shared out by each rung's share of the pixels.
    public var encoderThreads: Int?
    /// Cores this job may use, when several jobs share the machine (vitrine batch --jobs N): the
    /// rungs' x264 threads are shared out from it. nil: every core.
    public var cores: Int?
    /// Frames a lane may fall behind the decoder before the source waits (a file) or the inbox
    /// drops GOPs (live).
    public var laneQueueDepth: Int = 8
    public var scalerFlags: Int32 = SWS_BICUBIC
    /// LL-HLS parts of about this many seconds (fMP4 only; nil: none). A part is a whole number
    /// of frames: `partDuration(framesPerSecond:)`.
    public var partTarget: Double?
    /// x264's share of the delay: `low` for live conversation (EncoderLatency).
    public var latency: EncoderLatency = .normal

    /// Seconds of video per part at this frame rate (nil: no parts).
    public func partDuration(framesPerSecond: Double) -> Double? {
        guard format == .fmp4, let partTarget, framesPerSecond > 0 else { return nil }
        return Double(max(1, Int((partTarget * framesPerSecond).rounded()))) / framesPerSecond
    }

    /// The x264 presets a job may ask for.
    public static let presets = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"]

    public init() {}
}

/// Settings that carry an EncodingSettings read its fields as their own (`settings.preset`).
public protocol EncodingSettingsCarrier {
    var encoding: EncodingSettings { get set }
}

extension EncodingSettingsCarrier {
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<EncodingSettings, Value>) -> Value {
        get { encoding[keyPath: keyPath] }
        set { encoding[keyPath: keyPath] = newValue }
    }
}
