// End to end: the live latency profile. `--latency low` makes x264 hold fewer frames (sliced
// threads, a 5-frame lookahead, no B-frames): the stream it writes has no B-frames, where the
// normal profile's has them (veryfast: 3 B-frames); anything else is refused, named.
import Foundation
import Testing

struct EncoderLatencyTests {
    private func bFrames(_ segment: String) throws -> String {
        try run("/usr/bin/ffprobe", ["-v", "error", "-select_streams", "v", "-show_entries", "stream=has_b_frames", "-of", "csv=p=0", segment])
            .stdout.split(separator: "\n").first.map(String.init) ?? ""
    }

    @Test func theLowProfileEncodesWithoutBFrames() throws {
        let scratch = try Paths.scratch()
        for profile in ["normal", "low"] {
            let out = "\(scratch)/\(profile)"
            let result = try vitrine(["transcode", Paths.fixture("show-720p.mp4"), "-o", out, "--ladder", "360p:800k",
                                      "--preset", "veryfast", "--latency", profile])
            #expect(result.status == 0, "\(result.stderr)")
            let frames = try bFrames("\(out)/360p/seg_00001.ts")
            if profile == "low" { #expect(frames == "0", "low: has_b_frames=\(frames)") } else { #expect(frames != "0", "normal: has_b_frames=\(frames)") }
        }
        let refused = try vitrine(["transcode", Paths.fixture("show-720p.mp4"), "-o", "\(scratch)/x", "--latency", "fast"])
        #expect(refused.status == 64 && refused.stderr.contains("--latency fast: expected normal or low"), "\(refused.stderr)")
    }
}
