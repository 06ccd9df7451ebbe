// End to end: inputs with absurd but well-formed properties. Each gives valid HLS, or one clear
// error and its exit code; never a signal (a crash used to take the whole worker down).
import Foundation
import Testing

@Suite(.serialized)
struct ExtremeInputTests {
    /// The job ended with an exit code vitrine documents, not a signal, and said why if it failed.
    func expectCleanEnd(_ result: ProcessResult, _ input: String) {
        #expect([0, 65].contains(result.status), "\(input): exit \(result.status): \(result.stderr.suffix(2000))")
        if result.status != 0 { #expect(result.stderr.contains("vitrine: error:"), "\(result.stderr.suffix(2000))") }
    }

    /// The HLS the job wrote decodes without an error.
    func expectPlayable(_ master: String) throws {
        let decoded = try run("ffmpeg", ["-v", "error", "-i", master, "-f", "null", "-"])
        #expect(decoded.status == 0 && decoded.stderr.isEmpty, "\(decoded.stderr)")
    }

    /// A 100:1 or 1:255 pixel aspect ratio made a 32000x240 (or 2x240) rung that libx264 refused,
    /// and the refused encoder's context was freed twice (SIGSEGV). Now it reads as square.
    @Test(arguments: ["100/1", "1/255"])
    func extremePixelAspectRatio(sar: String) throws {
        let dir = try Paths.scratch("sar-\(sar.replacingOccurrences(of: "/", with: "_"))")
        let input = "\(dir)/odd-pixels.mp4"
        try makeMedia(input, ["-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=2",
                              "-vf", "setsar=sar=\(sar):max=1000", "-c:v", "libx264", "-preset", "ultrafast"])
        let result = try vitrine(["transcode", input, "-o", "\(dir)/hls"])
        expectCleanEnd(result, input)
        #expect(result.status == 0)
        #expect(result.stderr.contains("absurd pixel aspect ratio"))
        let variants = try masterVariants("\(dir)/hls/master.m3u8")
        #expect(variants.map { $0.attributes["RESOLUTION"] } == ["320x240"])
        try expectPlayable("\(dir)/hls/master.m3u8")
    }
}

extension ExtremeInputTests {
    /// One track starting hours after the other: audio 13.9 h late trapped (Int32 of the silence
    /// to insert), 3 h late failed allocating 518 million samples of silence, and video 3 h late
    /// was padded with 270000 repeated frames. Now the late track is a discontinuity: it starts
    /// with the other one, and the output is as long as the media, not hours.
    @Test(arguments: [("mkv", "audio", 50_000), ("mp4", "audio", 10_800), ("ts", "audio", 10_800),
                      ("flv", "video", 10_800), ("mp4", "video", 10_800)])
    func trackStartingHoursLate(container: String, late: String, seconds: Int) throws {
        let dir = try Paths.scratch("late-\(late)-\(container)")
        let input = "\(dir)/late-\(late).\(container)"
        let video = ["-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=4"]
        let audio = ["-f", "lavfi", "-i", "sine=duration=4"]
        let offset = ["-itsoffset", "\(seconds)"]
        try makeMedia(input, (late == "video" ? offset + video + audio : video + offset + audio)
                      + ["-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-fps_mode", "passthrough"])
        let result = try vitrine(["transcode", input, "-o", "\(dir)/hls"])
        expectCleanEnd(result, input)
        #expect(result.status == 0)
        #expect(result.stderr.contains("timestamps jumped"))
        try expectPlayable("\(dir)/hls/master.m3u8")
        let duration = Double(try probe("\(dir)/hls/master.m3u8", ["-show_entries", "format=duration"])
            .flatMap { ($0.value as? [String: Any])?["duration"] as? String }.first ?? "") ?? 0
        #expect(duration > 3 && duration < 6, "output lasts \(duration) s")
    }
}
