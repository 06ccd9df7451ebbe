// The ladder options `transcode` and `batch` share (--ladder, --segment-format), parsed once with
// the same messages.
import ArgumentParser
import VitrineHLS
import VitrinePipeline

struct LadderOptions: ParsableArguments {
    @Option(help: "Ladder as SIZE:BITRATE pairs, e.g. 720p:3000k,480p:1400k,360p:800k (default: from the source).")
    var ladder: String?

    @Option(help: "Segment container: ts or fmp4.")
    var segmentFormat: String = "ts"

    /// The parsed rungs; nil: chosen from each source.
    func rungs() throws -> [Rung]? {
        try ladder.map(Ladder.parse)
    }

    func format() throws -> SegmentFormat {
        guard let format = SegmentFormat(rawValue: segmentFormat) else {
            throw TranscodeError.invalidArgument("--segment-format \(segmentFormat): expected ts or fmp4")
        }
        return format
    }
}
