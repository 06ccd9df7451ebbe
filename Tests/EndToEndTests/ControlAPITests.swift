// End to end: the operator API of `vitrine serve` over loopback HTTP with curl. Stream keys made
// through the API take a real ffmpeg publish; cards pushed, changed and hidden through the API
// reach the frames (checked in the decoded pictures) and the live playlists' DATERANGEs; a file
// job runs from the API to a VOD ladder and survives a restart; tokens, bad bodies, limits and
// unknown ids get the JSON errors the API promises.
import Foundation
import Testing

@Suite(.serialized)
struct ControlAPITests {
    @Test func tokenBodiesAndUnknownIdsGetJSONErrors() throws {
        let server = try LiveServer(keys: [])
        defer { server.stop() }
        let none = try server.api("GET", "/v1/jobs", token: nil)
        #expect(none.status == 401 && none.errorMessage.contains("token"))
        #expect(none.raw.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
        #expect(try server.api("GET", "/v1/keys", token: "wrong-token-0123456789abcdef").status == 401)
        #expect(try server.api("GET", "/v1/keys", token: String(LiveServer.token.dropLast())).status == 401)

        let notJSON = try server.api("POST", "/v1/jobs", body: Data("{nope".utf8))
        #expect(notJSON.status == 400 && notJSON.errorMessage.contains("JSON"))
        let noInput = try server.api("POST", "/v1/jobs", body: ["ladder": "360p:800k"])
        #expect(noInput.status == 400 && noInput.errorField == "input")
        let outside = try server.api("POST", "/v1/jobs", body: ["input": Paths.fixture("show-720p.mp4")])
        #expect(outside.status == 400 && outside.errorMessage.contains("not inside an allowed input folder"))
        let traversal = try server.api("POST", "/v1/jobs", body: ["input": "\(server.data)/inputs/../keys.json"])
        #expect(traversal.status == 400 && traversal.errorField == "input")
        try FileManager.default.copyItem(atPath: Paths.fixture("show-720p.mp4"), toPath: "\(server.data)/inputs/show.mp4")
        let badLadder = try server.api("POST", "/v1/jobs", body: ["input": "\(server.data)/inputs/show.mp4", "ladder": "huge"])
        #expect(badLadder.status == 400 && badLadder.errorField == "ladder")
        let badFormat = try server.api("POST", "/v1/jobs", body: ["input": "\(server.data)/inputs/show.mp4", "format": "avi"])
        #expect(badFormat.status == 400 && badFormat.errorField == "format")

        #expect(try server.api("GET", "/v1/jobs/job-nothing").status == 404)
        #expect(try server.api("DELETE", "/v1/keys/sk_unknown").status == 404)
        #expect(try server.api("POST", "/v1/jobs/job-nothing/cards", body: ["id": "x"]).status == 404)
        let big = Data(repeating: 0x20, count: 21 * 1024 * 1024)
        #expect(try server.api("POST", "/v1/jobs", body: big).status == 413)

        let metrics = try curl(server.base + "/metrics", [], scratch: server.data)
        let text = String(decoding: metrics.body, as: UTF8.self)
        #expect(metrics.status == 200)
        #expect(text.contains("vitrine_http_requests_total{route=\"/v1/jobs\",status=\"401\"}"), "\(text.prefix(2000))")
        #expect(text.contains("vitrine_jobs{state=\"running\"} 0"))
    }

