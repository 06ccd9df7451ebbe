// End to end: a publisher whose audio stops while its video goes on (a muted phone app, a dropped
// mic) must not freeze the show: segments keep being cut and listed while it publishes, not all
// at once when it leaves.
import Foundation
import Testing

@Suite(.serialized)
struct QuietTrackTests {
    @Test func audioThatStopsDoesNotFreezeTheShow() throws {
        let key = "sk-quiet-3b7"
        let server = try LiveServer(keys: [key], extra: ["--ladder", "240p:400k", "--preset", "ultrafast", "--list-size", "20"])
        defer { server.stop() }
        // 16 s of video, audio for the first 2 s only.
        let publisher = try Publisher("/usr/bin/ffmpeg", [
            "-nostdin", "-hide_banner", "-loglevel", "error", "-re",
            "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30:duration=16",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-c:a", "aac",
            // As a phone app with its mic gone: video goes on at once. (By default the ffmpeg CLI
            // itself would hold the video back for 10 s, waiting for audio to interleave with it.)
            "-max_interleave_delta", "100000", "-f", "flv", server.url(key)], scratch: server.data)
        let playlist = "\(try server.hls(key))/240p/index.m3u8"
        // By 13 s into the publish, 11 s after the audio stopped, most of it is listed.
        Thread.sleep(forTimeInterval: 13)
        let listed = livePlaylist(playlist)?.segments.reduce(0) { $0 + $1.duration } ?? 0
        #expect(publisher.process.isRunning, "the publish ended before the check")
        #expect(listed >= 6, "only \(listed) s listed 13 s into the publish: \(server.logText().suffix(1500))")
        publisher.wait(seconds: 20)
    }
}
