// AccessUnit: one coded audio or video frame (or codec configuration) taken out of an RTMP
// audio/video message, with timestamps on a 64-bit millisecond timeline. This is the value the
// transcode pipeline receives; it carries no RTMP or FLV framing.

public struct AccessUnit: Equatable, Sendable {
    public enum Track: Equatable, Sendable {
        case video
        case audio
    }

    public enum Codec: Equatable, Sendable {
        /// H.264; payload is AVCC: NAL units each prefixed by a big-endian length whose size the
        /// AVCDecoderConfigurationRecord gives (4 bytes from every real encoder).
        case h264
        /// AAC; payload is one raw access unit without ADTS header.
        case aac
    }

    public var track: Track
    public var codec: Codec
    /// True for codec configuration: the payload is decoder extradata
    /// (AVCDecoderConfigurationRecord for H.264, AudioSpecificConfig for AAC), not a frame.
    public var isSequenceHeader: Bool
    /// Video frames the FLV header marks as key frames; audio frames are all true.
    public var isKeyframe: Bool
    /// Decode timestamp, milliseconds (time base 1/1000).
    public var dts: Int64
    /// Presentation timestamp, milliseconds: DTS plus the signed composition time for H.264.
    public var pts: Int64
    /// The timeline jumped (backwards, or far forward) just before this unit.
    public var discontinuity: Bool
    public var payload: [UInt8]

    public init(track: Track, codec: Codec, isSequenceHeader: Bool, isKeyframe: Bool,
                dts: Int64, pts: Int64, discontinuity: Bool = false, payload: [UInt8]) {
        self.track = track
        self.codec = codec
        self.isSequenceHeader = isSequenceHeader
        self.isKeyframe = isKeyframe
        self.dts = dts
        self.pts = pts
        self.discontinuity = discontinuity
        self.payload = payload
    }

    /// The 1/1000 time base both timestamps are in (numerator, denominator).
    public static let timeBase = (numerator: 1, denominator: 1000)
}
