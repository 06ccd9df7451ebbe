// End to end: a product card shown for a few seconds during a live publish (ffmpeg over RTMP)
// gets its clip while the show goes on: within 60 s of the card ending, GET /v1/jobs/{id}/clips
// lists an HLS ladder served by the origin and an MP4, both covering the card's interval, and
// the report lists the clip under the product. ffprobe reads both.
import Foundation
import Testing

@Suite(.serialized)
struct LiveClipsTests {
    @Test func aCardThatEndsDuringTheShowHasItsClipWithinAMinute() throws {
        let key = "sk-liveclip-9d0"
        let server = try LiveServer(keys: [key], extra: ["--ladder", "360p:800k,240p:400k", "--preset", "ultrafast", "--grace", "1",
                                                         "--list-size", "40"])
        defer { server.stop() }
        let publisher = try Publisher.ffmpeg(server.url(key), loops: 5, scratch: server.data)
        let hls = try server.hls(key)
        #expect(waitUntil(seconds: 30) { (livePlaylist("\(hls)/360p/index.m3u8")?.segments.count ?? 0) >= 2 }, "\(server.logText().suffix(1500))")
        let jobID = try server.runningJobID()

        var deal = CardFixture.deal
        deal["duration"] = 4
        let pushed = try server.api("POST", "/v1/jobs/\(jobID)/cards", body: deal)
        #expect(pushed.status == 201, "\(pushed.json)")
        let start = try #require(pushed.json["start"] as? Double)
        let ended = Date().addingTimeInterval(4)

        var clips: [[String: Any]] = []
        #expect(waitUntil(seconds: 64) {
            clips = (try? server.api("GET", "/v1/jobs/\(jobID)/clips").json["clips"] as? [[String: Any]]) ?? []
            return !clips.isEmpty
        }, "no clip: \(server.logText().suffix(1500))")
        let ready = Date().timeIntervalSince(ended)
        print("live clip: listed \(String(format: "%.1f", ready)) s after the card ended")
        #expect(ready < 60)
        #expect(publisher.process.isRunning, "the clip came while the show went on")
        let clip = try #require(clips.first)
        #expect(clip["cardId"] as? String == "deal")
        #expect(abs((clip["start"] as? Double ?? 0) - start) < 0.01 && abs((clip["end"] as? Double ?? 0) - start - 4) < 0.01, "\(clip)")
        let clipStart = clip["clipStart"] as? Double ?? .nan, clipEnd = clip["clipEnd"] as? Double ?? .nan
        #expect(clipStart <= start + 0.01 && clipEnd >= start + 4 - 0.01 && clipEnd - clipStart < 4 + 2 * 2 + 0.1, "\(clip)")

        // Served by the origin like any stream, each rendition a VOD playlist of the card's segments.
        let url = server.base + (clip["playbackUrl"] as? String ?? "")
        let master = try curl(url, [], scratch: server.data)
        #expect(master.status == 200, "\(url)")
        let variants = String(decoding: master.body, as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
        #expect(variants.count == 2)
        let media = url.replacingOccurrences(of: "master.m3u8", with: "") + (variants.first.map { String($0.split(separator: "?").first ?? "") } ?? "")
        let playlist = String(decoding: try curl(media, [], scratch: server.data).body, as: UTF8.self)
        #expect(playlist.contains("#EXT-X-ENDLIST") && playlist.contains("ID=\"deal\"") && !playlist.contains("#EXT-X-PART"), "\(playlist)")
        let probed = try run("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", url])
        let hlsSeconds = Double(probed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(abs(hlsSeconds - (clipEnd - clipStart)) < 0.3, "HLS clip lasts \(hlsSeconds) s: \(probed.stderr)")
        let mp4 = try #require(clip["mp4"] as? String)
        let mp4Seconds = Double(try run("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", mp4]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(abs(mp4Seconds - (clipEnd - clipStart)) < 0.3, "MP4 clip lasts \(mp4Seconds) s")

        // The MP4 is downloadable from the origin: whole, by range, and played over HTTP.
        let mp4URL = server.base + (clip["mp4Url"] as? String ?? "")
        let onDisk = try #require(FileManager.default.contents(atPath: mp4))
        let whole = try curl(mp4URL, [], scratch: server.data)
        #expect(whole.status == 200 && whole.body == onDisk, "\(mp4URL): \(whole.status), \(whole.body.count) of \(onDisk.count) bytes")
        let middle = onDisk.count / 3 ..< onDisk.count / 3 * 2
        let ranged = try curl(mp4URL, ["-H", "Range: bytes=\(middle.lowerBound)-\(middle.upperBound - 1)"], scratch: server.data)
        #expect(ranged.status == 206 && ranged.body == onDisk.subdata(in: middle), "range: \(ranged.status), \(ranged.body.count) bytes")
        let played = try run("ffmpeg", ["-v", "error", "-i", mp4URL, "-f", "null", "-"])
        #expect(played.status == 0 && played.stderr.isEmpty, "ffmpeg over HTTP: \(played.stderr)")

        let report = try server.api("GET", "/v1/jobs/\(jobID)/report").json
        let product = (report["products"] as? [[String: Any]])?.first { $0["id"] as? String == "deal" }
        #expect((product?["clips"] as? [[String: Any]])?.count == 1, "\(product ?? [:])")
        #expect(publisher.wait(seconds: 90) == 0, "the publisher was cut off: \(publisher.output)")
    }
}
