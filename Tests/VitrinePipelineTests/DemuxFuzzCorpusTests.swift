// Replays Fixtures/fuzz/demux (Scripts/fuzz.sh demux's seeds and any crasher copied in) through
// the same path as Fuzz/Sources/FuzzDemux: a memory demuxer, then SourceDryRun. Every input ends
// in a report or a thrown error, and every report keeps its promises: frames within the bound,
// segments in order that never go back. The seeds are whole media and must come through clean.
import Foundation
import Testing
import VitrineHLS
import VitrineMedia
@testable import VitrinePipeline

@Suite struct DemuxFuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz/demux")

    static func inputs() throws -> [(name: String, bytes: [UInt8])] {
        try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted().map {
            ($0, Array(try Data(contentsOf: corpus.appendingPathComponent($0))))
        }
    }

    /// As the fuzzer picks it: fMP4 for an odd size, TS for an even one.
    static func format(of bytes: [UInt8]) -> SegmentFormat { bytes.count % 2 == 1 ? .fmp4 : .ts }

    static func dryRun(_ input: (name: String, bytes: [UInt8])) throws -> SourceDryRunReport {
        try SourceDryRun.run(Demuxer(bytes: input.bytes, name: input.name), format: format(of: input.bytes))
    }

    @Test func everyInputEndsInAReportThatKeepsItsPromisesOrAnError() throws {
        FFmpegLog.silent()
        let inputs = try Self.inputs()
        #expect(inputs.count >= 8, "inputs in \(Self.corpus.path)")
        for input in inputs {
            do {
                let report = try Self.dryRun(input)
                #expect(report.brokenPromise(format: Self.format(of: input.bytes)) == nil, "\(input.name)")
            } catch {
                // Refused: only a crasher may be, never one of the seeds.
                #expect(input.name.hasPrefix("crash") || input.name.hasPrefix("timeout"), "\(input.name): \(error)")
            }
        }
    }

    @Test func theSeedsAreWholeMediaWithFramesAndSegments() throws {
        FFmpegLog.silent()
        for input in try Self.inputs() where !input.name.hasPrefix("crash") && !input.name.hasPrefix("timeout") {
            let report = try Self.dryRun(input)
            #expect(report.damage == nil, "\(input.name): \(String(describing: report.damage))")
            #expect(!report.segments.isEmpty, "\(input.name)")
            #expect(report.timelineJumps == 0, "\(input.name)")
            // Every seed but the MP3 has video; 0.5 s at 10 fps is 5 frames, read to the end.
            if input.name != "tiny.mp3" && input.name != "jump.mkv" {
                #expect(report.readToEnd && (5...6).contains(report.encodedFrames), "\(input.name): \(report.encodedFrames) frames")
            }
        }
    }

    /// jump.mkv's video jumps 3 s after its third frame: bridged by repeating the frame after the
    /// gap, so the run meets its 1 s bound (10 frames at 10 fps) before the input ends.
    @Test func aBridgedGapStopsAtTheBound() throws {
        FFmpegLog.silent()
        let input = try #require(try Self.inputs().first { $0.name == "jump.mkv" })
        let report = try Self.dryRun(input)
        #expect(report.frameLimit == 10)
        #expect(report.encodedFrames == 10)
        #expect(!report.readToEnd)
    }
}
