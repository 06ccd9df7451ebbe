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

        public init(partTarget: Double) {
            self.partTarget = partTarget
        }

        /// PART-TARGET as written: milliseconds, rounded up, so no part is longer.
        public var writtenPartTarget: Double { (partTarget * 1000).rounded(.up) / 1000 }
        /// PART-HOLD-BACK: three parts as written (the RFC asks at least two; three rides out one late part).
        public var partHoldBack: Double { 3 * writtenPartTarget }

        func headerLines(targetDuration: Int) -> [String] {
            // HOLD-BACK, for players that ignore parts: three target durations, the RFC's minimum.
            let holdBack = 3 * Double(targetDuration)
            return [
                "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=\(Self.decimal(partHoldBack)),HOLD-BACK=\(Self.decimal(holdBack))",
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

        static func decimal(_ value: Double) -> String {
            String(format: "%.3f", (value * 1000).rounded(.up) / 1000)
        }
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

extension MediaPlaylist.Part {
    var line: String {
        "#EXT-X-PART:DURATION=\(String(format: "%.5f", duration)),URI=\"\(uri)\"" + (independent ? ",INDEPENDENT=YES" : "")
    }
}
