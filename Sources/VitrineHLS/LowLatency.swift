// The Low-Latency HLS part of a live media playlist (RFC 8216bis 4.4.3.7, 4.4.3.8, 4.4.4.9,
// 4.4.5.3, 4.4.5.4): the server's promises (blocking reloads, how far behind the live edge players
// should hold), the part target, the parts of the segment being cut, the hint for the next part,
// and where the other renditions have got to.
import Foundation

extension MediaPlaylist {
    public struct LowLatency: Equatable, Sendable {
        /// EXT-X-PART-INF PART-TARGET: no part is longer.
        public var partTarget: Double
        /// The segment being cut: its parts so far, and whether it follows a discontinuity.
        public var pendingParts: [Part] = []
        public var pendingDiscontinuity = false
        public var pendingProgramDateTime: Date?
        /// EXT-X-PRELOAD-HINT TYPE=PART: the next part's URI.
        public var preloadHint: String?
        /// EXT-X-RENDITION-REPORT for every other rendition.
        public var renditionReports: [RenditionReportTag] = []
        /// A delta update (_HLS_skip): this many of the oldest segments are left out, as
        /// EXT-X-SKIP says.
        public var skippedSegments = 0

        public init(partTarget: Double) {
            self.partTarget = partTarget
        }

        /// PART-TARGET as written: milliseconds, rounded up, so no part is longer.
        public var writtenPartTarget: Double { Self.roundedUp(partTarget) }
        /// PART-HOLD-BACK: three parts as written (the RFC asks at least two; three rides out one late part).
        public var partHoldBack: Double { 3 * writtenPartTarget }

        /// CAN-SKIP-UNTIL: six target durations, the RFC's minimum; older segments may be skipped.
        static func skipBoundary(targetDuration: Int) -> Double { 6 * Double(targetDuration) }

        func headerLines(targetDuration: Int) -> [String] {
            // HOLD-BACK, for players that ignore parts: three target durations, the RFC's minimum.
            let holdBack = 3 * Double(targetDuration)
            let skip = Self.skipBoundary(targetDuration: targetDuration)
            return [
                "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=\(Self.decimal(skip)),PART-HOLD-BACK=\(Self.decimal(partHoldBack)),HOLD-BACK=\(Self.decimal(holdBack))",
                "#EXT-X-PART-INF:PART-TARGET=\(Self.decimal(writtenPartTarget))",
            ]
        }

        func trailerLines(ended: Bool) -> [String] {
            var lines: [String] = []
            if !ended {
                if !pendingParts.isEmpty {
                    if pendingDiscontinuity { lines.append("#EXT-X-DISCONTINUITY") }
                    if let date = pendingProgramDateTime { lines.append("#EXT-X-PROGRAM-DATE-TIME:\(ProgramDateTime.format(date))") }
                    lines += pendingParts.map(\.line)
                }
                if let preloadHint { lines.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"\(preloadHint)\"") }
            }
            lines += renditionReports.map(\.line)
            return lines
        }

        /// Up to the millisecond: a written duration is never shorter than the one it stands for.
        static func roundedUp(_ value: Double) -> Double { (value * 1000).rounded(.up) / 1000 }

        static func decimal(_ value: Double) -> String { String(format: "%.3f", roundedUp(value)) }
    }

    /// Where another rendition's playlist has got to: its last segment and last part.
    public struct RenditionReportTag: Equatable, Sendable {
        public var uri: String
        public var lastMSN: Int
        public var lastPart: Int?

        public init(uri: String, lastMSN: Int, lastPart: Int?) {
            self.uri = uri
            self.lastMSN = lastMSN
            self.lastPart = lastPart
        }

        var line: String {
            "#EXT-X-RENDITION-REPORT:URI=\"\(uri)\",LAST-MSN=\(lastMSN)" + (lastPart.map { ",LAST-PART=\($0)" } ?? "")
        }
    }
}

extension MediaPlaylist {
    /// The delta update a player asks with _HLS_skip=YES (RFC 8216bis 6.2.5.1): the segments that
    /// end more than CAN-SKIP-UNTIL before the end of the playlist are replaced by EXT-X-SKIP.
    /// nil for a playlist without LL-HLS tags.
    public func deltaUpdate() -> MediaPlaylist? {
        guard var lowLatency else { return nil }
        let total = segments.reduce(0) { $0 + $1.duration }
        let boundary = total - LowLatency.skipBoundary(targetDuration: targetDuration)
        var skipped = 0, end = 0.0
        for segment in segments {
            end += segment.duration
            guard end <= boundary else { break }
            skipped += 1
        }
        var delta = self
        lowLatency.skippedSegments = skipped
        delta.lowLatency = lowLatency
        // EXT-X-SKIP needs protocol version 9; the target duration stays the full playlist's.
        delta.version = max(version, 9)
        return delta
    }
}

extension MediaPlaylist.Part {
    var line: String {
        "#EXT-X-PART:DURATION=\(String(format: "%.5f", duration)),URI=\"\(uri)\"" + (independent ? ",INDEPENDENT=YES" : "")
    }
}
