// End to end: each file job's media work runs in a job process, so a job that crashes (a segfault,
// an abort), hangs or allocates without end fails alone, after one retry, with its reason, while
// `vitrine serve` and its live shows, or the rest of a batch, go on. The faults come from the
// VITRINE_TEST_FAULT test hook (docs/job-protocol.md), which only tests set.
import Foundation
import Testing

@Suite(.serialized)
struct JobIsolationTests {
    @Test func aPoisonFileJobFailsAloneWhileAShowGoesOn() throws {
        let server = try LiveServer(keys: [], extra: ["--preset", "ultrafast", "--ladder", "360p:800k"],
                                    environment: ["VITRINE_TEST_FAULT": "segv@5:/poison.mp4"])
        defer { server.stop() }
        let key = try #require(server.api("POST", "/v1/keys").json["key"] as? String)
        let publisher = try Publisher.ffmpeg(server.url(key), loops: 1, scratch: server.data)
        let hls = try server.hls(key)
        #expect(waitUntil(seconds: 30) { livePlaylist("\(hls)/360p/index.m3u8") != nil }, "\(server.logText().suffix(1500))")

        try FileManager.default.copyItem(atPath: Paths.fixture("show-720p.mp4"), toPath: "\(server.data)/inputs/poison.mp4")
        let created = try server.api("POST", "/v1/jobs", body: ["input": "\(server.data)/inputs/poison.mp4"])
        let id = try #require(created.json["id"] as? String, "\(created.json)")
        let failed = try server.waitForJob(id, state: "failed", seconds: 120)
        let error = failed["error"] as? String ?? ""
        #expect(failed["state"] as? String == "failed", "\(failed) \(server.logText().suffix(1500))")
        #expect(error.contains("crashed twice, not retried") && error.contains(Sanitizer.segfaultSignal), "\(error)")
        #expect(failed["attempts"] as? Int == 2, "\(failed)")
        let playback = try #require(created.json["playbackId"] as? String)
        #expect(!FileManager.default.fileExists(atPath: "\(server.data)/hls/\(playback)/master.m3u8"))

        // The server and the show went on: still publishing, new segments listed after the crash.
        #expect(server.process.isRunning)
        let before = livePlaylist("\(hls)/360p/index.m3u8")?.segments.last?.uri
        #expect(waitUntil(seconds: 10) { livePlaylist("\(hls)/360p/index.m3u8")?.segments.last?.uri != before })
        #expect(try curl(server.base + "/healthz", [], scratch: server.data).status == 200)
        #expect(publisher.wait(seconds: 60) == 0, "the publisher was cut off: \(publisher.output)")
        #expect(waitUntil(seconds: 20) { livePlaylist("\(hls)/360p/index.m3u8")?.isEnded == true })
    }

    @Test func aPoisonFileInABatchFailsAfterTwoAttemptsAndIsNotRetried() throws {
        let dir = try Paths.scratch()
        for name in ["good1.mp4", "poison.mp4", "good2.mp4"] { try BatchFixture.recording("\(dir)/\(name)") }
        let command = ["batch", "\(dir)/good1.mp4", "\(dir)/poison.mp4", "\(dir)/good2.mp4", "-o", "\(dir)/out",
                       "--jobs", "2", "--ladder", BatchFixture.ladder, "--preset", "ultrafast"]
        let fault = ["VITRINE_TEST_FAULT": "abort@5:/poison.mp4"]
        let first = try vitrine(command, environment: fault)
        #expect(first.status == 70, "exit \(first.status): \(first.stdout) \(first.stderr)")
        for good in ["good1", "good2"] { try expectValidLadder("\(dir)/out/\(good)", duration: 4) }
        #expect(first.stdout.contains("poison.mp4: crashed twice, not retried: job process crashed: killed by signal 6 (SIGABRT)"),
                "\(first.stdout)")
        #expect(first.stderr.contains("goes back to the queue for one more attempt"), "\(first.stderr)")
        #expect(first.stdout.contains("3 files: 2 done, 1 not done"), "\(first.stdout)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/out/poison"))

        // Run again, fault still set: the poison file is not claimed again.
        let second = try vitrine(command, environment: fault)
        #expect(second.status == 70)
        #expect(second.stderr.contains("not retried: failed in an earlier run"), "\(second.stderr)")
        #expect(!second.stderr.contains("started"), "\(second.stderr)")
    }

    @Test func aHangingJobIsKilledByTheWatchdog() throws {
        let dir = try Paths.scratch()
        try BatchFixture.recording("\(dir)/hang.mp4")
        let result = try vitrine(["batch", "\(dir)/hang.mp4", "-o", "\(dir)/out", "--ladder", BatchFixture.ladder, "--preset", "ultrafast"],
                                 environment: ["VITRINE_TEST_FAULT": "spin@5", "VITRINE_TEST_WATCHDOG_SECONDS": "3"])
        #expect(result.status == 70, "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("crashed twice, not retried: job process crashed: no progress for 3 s: killed by the watchdog"),
                "\(result.stdout)")
    }

    @Test(.disabled(if: Sanitizer.addressOn, "no job memory limit under ASan"))
    func aRunawayAllocationIsStoppedByTheMemoryLimit() throws {
        let dir = try Paths.scratch()
        try BatchFixture.recording("\(dir)/hog.mp4")
        let result = try vitrine(["batch", "\(dir)/hog.mp4", "-o", "\(dir)/out", "--ladder", BatchFixture.ladder,
                                  "--preset", "ultrafast", "--job-memory", "512"],
                                 environment: ["VITRINE_TEST_FAULT": "alloc@5"])
        #expect(result.status == 70, "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("crashed twice, not retried: job process crashed: killed by signal"), "\(result.stdout)")
    }
}
