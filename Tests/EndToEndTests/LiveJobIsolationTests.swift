// End to end: each publish's media work runs in its own job process. Killing one (SIGKILL, as a
// crash would) leaves the other shows untouched, frame for frame; the killed show is back within
// 2 s from the next keyframe and goes on after an EXT-X-DISCONTINUITY while an ffmpeg HLS client
// keeps reading it. A process that keeps crashing (the VITRINE_TEST_FAULT hook) fails its job
// after three crashes: the publisher is told and cut off, and the playlists end.
import Foundation
import Testing

@Suite(.serialized)
struct LiveJobIsolationTests {
    /// The pid of the job process running `playbackID`'s publish (its label names it).
    private func jobProcess(_ playbackID: String) -> Int32? {
        let result = try? run("/usr/bin/pgrep", ["-f", "job-process --label live:\(playbackID)"])
        return result?.stdout.split(separator: "\n").first.flatMap { Int32($0) }
    }

    @Test func killingOneShowsProcessLeavesTheOthersWholeAndItComesBack() throws {
        let keys = (1...4).map { "sk-iso-\($0)-9e1" }
        let server = try LiveServer(keys: keys, extra: ["--ladder", "240p:400k", "--preset", "ultrafast", "--list-size", "20", "--grace", "4"])
        defer { server.stop() }
        let publishers = try keys.map { try Publisher.ffmpeg(server.url($0), loops: 2, scratch: server.data) }
        let folders = try keys.map { try server.hls($0) }
        #expect(waitUntil(seconds: 40) { folders.allSatisfy { (livePlaylist("\($0)/240p/index.m3u8")?.segments.count ?? 0) >= 2 } },
                "\(server.logText().suffix(2000))")
        let victim = (folders[0] as NSString).lastPathComponent
        let reader = try Publisher("/usr/bin/ffmpeg", ["-nostdin", "-v", "error", "-i", server.base + "/hls/\(victim)/240p/index.m3u8",
                                                       "-f", "null", "-"], scratch: server.data)
        let pid = try #require(jobProcess(victim), "no job process for \(victim)")
        kill(pid, SIGKILL)
        let killed = Date()
        // A new process is ready within 2 s, and decodes pictures from the next keyframe (the
        // publisher sends one every 2 s).
        var restart: Double?, recovery: Double?
        #expect(waitUntil(seconds: 10) {
            let jobs = (try? server.api("GET", "/v1/jobs?state=running").json["jobs"] as? [[String: Any]]) ?? []
            let job = jobs.first { $0["playbackId"] as? String == victim }
            let restarts = job?["restarts"] as? [[String: Any]] ?? []
            restart = restarts.first?["restartSeconds"] as? Double
            recovery = restarts.first?["recoverySeconds"] as? Double
            return recovery != nil
        }, "no recovery: \(server.logText().suffix(2000))")
        print("live isolation: new process ready \(restart ?? -1) s, first picture \(recovery ?? -1) s after the kill")
        #expect((restart ?? 99) < 2, "restart took \(restart ?? -1) s")
        #expect((recovery ?? 99) < 4.5, "first picture after \(recovery ?? -1) s")
        #expect(jobProcess(victim) != pid)
        #expect(waitUntil(seconds: 15) { livePlaylist("\(folders[0])/240p/index.m3u8")?.lines.contains("#EXT-X-DISCONTINUITY") == true },
                "no discontinuity after \(Date().timeIntervalSince(killed)) s")

        for publisher in publishers { #expect(publisher.wait(seconds: 90) == 0, "a publisher was cut off: \(publisher.output)") }
        #expect(reader.wait(seconds: 30) == 0, "the HLS reader stopped: \(reader.output)")
        // The three others: no restart, no drop, no discontinuity, and the same frames as each other.
        var frames: [Int] = []
        for folder in folders.dropFirst() {
            let id = (folder as NSString).lastPathComponent
            let jobs = (try? server.api("GET", "/v1/jobs?limit=20").json["jobs"] as? [[String: Any]]) ?? []
            let job = try #require(jobs.first { $0["playbackId"] as? String == id })
            let done = try server.waitForJob(try #require(job["id"] as? String), state: "succeeded", seconds: 30)
            let report = try #require(done["report"] as? [String: Any])
            #expect((report["restarts"] as? [Any])?.isEmpty == true && report["droppedUnits"] as? Int == 0, "\(report)")
            let renditions = report["renditions"] as? [[String: Any]] ?? []
            frames.append(renditions.first?["framesEncoded"] as? Int ?? -1)
            let playlist = try #require(livePlaylist("\(folder)/240p/index.m3u8"))
            #expect(!playlist.lines.contains("#EXT-X-DISCONTINUITY") && playlist.mediaSequence == 0, "\(playlist.lines)")
        }
        // 3 passes of 6 s at 30 fps: every frame of the publish (540), the same in each of the three.
        #expect(Set(frames).count == 1 && frames[0] >= 540, "frames encoded: \(frames)")
    }

    @Test func aPublishWhoseProcessKeepsCrashingFailsAndIsCutOff() throws {
        let key = "sk-crashloop-4d2"
        let server = try LiveServer(keys: [key], extra: ["--ladder", "240p:400k", "--preset", "ultrafast", "--grace", "30"],
                                    environment: ["VITRINE_TEST_FAULT": "abort@100"])
        defer { server.stop() }
        let publisher = try Publisher.ffmpeg(server.url(key), loops: 5, scratch: server.data)
        let hls = try server.hls(key)
        // Three crashes, each after 100 pictures (a segment listed first): well before the publish
        // (36 s) would end by itself.
        #expect(publisher.wait(seconds: 40) != nil, "the publisher was not cut off")
        #expect(publisher.output.contains("NetStream.Failed") || publisher.output.contains("Error") || publisher.process.terminationStatus != 0,
                "\(publisher.output)")
        let jobs = try #require(server.api("GET", "/v1/jobs?state=failed").json["jobs"] as? [[String: Any]])
        let error = jobs.first?["error"] as? String ?? ""
        #expect(error.contains("crashed 3 times") && error.contains("SIGABRT"), "\(jobs)")
        // Ended at once, not after the 30 s grace period.
        #expect(waitUntil(seconds: 5) { livePlaylist("\(hls)/240p/index.m3u8")?.isEnded == true }, "\(server.logText().suffix(1500))")
        #expect(server.process.isRunning)
    }

    /// A live process that hangs (the spin hook) puts no frame out while the publisher sends: the
    /// watchdog kills it and a new one takes over, the crash named.
    @Test func aHungLiveProcessIsKilledByTheWatchdogAndReplaced() throws {
        let key = "sk-hang-2c7"
        let server = try LiveServer(keys: [key], extra: ["--ladder", "240p:400k", "--preset", "ultrafast", "--grace", "30"],
                                    environment: ["VITRINE_TEST_FAULT": "spin@60", "VITRINE_TEST_WATCHDOG_SECONDS": "3"])
        defer { server.stop() }
        let publisher = try Publisher.ffmpeg(server.url(key), loops: 5, scratch: server.data)
        defer { publisher.process.terminate() }
        var reasons: [String] = []
        #expect(waitUntil(seconds: 30) {
            let jobs = (try? server.api("GET", "/v1/jobs?state=running").json["jobs"] as? [[String: Any]]) ?? []
            reasons = (jobs.first?["restarts"] as? [[String: Any]] ?? []).compactMap { $0["reason"] as? String }
            return !reasons.isEmpty
        }, "no restart: \(server.logText().suffix(2000))")
        #expect(reasons.first?.contains("no frame out for 3 s while the publisher sent: killed by the watchdog") == true, "\(reasons)")
        #expect(server.process.isRunning)
    }
}

@Suite(.serialized)
struct LiveJobFailureTests {
    /// A publisher whose pictures are over the 4096x2304 limit: nothing can be encoded, so the job
    /// fails within seconds, the publisher is told (NetStream.Failed) and disconnected.
    @Test func aPictureOverTheLimitFailsTheJobAndCutsThePublisherOff() throws {
        let key = "sk-huge-77a"
        let server = try LiveServer(keys: [key], extra: ["--ladder", "240p:400k", "--preset", "ultrafast"])
        defer { server.stop() }
        let publisher = try Publisher("/usr/bin/ffmpeg", [
            "-nostdin", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=4352x2448:rate=5:duration=40",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "5", "-f", "flv", server.url(key)], scratch: server.data)
        let cutOff = publisher.wait(seconds: 30)
        #expect(cutOff != nil, "the publisher was still connected after 30 s")
        let jobs = try #require(server.api("GET", "/v1/jobs?state=failed").json["jobs"] as? [[String: Any]])
        let error = jobs.first?["error"] as? String ?? ""
        #expect(error.contains("do not decode") && error.contains("4096x2304"), "\(jobs) \(server.logText().suffix(1500))")
        #expect(server.process.isRunning)
    }
}
