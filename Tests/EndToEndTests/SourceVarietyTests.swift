// End to end: containers, codecs and picture shapes a replay can come in.
import Foundation
import Testing

@Suite(.serialized)
struct SourceVarietyTests {
    static let testPattern = ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=3"]
    static let tone = ["-f", "lavfi", "-i", "sine=frequency=500:sample_rate=44100:duration=3"]

    /// Transcodes `input` and returns the output folder, expecting success.
    func transcode(_ input: String, _ extra: [String] = [], name: String = #function) throws -> String {
        let out = try Paths.scratch(name) + "/hls"
        let result = try vitrine(["transcode", input, "-o", out] + extra)
        #expect(result.status == 0, "\(input): \(result.stderr)")
        return out
    }

    func videoStream(_ path: String) throws -> [String: Any]? {
        try streams(path).first { $0["codec_type"] as? String == "video" }
    }

    @Test(arguments: [
        ("mkv", ["-c:v", "libx265", "-x265-params", "log-level=none", "-c:a", "libopus"]),
        ("flv", ["-c:v", "libx264", "-c:a", "aac"]),
        ("ts", ["-c:v", "libx264", "-c:a", "aac"]),
        ("mov", ["-c:v", "libx264", "-c:a", "aac"]),
        ("webm", ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-c:a", "libopus"]),
    ])
    func containersAndCodecsBecomeH264AndAAC(container: String, codecs: [String]) throws {
        let dir = try Paths.scratch("container\(container)")
        let input = "\(dir)/source.\(container)"
        try makeMedia(input, Self.testPattern + Self.tone + codecs)
        let out = try transcode(input, ["--ladder", "240p:400k"])
        let all = try streams("\(out)/240p/index.m3u8")
        #expect(all.first { $0["codec_type"] as? String == "video" }?["codec_name"] as? String == "h264")
        #expect(all.first { $0["codec_type"] as? String == "audio" }?["codec_name"] as? String == "aac")
        let total = try PlaylistText(path: "\(out)/240p/index.m3u8").segments.map(\.duration).reduce(0, +)
        #expect(abs(total - 3.0) < 0.1, "\(container): \(total) s")
    }

    @Test func tenBitOddSizedSourceBecomesEightBitEvenSized() throws {
        let dir = try Paths.scratch()
        let input = "\(dir)/ten-bit.mp4"
        try makeMedia(input, ["-f", "lavfi", "-i", "testsrc2=size=641x361:rate=30:duration=2", "-c:v", "libx264", "-pix_fmt", "yuv420p10le"])
        let out = try transcode(input)
        let variants = try masterVariants("\(out)/master.m3u8")
        #expect(variants.map { $0.attributes["RESOLUTION"] ?? "" } == ["640x360", "426x240"])
        let video = try #require(try videoStream("\(out)/360p/index.m3u8"))
        #expect(video["pix_fmt"] as? String == "yuv420p")
        #expect(video["width"] as? Int == 640 && video["height"] as? Int == 360)
        #expect(try streams("\(out)/360p/index.m3u8").allSatisfy { $0["codec_type"] as? String != "audio" })
        #expect(variants.allSatisfy { !($0.attributes["CODECS"] ?? "").contains("mp4a") })
    }

    @Test func rotatedPhoneRecordingGivesPortraitRungs() throws {
        let out = try transcode(Paths.fixture("phone-rotated.mp4"))
        let variants = try masterVariants("\(out)/master.m3u8")
        #expect(variants.map { $0.attributes["RESOLUTION"] ?? "" } == ["360x640", "240x426"])
        let video = try #require(try videoStream("\(out)/360p/index.m3u8"))
        #expect(video["width"] as? Int == 360 && video["height"] as? Int == 640)
        // The picture is turned the way ffmpeg's own autorotate turns it: compare a frame.
        let psnr = try run("ffmpeg", ["-v", "info", "-i", "\(out)/360p/index.m3u8", "-i", Paths.fixture("phone-rotated.mp4"),
                                      "-filter_complex", "[1:v]scale=360:640,format=yuv420p[ref];[0:v][ref]psnr", "-frames:v", "30", "-f", "null", "-"])
        let average = psnr.stderr.split(separator: "\n").first { $0.contains("PSNR") }?
            .split(separator: " ").first { $0.hasPrefix("average:") }.flatMap { Double($0.dropFirst(8)) } ?? 0
        #expect(average > 25, "rotated output differs from ffmpeg's autorotate: \(psnr.stderr.suffix(300))")
    }

    @Test func nonSquarePixelsKeepTheDisplayAspect() throws {
        let dir = try Paths.scratch()
        let input = "\(dir)/anamorphic.mp4"
        // 480x360 stored, displayed 640x360 (SAR 4:3).
        try makeMedia(input, ["-f", "lavfi", "-i", "testsrc2=size=480x360:rate=25:duration=2", "-vf", "setsar=4/3", "-c:v", "libx264"])
        let out = try transcode(input)
        let variants = try masterVariants("\(out)/master.m3u8")
        #expect(variants.map { $0.attributes["RESOLUTION"] ?? "" } == ["640x360", "426x240"])
        let video = try #require(try videoStream("\(out)/360p/index.m3u8"))
        #expect(video["sample_aspect_ratio"] as? String == "1:1")
    }

    @Test func variableFrameRateBecomesConstant() throws {
        let dir = try Paths.scratch()
        let input = "\(dir)/vfr.mkv"
        // Frames at uneven times (gaps and bunches) around 30 fps.
        try makeMedia(input, ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30:duration=4",
                              "-vf", "setpts='(N/30+0.012*sin(N))/TB'", "-fps_mode", "vfr", "-c:v", "libx264", "-r", "1000"])
        let out = try transcode(input, ["--ladder", "240p:400k"])
        let pts = try videoPackets("\(out)/240p/index.m3u8").map(\.pts).sorted()
        #expect(pts.count > 100)
        let steps = zip(pts.dropFirst(), pts).map { $0 - $1 }
        let step = try #require(steps.first)
        #expect(steps.allSatisfy { abs($0 - step) < 0.002 }, "uneven steps \(Set(steps.map { ($0 * 1000).rounded() }))")
    }

    @Test func audioOnlyInputGivesAnAudioPlaylist() throws {
        let out = try transcode(Paths.fixture("audio-only.m4a"))
        let variants = try masterVariants("\(out)/master.m3u8")
        #expect(variants.count == 1)
        #expect(variants.first?.attributes["CODECS"] == "mp4a.40.2")
        #expect(variants.first?.attributes["RESOLUTION"] == nil)
        let audio = try streams("\(out)/audio/index.m3u8")
        #expect(audio.count == 1 && audio.first?["codec_name"] as? String == "aac")
        let segments = try PlaylistText(path: "\(out)/audio/index.m3u8").segments
        #expect(abs(segments.map(\.duration).reduce(0, +) - 5.0) < 0.1)
        #expect(segments.dropLast().allSatisfy { abs($0.duration - 2) < 0.05 })
    }
}
