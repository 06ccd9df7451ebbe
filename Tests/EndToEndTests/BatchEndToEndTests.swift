// End to end: `vitrine batch` on recordings made by the ffmpeg CLI. Bad files fail alone with their
// reasons; a rerun skips what is done and retries failures only with --retry-failed; a run killed
// with SIGKILL is finished by the next one with no stale segment; a manifest gives each file its
// own ladder, cards and output.
import Foundation
import Testing

@Suite(.serialized)
struct BatchEndToEndTests {
    @Test func badFilesFailAloneAndARerunSkipsOrRetries() throws {
        let dir = try Paths.scratch()
        for name in ["show1.mp4", "show2.flv", "show3.mp4"] { try BatchFixture.recording("\(dir)/\(name)") }
        try BatchFixture.truncated("\(dir)/broken.flv")
        try BatchFixture.notMedia("\(dir)/notes.flv")
        let inputs = ["show1.mp4", "broken.flv", "show2.flv", "notes.flv", "show3.mp4"].map { "\(dir)/\($0)" }
        let command = ["batch"] + inputs + ["-o", "\(dir)/out", "--jobs", "2", "--ladder", BatchFixture.ladder, "--preset", "ultrafast"]

        let first = try vitrine(command)
        // The first failed file in command order decides the code: broken.flv is damaged (65).
        #expect(first.status == 65, "exit \(first.status): \(first.stderr)")
        for show in ["show1", "show2", "show3"] { try expectValidLadder("\(dir)/out/\(show)", duration: 4) }
        #expect(first.stdout.contains("broken.flv: \(dir)/broken.flv: truncated"), "\(first.stdout)")
        #expect(first.stdout.contains("notes.flv: input \(dir)/notes.flv is not readable media"), "\(first.stdout)")
        #expect(first.stdout.contains("5 files: 3 done, 2 not done"))
        for bad in ["broken", "notes"] { #expect(!FileManager.default.fileExists(atPath: "\(dir)/out/\(bad)")) }
        #expect(FileManager.default.fileExists(atPath: "\(dir)/out/.vitrine-batch.sqlite"))
        let masters = ["show1", "show2", "show3"].map { "\(dir)/out/\($0)/master.m3u8" }
        let dates = masters.map(modificationDate)

        // Same command again: nothing is transcoded, the failures stay failures.
        let second = try vitrine(command)
        #expect(second.status == 65)
        #expect(second.stderr.components(separatedBy: "skipped: done in an earlier run").count - 1 == 3, "\(second.stderr)")
        #expect(second.stderr.components(separatedBy: "not retried: failed in an earlier run").count - 1 == 2)
        #expect(!second.stderr.contains("started"), "\(second.stderr)")
        #expect(masters.map(modificationDate) == dates)

        // --retry-failed runs the two failures again, and only them.
        let third = try vitrine(command + ["--retry-failed"])
        #expect(third.status == 65)
        let started = third.stderr.split(separator: "\n").filter { $0.contains("started") }
        #expect(started.count == 2 && started.allSatisfy { $0.contains("broken.flv") || $0.contains("notes.flv") }, "\(third.stderr)")
        #expect(masters.map(modificationDate) == dates)
    }

    @Test func aKilledRunIsFinishedByTheNextWithNoStaleSegments() throws {
        let dir = try Paths.scratch()
        // Long enough for a debug build to be mid-job when killed.
        try BatchFixture.recording("\(dir)/long.mp4", seconds: 20, size: "640x360")
        try BatchFixture.recording("\(dir)/short.mp4")
        let command = ["\(dir)/long.mp4", "\(dir)/short.mp4", "-o", "\(dir)/out", "--jobs", "1",
                       "--ladder", BatchFixture.ladder, "--preset", "ultrafast"]
        let batch = try BackgroundBatch(command)
        let midJob = BackgroundBatch.wait(timeout: 120) { segmentFiles("\(dir)/out/long").count >= 4 }
        batch.kill()
        #expect(midJob, "no segment appeared before the kill")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/out/long/master.m3u8"), "the job finished before the kill")
        // A segment no playlist of the redo will name: it must not survive.
        try Data("stale".utf8).write(to: URL(fileURLWithPath: "\(dir)/out/long/180p/seg_99999.ts"))

        let rerun = try vitrine(["batch"] + command)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("redoing from scratch"), "\(rerun.stderr)")
        try expectValidLadder("\(dir)/out/long", duration: 20)
        try expectValidLadder("\(dir)/out/short", duration: 4)
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/out/long/.vitrine-batch-job"))
    }

    @Test func manifestGivesEachFileItsLadderCardsAndOutput() throws {
        let dir = try Paths.scratch()
        try BatchFixture.recording("\(dir)/a.mp4")
        try BatchFixture.recording("\(dir)/b.flv")
        try CardFixture.write(to: dir, cards: [CardFixture.banner(start: 1)])
        let manifest: [String: Any] = ["output": "replays", "files": [
            ["input": "a.mp4", "output": "custom/a-brl", "ladder": "180p:400k", "cards": "cards.json"],
            ["input": "b.flv", "ladder": "180p:400k,90p:150k", "segmentFormat": "fmp4"],
        ]]
        try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: "\(dir)/batch.json"))
        let result = try vitrine(["batch", "--manifest", "\(dir)/batch.json", "--preset", "ultrafast", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        try expectValidLadder("\(dir)/custom/a-brl", renditions: ["180p"], duration: 4)
        try expectValidLadder("\(dir)/replays/b", duration: 4)
        #expect(try masterVariants("\(dir)/custom/a-brl/master.m3u8").count == 1)
        #expect(try PlaylistText(path: "\(dir)/custom/a-brl/180p/index.m3u8").lines.contains { $0.contains("ID=\"coupon\"") })
        #expect(!(try PlaylistText(path: "\(dir)/replays/b/180p/index.m3u8").lines.contains { $0.hasPrefix("#EXT-X-DATERANGE") }))
        #expect(FileManager.default.fileExists(atPath: "\(dir)/replays/b/180p/init.mp4"))
        #expect(FileManager.default.fileExists(atPath: "\(dir)/replays/.vitrine-batch.sqlite"))
        // --json: every stdout line is an object; a start and a done per file, the summary last.
        let events = result.stdout.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(events.allSatisfy { $0 != nil }, "\(result.stdout)")
        let names = events.compactMap { $0?["event"] as? String }
        #expect(names.filter { $0 == "start" }.count == 2 && names.filter { $0 == "done" }.count == 2)
        #expect(names.last == "summary" && (events.last??["succeeded"] as? Int) == 2)
    }

    @Test func badArgumentsExit64BeforeAnythingRuns() throws {
        let dir = try Paths.scratch()
        let ladder = try vitrine(["batch", "\(dir)/a.mp4", "-o", "\(dir)/out", "--ladder", "720q:3k"])
        #expect(ladder.status == 64 && ladder.stderr.contains("--ladder rung 1"))
        let clash = try vitrine(["batch", "\(dir)/x/a.mp4", "\(dir)/y/a.flv", "-o", "\(dir)/out"])
        #expect(clash.status == 64 && clash.stderr.contains("would both write"), "\(clash.stderr)")
        let queue = try vitrine(["batch", "\(dir)/a.mp4", "-o", "\(dir)/out", "--queue", "mysql://x"])
        #expect(queue.status == 64 && queue.stderr.contains("--queue mysql://x"))
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/out/a"))
    }
}
