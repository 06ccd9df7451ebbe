// A media playlist as a plain value; render() produces RFC 8216bis text.
import Foundation

public struct MediaPlaylist: Equatable, Sendable {
    public enum Kind: Equatable, Sendable { case vod, event, live }

    public struct Segment: Equatable, Sendable {
        public var uri: String
        public var duration: Double
        public var discontinuity: Bool
        /// Wall-clock time of the segment's first sample (EXT-X-PROGRAM-DATE-TIME).
        public var programDateTime: Date?
        /// LL-HLS: its parts, listed for the recent segments only.
        public var parts: [Part] = []
        /// fMP4: the init segment it needs when that is not the playlist's `mapURI` (a live
        /// rendition whose init changed after a discontinuity).
        public var map: String?

        public init(uri: String, duration: Double, discontinuity: Bool = false, programDateTime: Date? = nil, map: String? = nil) {
            self.uri = uri
            self.duration = duration
            self.discontinuity = discontinuity
            self.programDateTime = programDateTime
            self.map = map
        }
    }

    /// EXT-X-PART (RFC 8216bis 4.4.4.9): a part of its own resource.
    public struct Part: Equatable, Sendable {
        public var uri: String
        public var duration: Double
        public var independent: Bool

        public init(uri: String, duration: Double, independent: Bool) {
            self.uri = uri
            self.duration = duration
            self.independent = independent
        }
    }

    /// What a Low-Latency HLS playlist adds (nil: none of it).
    public var lowLatency: LowLatency?
    /// EXT-X-START TIME-OFFSET: where a player should start, negative from the end (live).
    public var startOffset: Double?

    public var kind: Kind
    public var version: Int
    public var mediaSequence: Int
    /// EXT-X-DISCONTINUITY-SEQUENCE: discontinuities that slid out of a live window.
    public var discontinuitySequence: Int
    public var mapURI: String?
    /// Timed metadata (product cards); rendered after the header, before the segments.
    public var dateRanges: [DateRange]
    public var segments: [Segment]
    public var ended: Bool

    public init(kind: Kind, version: Int, mediaSequence: Int = 0, discontinuitySequence: Int = 0, mapURI: String? = nil,
                segments: [Segment] = [], dateRanges: [DateRange] = [], ended: Bool) {
        self.kind = kind
        self.version = version
        self.mediaSequence = mediaSequence
        self.discontinuitySequence = discontinuitySequence
        self.dateRanges = dateRanges
        self.mapURI = mapURI
        self.segments = segments
        self.ended = ended
    }

    /// EXT-X-TARGETDURATION: every EXTINF rounded to the nearest second must fit (RFC 8216bis 4.4.3.1).
    public var targetDuration: Int {
        max(1, segments.map { Int($0.duration.rounded()) }.max() ?? 1)
    }

    private var skipped: Int { lowLatency?.skippedSegments ?? 0 }

    public func render() -> String {
        var lines = ["#EXTM3U", "#EXT-X-VERSION:\(version)", "#EXT-X-TARGETDURATION:\(targetDuration)"]
        lines.append("#EXT-X-MEDIA-SEQUENCE:\(mediaSequence)")
        if discontinuitySequence > 0 { lines.append("#EXT-X-DISCONTINUITY-SEQUENCE:\(discontinuitySequence)") }
        switch kind {
        case .vod: lines.append("#EXT-X-PLAYLIST-TYPE:VOD")
        case .event: lines.append("#EXT-X-PLAYLIST-TYPE:EVENT")
        case .live: break
        }
        lines.append("#EXT-X-INDEPENDENT-SEGMENTS")
        if let startOffset, !ended { lines.append("#EXT-X-START:TIME-OFFSET=\(String(format: "%.3f", startOffset))") }
        if let lowLatency { lines += lowLatency.headerLines(targetDuration: targetDuration) }
        let shown = segments.dropFirst(skipped)
        // EXT-X-MAP applies to every segment after it until the next one (RFC 8216bis 4.4.4.5):
        // the first shown segment's init in the header, then again wherever the init changes.
        var map = shown.first?.map ?? mapURI
        if let map { lines.append("#EXT-X-MAP:URI=\"\(map)\"") }
        lines += dateRanges.map { $0.render() }
        if skipped > 0 { lines.append("#EXT-X-SKIP:SKIPPED-SEGMENTS=\(skipped)") }
        for segment in shown {
            if segment.discontinuity { lines.append("#EXT-X-DISCONTINUITY") }
            if let needed = segment.map ?? mapURI, needed != map {
                lines.append("#EXT-X-MAP:URI=\"\(needed)\"")
                map = needed
            }
            if let date = segment.programDateTime { lines.append("#EXT-X-PROGRAM-DATE-TIME:\(ProgramDateTime.format(date))") }
            lines += segment.parts.map(\.line)
            lines.append("#EXTINF:\(String(format: "%.6f", segment.duration)),")
            lines.append(segment.uri)
        }
        if ended { lines.append("#EXT-X-ENDLIST") }
        if let lowLatency { lines += lowLatency.trailerLines(ended: ended) }
        return lines.joined(separator: "\n") + "\n"
    }
}
