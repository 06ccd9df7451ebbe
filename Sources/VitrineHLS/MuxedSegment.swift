// One finished media segment (or a part, for a later LL-HLS packager), as bytes plus timing.
public struct MuxedSegment: Sendable {
    /// 0-based position in the rendition.
    public var index: Int
    /// Presentation time of the first frame, in seconds on the job's timeline.
    public var startSeconds: Double
    public var durationSeconds: Double
    public var bytes: [UInt8]

    public init(index: Int, startSeconds: Double, durationSeconds: Double, bytes: [UInt8]) {
        self.index = index
        self.startSeconds = startSeconds
        self.durationSeconds = durationSeconds
        self.bytes = bytes
    }

    public var bitrate: Double { durationSeconds > 0 ? Double(bytes.count * 8) / durationSeconds : 0 }
}