    @Test func apiKeyPublishesAndCardsReachFramesAndPlaylists() throws {
        let server = try LiveServer(keys: [], extra: ["--ladder", "720p:2500k,360p:800k", "--preset", "ultrafast",
                                                      "--grace", "1", "--list-size", "30"])
        defer { server.stop() }
        let created = try server.api("POST", "/v1/keys")
        #expect(created.status == 201)
        let key = try #require(created.json["key"] as? String)
        let rtmpURL = try #require(created.json["rtmpUrl"] as? String)
        let playbackID = try #require(created.json["playbackId"] as? String)
        #expect(rtmpURL == "rtmp://127.0.0.1:\(server.port)/live/\(key)")
        #expect((try server.api("GET", "/v1/keys").json["keys"] as? [[String: Any]])?.contains { $0["key"] as? String == key } == true)

        let publisher = try Publisher.ffmpeg(rtmpURL, loops: 2, scratch: server.data)
        let playlist = server.base + "/hls/\(playbackID)/360p/index.m3u8"
        #expect(waitUntil(seconds: 20) { (try? curl(playlist, [], scratch: server.data))?.status == 200 }, "\(server.logText().suffix(800))")
        // Live playlists come from memory (their ETags say so), straight as segments are listed.
        let fromMemory = try curl(playlist, [], scratch: server.data)
        #expect(fromMemory.headers["etag"]?.hasPrefix("\"m") == true, "\(fromMemory.headers)")
        let jobs = try #require(server.api("GET", "/v1/jobs").json["jobs"] as? [[String: Any]])
        let live = try #require(jobs.first { $0["kind"] as? String == "live" && $0["state"] as? String == "running" })
        let jobID = try #require(live["id"] as? String)
        #expect(live["playbackUrl"] as? String == "/hls/\(playbackID)/master.m3u8")
        #expect(server.logText().contains("job=\(jobID)"), "log lines do not carry the job id")

        // Show a red price tag now; it must be in every rendition within two frames.
        var tag = CardFixture.tote
        tag["id"] = "deal"
        tag.removeValue(forKey: "start")
        let pushed = try server.api("POST", "/v1/jobs/\(jobID)/cards", body: tag)
        #expect(pushed.status == 201, "\(pushed.json)")
        let start = try #require(pushed.json["start"] as? Double)
        var applied: [String: Any]?
        #expect(waitUntil(seconds: 5) {
            let cards = (try? server.api("GET", "/v1/jobs/\(jobID)/cards").json["cards"] as? [[String: Any]]) ?? nil
            applied = cards?.first { $0["id"] as? String == "deal" }?["applied"] as? [String: Any]
            return applied != nil
        })
        let frames = try #require(applied?["delayFrames"] as? Int)
        #expect(frames <= 2, "card took \(frames) frames")
        #expect(try server.api("POST", "/v1/jobs/\(jobID)/cards", body: tag).status == 409)
        // A refused card takes its uploaded picture with it: nothing piles up in DATA/images.
        var refused = tag
        refused["id"] = "refused-with-image"
        refused["price"] = ["amount": "1.00", "currency": "EUX", "locale": "fr-FR"]
        refused["imageBase64"] = try Data(contentsOf: URL(fileURLWithPath: Paths.root.appendingPathComponent("Fixtures/cards/sneaker.png").path)).base64EncodedString()
        #expect(try server.api("POST", "/v1/jobs/\(jobID)/cards", body: refused).status == 400)
        let uploads = (try? FileManager.default.contentsOfDirectory(atPath: "\(server.data)/images")) ?? []
        #expect(!uploads.contains { $0.hasPrefix("upload-") }, "left behind: \(uploads)")
        // The publish shows in /metrics: bytes in, frames and fps per rendition, the card's delay.
        // Per-rendition figures appear once the lanes have reported (later on a loaded machine).
        var metrics = ""
        _ = waitUntil(seconds: 20) {
            metrics = String(decoding: (try? curl(server.base + "/metrics", [], scratch: server.data).body) ?? Data(), as: UTF8.self)
            return metrics.contains("vitrine_encode_fps{job=\"\(jobID)\",rendition=\"360p\"}")
        }
        #expect(metrics.contains("vitrine_rtmp_publishers 1"), "\(metrics.prefix(3000))")
        #expect(metrics.contains("vitrine_encode_fps{job=\"\(jobID)\",rendition=\"360p\"}"))
        #expect(metrics.contains("vitrine_frames_decoded{job=\"\(jobID)\"}"))
        #expect(metrics.contains("vitrine_card_apply_delay_seconds_count 1"))
        // Bytes in keep counting while the publish goes on (how many by now depends on how fast
        // the steps above ran): wait for 100 kB rather than expect them at once.
        func received() -> Double {
            let text = String(decoding: (try? curl(server.base + "/metrics", [], scratch: server.data).body) ?? Data(), as: UTF8.self)
            let line = text.split(separator: "\n").first { $0.hasPrefix("vitrine_rtmp_received_bytes_total ") }
            return line.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
        }
        #expect(waitUntil(seconds: 20) { received() > 100_000 }, "received \(received()) bytes")
        Thread.sleep(forTimeInterval: 1.5)

        // A price drop: the picture keeps the card; the playlists announce a new range.
        let patched = try server.api("PATCH", "/v1/jobs/\(jobID)/cards/deal", body: ["price": ["amount": "9.99"]])
        #expect(patched.status == 200 && (patched.json["price"] as? [String: Any])?["amount"] as? String == "9.99", "\(patched.json)")
        #expect(try server.api("PATCH", "/v1/jobs/\(jobID)/cards/deal", body: ["kind": "banner"]).status == 400)
        Thread.sleep(forTimeInterval: 1.5)
        #expect(try server.api("DELETE", "/v1/jobs/\(jobID)/cards/deal").status == 204)
        #expect(try server.api("DELETE", "/v1/jobs/\(jobID)/cards/deal").status == 404)
        Thread.sleep(forTimeInterval: 3)

        // Revoking the key cuts the publisher off; the job ends cancelled and the playlists end.
        #expect(try server.api("DELETE", "/v1/keys/\(key)").status == 204)
        #expect(publisher.wait(seconds: 15) != 0, "the publisher was not cut off")
        let ended = try server.waitForJob(jobID, state: "cancelled", seconds: 20)
        #expect(ended["state"] as? String == "cancelled", "\(ended)")
        #expect(waitUntil(seconds: 15) {
            String(decoding: (try? curl(playlist, [], scratch: server.data))?.body ?? Data(), as: UTF8.self).contains("#EXT-X-ENDLIST")
        })

        let hls = "\(server.data)/hls/\(playbackID)"
        for name in ["720p", "360p"] {
            let text = try #require(livePlaylist("\(hls)/\(name)/index.m3u8"))
            let ranges = text.lines.filter { $0.hasPrefix("#EXT-X-DATERANGE:") }.map { parseAttributes(String($0.dropFirst(17))) }
            let first = try #require(ranges.first { $0["ID"] == "deal" }, "\(ranges)")
            let second = try #require(ranges.first { $0["ID"] == "deal~r2" }, "\(ranges)")
            #expect(first["X-PRICE"] == "19.99" && second["X-PRICE"] == "9.99")
            #expect(first["DURATION"] != nil && second["DURATION"] != nil)
        }
        // In the pictures: the red tag is there two frames after the push, not half a second before.
        let at = Int((start * 30).rounded(.up)) + 2
        let before = max(0, at - 17)
        let luma = try LumaFrames("\(hls)/360p/index.m3u8", indices: [before, at], width: 640, height: 360)
        let region = CardsEndToEndTests.toteRegion
        let tagLuma = luma.meanLuma(frame: at, in: region)
        #expect((45...90).contains(tagLuma), "tag region luma \(tagLuma) at frame \(at)")
        #expect(luma.meanDifference(to: luma, frame: before, in: region) >= 0)
        #expect(abs(luma.meanLuma(frame: before, in: region) - tagLuma) > 15, "no change at the push")
    }

    @Test func jobBoundToAKeyShapesItsNextPublish() throws {
        let server = try LiveServer(keys: [], extra: ["--preset", "ultrafast", "--grace", "1"])
        defer { server.stop() }
        let key = try #require(server.api("POST", "/v1/keys").json["key"] as? String)
        var tag = CardFixture.tote
        tag["start"] = 0.5
        let bound = try server.api("POST", "/v1/jobs", body: ["streamKey": key, "ladder": "360p:800k", "cards": [tag]])
        #expect(bound.status == 201 && bound.json["state"] as? String == "queued" && bound.json["kind"] as? String == "live", "\(bound.json)")
        let id = try #require(bound.json["id"] as? String)
        #expect(try server.api("POST", "/v1/jobs", body: ["streamKey": key]).status == 409)
        #expect(try server.api("POST", "/v1/jobs", body: ["streamKey": "sk_nope"]).errorField == "streamKey")
        #expect(try server.api("POST", "/v1/jobs", body: ["streamKey": key, "latency": "fast"]).errorField == "latency")
        #expect(try server.api("POST", "/v1/jobs", body: ["streamKey": key, "format": "fmp4"]).errorField == "format")

        let publisher = try Publisher.ffmpeg(server.url(key), loops: 0, scratch: server.data)
        let running = try server.waitForJob(id, state: "running", seconds: 20)
        #expect(running["state"] as? String == "running", "\(running)")
        #expect(publisher.wait(seconds: 30) == 0, "publish failed: \(publisher.output)")
        let done = try server.waitForJob(id, state: "succeeded", seconds: 20)
        #expect(done["state"] as? String == "succeeded", "\(done)")
        let playback = try #require(done["playbackId"] as? String)
        let master = String(decoding: try curl(server.base + "/hls/\(playback)/master.m3u8", [], scratch: server.data).body, as: UTF8.self)
        #expect(master.contains("360p/index.m3u8") && !master.contains("720p"), "\(master)")
        let playlist = String(decoding: try curl(server.base + "/hls/\(playback)/360p/index.m3u8", [], scratch: server.data).body, as: UTF8.self)
        #expect(playlist.contains("#EXT-X-DATERANGE:ID=\"tote\""), "\(playlist)")
    }

    @Test func fileJobRunsToVODAndSurvivesARestart() throws {
        let server = try LiveServer(keys: [], extra: ["--preset", "ultrafast", "--ladder", "360p:800k", "--max-jobs", "1"])
        try FileManager.default.copyItem(atPath: Paths.fixture("show-720p.mp4"), toPath: "\(server.data)/inputs/show.mp4")
        let created = try server.api("POST", "/v1/jobs", body: ["input": "\(server.data)/inputs/show.mp4", "segmentDuration": 2])
        #expect(created.status == 201, "\(created.json)")
        let id = try #require(created.json["id"] as? String)
        let master = try #require(created.json["playbackUrl"] as? String)
        let done = try server.waitForJob(id, state: "succeeded", seconds: 120)
        #expect(done["state"] as? String == "succeeded", "\(done) \(server.logText().suffix(800))")
        let report = try #require(done["report"] as? [String: Any])
        #expect((report["durationSeconds"] as? Double ?? 0) > 5)
        let streams = try probe(server.base + master, ["-show_streams"])["streams"] as? [[String: Any]]
        #expect(streams?.contains { $0["codec_name"] as? String == "h264" } == true)
        // One job at a time (--max-jobs 1): while a publish runs, a file job is refused.
        let key = try #require(server.api("POST", "/v1/keys").json["key"] as? String)
        let publisher = try Publisher.ffmpeg(server.url(key), loops: 0, scratch: server.data)
        #expect(waitUntil(seconds: 20) {
            ((try? server.api("GET", "/v1/jobs?state=running").json["jobs"] as? [[String: Any]]) ?? nil)?.isEmpty == false
        })
        let busy = try server.api("POST", "/v1/jobs", body: ["input": "\(server.data)/inputs/show.mp4"])
        #expect(busy.status == 429 && busy.errorMessage.contains("limit of 1 jobs"), "\(busy.json)")
        publisher.wait(seconds: 30)
        let data = server.data
        server.stop()

        let again = try LiveServer(keys: [], data: data)
        defer { again.stop() }
        let listed = try #require(again.api("GET", "/v1/jobs?state=succeeded&limit=5").json["jobs"] as? [[String: Any]])
        #expect(try again.api("GET", "/v1/jobs?state=done").errorField == "state")
        #expect(listed.contains { $0["id"] as? String == id && $0["state"] as? String == "succeeded" })
        let served = try curl(again.base + master, [], scratch: data)
        #expect(served.status == 200 && String(decoding: served.body, as: UTF8.self).contains("#EXT-X-STREAM-INF"))
        #expect(try again.api("DELETE", "/v1/jobs/\(id)").status == 409)

        // Stopping a running file job: it ends cancelled and leaves no half-written ladder.
        let slow = try again.api("POST", "/v1/jobs", body: ["input": "\(data)/inputs/show.mp4", "ladder": "720p:3000k", "preset": "veryslow"])
        let slowID = try #require(slow.json["id"] as? String, "\(slow.json)")
        _ = try again.waitForJob(slowID, state: "running", seconds: 10)
        #expect(try again.api("DELETE", "/v1/jobs/\(slowID)").status == 202)
        let stopped = try again.waitForJob(slowID, state: "cancelled", seconds: 30)
        #expect(stopped["state"] as? String == "cancelled", "\(stopped)")
        let folder = "\(data)/hls/\(try #require(slow.json["playbackId"] as? String))"
        let left = (try? FileManager.default.subpathsOfDirectory(atPath: folder)) ?? []
        let media = [".ts", ".m4s", ".mp4", ".m3u8"]
        #expect(!left.contains { file in media.contains { file.hasSuffix($0) } }, "left behind: \(left)")
    }
}
