// End to end: a publisher one of whose tracks stops while the other goes on must not freeze the
// show. Audio that stops (a muted phone app, a dropped mic) is filled with silence after one
// segment; video that stops (a frozen camera app) repeats its last picture. Either way segments
// keep being cut and listed while it publishes, with both tracks in each, not all at once when
// the publisher leaves.
import Foundation
import Testing

@Suite(.serialized)
struct QuietTrackTests {
    /// Publishes 16 s in real time, video for `video` seconds and audio for `audio`, and
    /// checks 13 s in that most of it is listed; returns the server and playlist for more checks.
    func publish(key: String, video: Int, audio: Int, preset: [String] = ["--preset", "ultrafast"]) throws -> (LiveServer, String) {
        let server = try LiveServer(keys: [key], extra: ["--ladder", "240p:400k", "--list-size", "20"] + preset)
        let publisher = try Publisher("/usr/bin/ffmpeg", [
            // -re on both inputs: each is read in real time, whichever outlasts the other.
            "-nostdin", "-hide_banner", "-loglevel", "error",
            "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30:duration=\(video)",
            "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=\(audio)",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-c:a", "aac",
            // As a phone app with a track gone: the other goes on at once. (By default the ffmpeg
            // CLI would hold it back for 10 s, waiting for the quiet one to interleave with it.)
            "-max_interleave_delta", "100000", "-f", "flv", server.url(key)], scratch: server.data)
        let playlist = "\(try server.hls(key))/240p/index.m3u8"
        Thread.sleep(forTimeInterval: 13)
        let listed = livePlaylist(playlist)?.segments.reduce(0) { $0 + $1.duration } ?? 0
        #expect(publisher.process.isRunning, "the publish ended before the check")
        #expect(listed >= 6, "only \(listed) s listed 13 s into the publish: \(server.logText().suffix(1500))")
        publisher.wait(seconds: 20)
        return (server, playlist)
    }

    /// Seconds of `stream` ("a:0" or "v:0") packets in a segment, from first to last packet end.
    func covered(_ segment: String, _ stream: String) throws -> Double {
        let json = try probe(segment, ["-select_streams", stream, "-show_entries", "packet=pts_time,duration_time"])
        let packets = (json["packets"] as? [[String: Any]] ?? []).compactMap { p -> (Double, Double)? in
            guard let pts = Double(p["pts_time"] as? String ?? "") else { return nil }
            return (pts, Double(p["duration_time"] as? String ?? "") ?? 0)
        }
        guard let first = packets.map(\.0).min(), let last = packets.map({ $0.0 + $0.1 }).max() else { return 0 }
        return last - first
    }

    /// The segment that starts at least `seconds` into the stream.
    func segment(after seconds: Double, in playlist: String) throws -> (path: String, duration: Double) {
        let text = try #require(livePlaylist(playlist))
        var start = 0.0
        for (duration, uri) in text.segments {
            if start >= seconds { return (((playlist as NSString).deletingLastPathComponent as NSString).appendingPathComponent(uri), duration) }
            start += duration
        }
        Issue.record("no segment starts \(seconds) s in: \(text.lines)")
        return ("", 0)
    }

    @Test func audioThatStopsIsFilledWithSilence() throws {
        let (server, playlist) = try publish(key: "sk-quiet-3b7", video: 16, audio: 2)
        defer { server.stop() }
        // 8 s in, 6 s after the audio stopped: the segment still carries audio all through.
        let late = try segment(after: 8, in: playlist)
        let audio = try covered(late.path, "a:0")
        #expect(audio >= late.duration * 0.9, "audio covers \(audio) s of a \(late.duration) s segment")
        #expect(server.logText().contains("audio went quiet while video goes on"))
    }

    /// The default profile (x264 veryfast: lookahead and B-frames), audio gone 5 s in: segments
    /// keep coming on time, not after the encoder's delay has let the lanes fall behind.
    @Test func audioThatStopsUnderTheDefaultProfileKeepsSegmentsOnTime() throws {
        let (server, playlist) = try publish(key: "sk-quiet-def-5e1", video: 16, audio: 5, preset: [])
        defer { server.stop() }
        let late = try segment(after: 8, in: playlist)
        #expect(try covered(late.path, "a:0") >= late.duration * 0.9)
    }

    @Test func videoThatStopsRepeatsItsLastPicture() throws {
        let (server, playlist) = try publish(key: "sk-frozen-9c1", video: 3, audio: 16)
        defer { server.stop() }
        let late = try segment(after: 8, in: playlist)
        let video = try covered(late.path, "v:0")
        #expect(video >= late.duration * 0.9, "video covers \(video) s of a \(late.duration) s segment")
        #expect(try covered(late.path, "a:0") >= late.duration * 0.9)
        #expect(server.logText().contains("video stopped while audio goes on"))
    }
}
