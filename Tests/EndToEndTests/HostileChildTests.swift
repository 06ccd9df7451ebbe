// End to end: a job process is untrusted. With the VITRINE_TEST_HOSTILE hook a live job process
// speaks as hostile code inside it would (docs/job-protocol.md); the real serve must kill that
// child as a protocol violation and go on: never trap, never apply a change to another show's HLS,
// never adopt a ladder that names a path outside DATA, never hold more than the show's memory
// budget. The show that is not attacked loses nothing.
import Foundation
import Testing

@Suite(.serialized)
struct HostileChildTests {
    /// Leaves an order for the hostile hook of `playbackID`'s job process.
    private func order(_ words: String, for playbackID: String, in directory: String) throws {
        try words.write(toFile: (directory as NSString).appendingPathComponent(playbackID), atomically: true, encoding: .utf8)
    }

    private func restartReasons(_ server: LiveServer, _ playbackID: String) -> [String] {
        let jobs = (try? server.api("GET", "/v1/jobs?state=running").json["jobs"] as? [[String: Any]]) ?? []
        let job = jobs.first { $0["playbackId"] as? String == playbackID }
        return (job?["restarts"] as? [[String: Any]] ?? []).compactMap { $0["reason"] as? String }
    }

    private func residentMiB(_ pid: Int32) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
    }

    @Test func aHostileChildIsKilledAndHarmsNoOtherShowNorServe() throws {
        let keys = ["sk-victim-51c", "sk-hostile-a-3e8", "sk-hostile-b-7d0"]
        let scratch = try Paths.scratch("hostile-orders")
        let server = try LiveServer(keys: keys, extra: ["--ladder", "240p:400k", "--preset", "ultrafast", "--grace", "4"],
                                    environment: ["VITRINE_TEST_HOSTILE": scratch])
        defer { server.stop() }
        let publishers = try keys.map { try Publisher.ffmpeg(server.url($0), loops: 6, scratch: server.data) }
        defer { for publisher in publishers { publisher.process.terminate() } }
        let folders = try keys.map { try server.hls($0) }
        let ids = folders.map { ($0 as NSString).lastPathComponent }
        #expect(waitUntil(seconds: 40) { folders.allSatisfy { FileManager.default.fileExists(atPath: "\($0)/master.m3u8") } },
                "\(server.logText().suffix(2000))")
        let rssBefore = residentMiB(server.process.processIdentifier)

        // Each order kills its child with a protocol violation; serve restarts it.
        let attacks: [(show: Int, order: String, reason: String)] = [
            (1, "overflow", "frames in 9223372036854775807 is out of range"),
            (1, "hijack \(ids[0])", "is not one of playback \(ids[1])'s files"),
            (2, "escape", "differs from the stream's [\"240p\"]"),
            (2, "garbage", "not a message"),
        ]
        for attack in attacks {
            let before = restartReasons(server, ids[attack.show]).count
            try order(attack.order, for: ids[attack.show], in: scratch)
            var reasons: [String] = []
            #expect(waitUntil(seconds: 15) {
                reasons = restartReasons(server, ids[attack.show])
                return reasons.count > before
            }, "\(attack.order): no restart: \(server.logText().suffix(2000))")
            #expect(reasons.last?.contains("protocol violation: ") == true && reasons.last?.contains(attack.reason) == true,
                    "\(attack.order): \(reasons)")
            #expect(server.process.isRunning, "serve died on \(attack.order)")
        }
        // The victim's master is still its own, and nothing was written outside DATA.
        let master = String(decoding: try server.api("GET", "/hls/\(ids[0])/master.m3u8").raw.body, as: UTF8.self)
        #expect(master.contains("240p/index.m3u8") && !master.contains("attacker.invalid"), "\(master)")
        let outside = ((server.data as NSString).deletingLastPathComponent as NSString).appendingPathComponent("x")
        #expect(!FileManager.default.fileExists(atPath: outside), "a child's ladder made serve write \(outside)")
        #expect(waitUntil(seconds: 15) { FileManager.default.fileExists(atPath: "\(folders[2])/240p/index.m3u8")
            && livePlaylist("\(folders[2])/240p/index.m3u8")?.lines.contains("#EXT-X-DISCONTINUITY") == true })

        // 384 MiB of memory-served files: only the show's budget (64 MiB) is kept.
        try order("flood", for: ids[1], in: scratch)
        #expect(waitUntil(seconds: 20) { server.logText().contains("over its budget") }, "\(server.logText().suffix(1500))")
        Thread.sleep(forTimeInterval: 2)
        let rssAfter = residentMiB(server.process.processIdentifier)
        #expect(rssAfter - rssBefore < 160, "serve grew from \(rssBefore) to \(rssAfter) MiB")

        // The show never attacked: no restart, nothing dropped.
        for publisher in publishers { _ = publisher.wait(seconds: 90) }
        let jobs = (try? server.api("GET", "/v1/jobs?limit=20").json["jobs"] as? [[String: Any]]) ?? []
        let victim = try #require(jobs.first { $0["playbackId"] as? String == ids[0] })
        let done = try server.waitForJob(try #require(victim["id"] as? String), state: "succeeded", seconds: 30)
        let report = try #require(done["report"] as? [String: Any], "\(done)")
        #expect((report["restarts"] as? [Any])?.isEmpty == true && report["droppedUnits"] as? Int == 0, "\(report)")
    }

    /// A card whose one letter carries 300,000 combining accents is refused before any job
    /// renders it (it used to freeze the show it was pushed to).
    @Test func textThatCostsMoreThanItSaysIsRefused() throws {
        let key = "sk-marks-0b4"
        let server = try LiveServer(keys: [key], extra: ["--ladder", "240p:400k", "--preset", "ultrafast"])
        defer { server.stop() }
        let publisher = try Publisher.ffmpeg(server.url(key), loops: 2, scratch: server.data)
        defer { publisher.process.terminate() }
        let hls = try server.hls(key)
        #expect(waitUntil(seconds: 30) { (livePlaylist("\(hls)/240p/index.m3u8")?.segments.count ?? 0) >= 1 })
        let job = try server.runningJobID()
        let flood = "a" + String(repeating: "\u{0301}", count: 300_000)
        let card: [String: Any] = ["id": "q1", "sku": "TOTE", "kind": "question", "name": "Ana", "question": flood]
        let refused = try server.api("POST", "/v1/jobs/\(job)/cards", body: card)
        #expect(refused.status == 400 && refused.errorMessage.contains("UTF-8 bytes"), "\(refused.status) \(refused.errorMessage)")
        let stacked = ["id": "q2", "sku": "TOTE", "kind": "question", "name": "Ana",
                       "question": "Is it " + "o" + String(repeating: "\u{0308}", count: 6) + "k?"] as [String: Any]
        let marks = try server.api("POST", "/v1/jobs/\(job)/cards", body: stacked)
        #expect(marks.status == 400 && marks.errorMessage.contains("combining marks"), "\(marks.status) \(marks.errorMessage)")
        let fine = try server.api("POST", "/v1/jobs/\(job)/cards", body: ["id": "q3", "sku": "TOTE", "kind": "question", "name": "Ana",
                                                                        "question": "Có màu đỏ không? Größe 38?"])
        #expect(fine.status == 201, "\(fine.status) \(fine.raw.body.count)")
        // The show goes on cutting segments.
        let listed = livePlaylist("\(hls)/240p/index.m3u8")?.segments.count ?? 0
        #expect(waitUntil(seconds: 10) { (livePlaylist("\(hls)/240p/index.m3u8")?.segments.count ?? 0) > listed || livePlaylist("\(hls)/240p/index.m3u8")?.mediaSequence ?? 0 > 0 })
    }

    /// A child that hangs (SIGSTOP: it reads nothing, not even `stop`): card pushes to it get a
    /// timely refusal while every other HTTP answer stays quick; when its publisher leaves it is
    /// killed after the stop deadline and its playlists end; and SIGTERM ends serve within 10 s.
    @Test func aHungChildNeitherFreezesServeNorOutlivesItsShow() throws {
        let keys = ["sk-hung-5a1", "sk-calm-9f3"]
        let scratch = try Paths.scratch("hung-orders")
        let server = try LiveServer(keys: keys, extra: ["--ladder", "240p:400k", "--preset", "ultrafast", "--grace", "2"],
                                    environment: ["VITRINE_TEST_HOSTILE": scratch, "VITRINE_TEST_WATCHDOG_SECONDS": "60"])
        defer { server.stop() }
        let hung = try Publisher.ffmpeg(server.url(keys[0]), loops: 2, scratch: server.data)
        let calm = try Publisher.ffmpeg(server.url(keys[1]), loops: 6, scratch: server.data)
        defer { hung.process.terminate(); calm.process.terminate() }
        let folders = try keys.map { try server.hls($0) }
        #expect(waitUntil(seconds: 30) { folders.allSatisfy { (livePlaylist("\($0)/240p/index.m3u8")?.segments.count ?? 0) >= 1 } })
        let jobs = try #require(server.api("GET", "/v1/jobs?state=running").json["jobs"] as? [[String: Any]])
        let id = (folders[0] as NSString).lastPathComponent, calmID = (folders[1] as NSString).lastPathComponent
        let job = try #require(jobs.first { $0["playbackId"] as? String == id }?["id"] as? String)
        try order("hang", for: id, in: scratch)
        Thread.sleep(forTimeInterval: 2)
        // Card pushes pile up on the stuck child, more than the machine has concurrency threads.
        let pushes = try (0..<6).map { index in
            try Publisher("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-m", "30", "-X", "POST",
                                            "-H", "Authorization: Bearer \(LiveServer.token)", "-H", "Content-Type: application/json",
                                            "--data", #"{"id":"c\#(index)","sku":"TOTE","kind":"question","name":"A","question":"Q?"}"#,
                                            server.base + "/v1/jobs/\(job)/cards"], scratch: server.data)
        }
        Thread.sleep(forTimeInterval: 1)
        var worst = 0.0
        for _ in 0..<10 {
            let start = Date()
            let answer = try server.api("GET", "/hls/\(calmID)/240p/index.m3u8")
            worst = max(worst, Date().timeIntervalSince(start))
            #expect(answer.status == 200)
            Thread.sleep(forTimeInterval: 0.3)
        }
        #expect(worst < 1, "another show's playlist took \(worst) s while card pushes waited on a stuck child")
        for push in pushes { #expect(push.wait(seconds: 15) != nil, "a card push to a stuck job got no answer in 15 s") }

        // Its publisher leaves (2 passes): killed after the stop deadline, playlists ended after the grace.
        #expect(hung.wait(seconds: 30) != nil)
        #expect(waitUntil(seconds: 15) { livePlaylist("\(folders[0])/240p/index.m3u8")?.isEnded == true },
                "the hung show's playlist is still live: \(server.logText().suffix(1500))")

        // A second hang, then SIGTERM: serve is gone within 10 s.
        try order("hang", for: calmID, in: scratch)
        Thread.sleep(forTimeInterval: 2)
        let asked = Date()
        server.process.terminate()
        #expect(waitUntil(seconds: 10) { !server.process.isRunning }, "serve still running 10 s after SIGTERM")
        print("hung child: worst playlist answer \(String(format: "%.3f", worst)) s; SIGTERM to exit \(String(format: "%.1f", Date().timeIntervalSince(asked))) s")
    }

    /// Confinement (Landlock, no_new_privs, the environment allowlist): hostile code in a live
    /// job process cannot write beside DATA, read the stream keys, connect to serve's HTTP port
    /// (or a database's), signal serve, or read the API token; the show goes on.
    @Test func aConfinedChildCannotReachOutsideItsShow() throws {
        let key = "sk-trespass-6e2"
        let scratch = try Paths.scratch("trespass-orders")
        let server = try LiveServer(keys: [key], extra: ["--ladder", "240p:400k", "--preset", "ultrafast"],
                                    environment: ["VITRINE_TEST_HOSTILE": scratch])
        defer { server.stop() }
        let publisher = try Publisher.ffmpeg(server.url(key), loops: 2, scratch: server.data)
        defer { publisher.process.terminate() }
        let hls = try server.hls(key)
        #expect(waitUntil(seconds: 30) { (livePlaylist("\(hls)/240p/index.m3u8")?.segments.count ?? 0) >= 1 }, "\(server.logText().suffix(1500))")
        #expect(server.logText().contains("job process confined"), "\(server.logText().suffix(1500))")
        try order("trespass \(server.httpPort)", for: (hls as NSString).lastPathComponent, in: scratch)
        var line = ""
        #expect(waitUntil(seconds: 10) {
            line = server.logText().split(separator: "\n").first { $0.contains("trespass: ") }.map(String.init) ?? ""
            return !line.isEmpty
        }, "\(server.logText().suffix(1500))")
        print("confinement: \(line)")
        for attempt in ["write", "read", "connect", "signal"] {
            #expect(line.contains("\(attempt)=") && !line.contains("\(attempt)=allowed"), "\(attempt): \(line)")
        }
        #expect(line.contains("token=absent"), "\(line)")
        // Confined, the show goes on.
        let listed = livePlaylist("\(hls)/240p/index.m3u8")?.segments.count ?? 0
        #expect(waitUntil(seconds: 10) { (livePlaylist("\(hls)/240p/index.m3u8")?.segments.count ?? 0) > listed })
    }
}
