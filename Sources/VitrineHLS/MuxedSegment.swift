// One finished media segment, as bytes plus timing; and one LL-HLS part of a segment.
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

/// A Partial Segment (RFC 8216bis 4.4.4.9): one fragment of the segment being cut, ending on a
/// frame boundary. A segment's bytes are its parts' bytes, in order.
public struct MuxedPart: Sendable, Equatable {
    /// The segment it belongs to (MuxedSegment.index), and its place in it, from 0.
    public var segmentIndex: Int
    public var index: Int
    public var startSeconds: Double
    public var durationSeconds: Double
    /// Starts with the segment's IDR: decodable on its own (INDEPENDENT=YES).
    public var independent: Bool
    /// The part duration the packager cuts to: no part is longer (PART-TARGET).
    public var targetSeconds: Double
    /// The segment's last part: the segment itself comes next, at once.
    public var endsSegment = false
    public var bytes: [UInt8]
}
