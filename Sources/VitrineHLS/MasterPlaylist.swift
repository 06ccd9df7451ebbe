// The multivariant (master) playlist as a plain value, with attributes measured from the output.
import Foundation

public struct MasterPlaylist: Equatable, Sendable {
    public struct Variant: Equatable, Sendable {
        /// Peak segment bitrate in bits/s (RFC 8216bis 4.4.6.2).
        public var bandwidth: Int
        public var averageBandwidth: Int
        public var width: Int?
        public var height: Int?
        public var frameRate: Double?
        public var codecs: [String]
        public var uri: String

        public init(bandwidth: Int, averageBandwidth: Int, width: Int?, height: Int?, frameRate: Double?, codecs: [String], uri: String) {
            self.bandwidth = bandwidth
            self.averageBandwidth = averageBandwidth
            self.width = width
            self.height = height
            self.frameRate = frameRate
            self.codecs = codecs
            self.uri = uri
        }
    }

    public var version: Int
    public var variants: [Variant]

    public init(version: Int, variants: [Variant]) {
        self.version = version
        self.variants = variants
    }

    public func render() -> String {
        var lines = ["#EXTM3U", "#EXT-X-VERSION:\(version)", "#EXT-X-INDEPENDENT-SEGMENTS"]
        for v in variants {
            var attributes = ["BANDWIDTH=\(v.bandwidth)", "AVERAGE-BANDWIDTH=\(v.averageBandwidth)"]
            if let w = v.width, let h = v.height { attributes.append("RESOLUTION=\(w)x\(h)") }
            if let rate = v.frameRate { attributes.append("FRAME-RATE=\(String(format: "%.3f", rate))") }
            attributes.append("CODECS=\"\(v.codecs.joined(separator: ","))\"")
            lines.append("#EXT-X-STREAM-INF:" + attributes.joined(separator: ","))
            lines.append(v.uri)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
