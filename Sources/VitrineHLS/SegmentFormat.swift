// The two segment containers HLS players accept.
public enum SegmentFormat: String, CaseIterable, Codable, Sendable {
    /// MPEG-2 transport stream segments (.ts).
    case ts
    /// CMAF-style fragmented MP4: one init segment plus .m4s media segments (EXT-X-MAP).
    case fmp4

    public var segmentExtension: String { self == .ts ? "ts" : "m4s" }
    /// fMP4 needs codec extradata in the init segment, so encoders must emit global headers.
    public var needsGlobalHeader: Bool { self == .fmp4 }
    /// EXT-X-MAP outside I-frame playlists needs protocol version 6; we use 7 for fMP4 as players expect.
    public var playlistVersion: Int { self == .ts ? 3 : 7 }
}
