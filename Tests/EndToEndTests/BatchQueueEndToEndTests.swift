// End to end: three `vitrine batch --queue postgres://...` workers (as on three machines) drain one
// queue on a throwaway PostgreSQL server; one is killed with SIGKILL mid-job. Its job comes back
// after the lease and is redone by another worker from scratch; every job is completed exactly
// once and every ladder is valid.
import Foundation
import Testing

@Suite(.serialized)
struct BatchQueueEndToEndTests {
    static let script = Paths.root.appendingPathComponent("Scripts/throwaway-postgres.sh").path

    private func postgres(_ arguments: [String]) throws -> String {
        let result = try run("/bin/bash", [Self.script] + arguments, timeout: 120)
        guard result.status == 0 else {
            throw CardRuns.RunFailed(message: "throwaway-postgres \(arguments.joined(separator: " ")): \(result.stderr)")
        }
        return result.stdout.split(separator: "\n").last.map(String.init) ?? ""
    }

    /// A file whose job process crashes (the VITRINE_TEST_FAULT hook) on a shared queue: two
    /// attempts, then failed for good in the queue; another worker joining later claims nothing. (A short
    /// name: the scratch folder holds the server's Unix socket, whose path has a 107-byte limit.)
    @Test func poisonOnASharedQueue() throws {
        let dir = try Paths.scratch()
        let server = "\(dir)/pg"
        _ = try postgres(["start", server])
        defer { _ = try? postgres(["stop", server]) }
        let url = try postgres(["createdb", server, "poison"])
        for name in ["good", "poison"] { try BatchFixture.recording("\(dir)/\(name).mp4") }
        let command = ["batch", "\(dir)/good.mp4", "\(dir)/poison.mp4", "-o", "\(dir)/out", "--queue", url,
                       "--ladder", BatchFixture.ladder, "--preset", "ultrafast", "--jobs", "1"]
        let fault = ["VITRINE_TEST_FAULT": "segv@5:/poison.mp4"]
        let first = try vitrine(command, environment: fault)
        #expect(first.status == 70, "\(first.stdout) \(first.stderr)")
        #expect(first.stdout.contains("poison.mp4: crashed twice, not retried: job process crashed: killed by \(Sanitizer.segfaultSignal)"),
                "\(first.stdout)")
        try expectValidLadder("\(dir)/out/good", duration: 4)
        // Another machine joining the queue with no inputs finds nothing to claim.
        let joiner = try vitrine(["batch", "--queue", url, "-o", "\(dir)/out", "--json"], environment: fault)
        #expect(!joiner.stdout.contains("\"event\":\"start\""), "\(joiner.stdout)")
    }

    @Test func threeWorkersDrainOneQueueAndAKilledOnesJobIsRedoneOnce() throws {
        let dir = try Paths.scratch()
        let server = "\(dir)/pg"
        _ = try postgres(["start", server])
        defer { _ = try? postgres(["stop", server]) }
        let url = try postgres(["createdb", server, "batch"])
        let names = (1...6).map { "show\($0)" }
        for name in names { try BatchFixture.recording("\(dir)/\(name).mp4", seconds: 8, size: "640x360") }
        // Every worker is given the same inputs, as on three machines with the same mounts: the
        // stable ids make them one queue, whoever adds first. veryslow keeps each job long enough
        // (about a second) for the test to catch worker 0 inside one; at ultrafast a job of these
        // tiny rungs could start and end between two looks.
        let command = names.map { "\(dir)/\($0).mp4" } + ["-o", "\(dir)/out", "--queue", url, "--lease", "3", "--jobs", "1",
                                                       "--ladder", BatchFixture.ladder, "--preset", "veryslow", "--json"]
        let workers = try (0..<3).map { try BackgroundBatch(command, stdout: "\(dir)/worker\($0).jsonl") }
        // Kill the first worker once it is inside a job: its last job event (progress lines aside)
        // is a start, and some of that job's segments are written.
        let midJob = BackgroundBatch.wait(timeout: 120) {
            guard let last = Self.events("\(dir)/worker0.jsonl").last(where: { $0["event"] as? String != "progress" }),
                  last["event"] as? String == "start",
                  let output = last["output"] as? String else { return false }
            return segmentFiles(output).count >= 2 && !FileManager.default.fileExists(atPath: "\(output)/master.m3u8")
        }
        workers[0].kill()
        #expect(midJob, "worker 0 never got into a job")
        for worker in workers.dropFirst() {
            if !BackgroundBatch.wait(timeout: 300, { !worker.process.isRunning }) {
                Issue.record("a worker did not finish")
                worker.kill()
            }
            worker.process.waitUntilExit()
            #expect(worker.process.terminationStatus == 0)
        }

        let events = (0..<3).flatMap { Self.events("\(dir)/worker\($0).jsonl") }
        let recorded = events.filter { $0["event"] as? String == "done" && $0["recorded"] as? Bool == true }
        let doneIDs = recorded.compactMap { $0["id"] as? String }
        #expect(doneIDs.count == 6 && Set(doneIDs).count == 6, "recorded completions: \(doneIDs)")
        // The killed worker's job was started twice: once by it, once by the worker that took over.
        let starts = events.filter { $0["event"] as? String == "start" }
        let retried = starts.filter { ($0["attempt"] as? Int ?? 0) >= 2 }
        #expect(!retried.isEmpty, "no job was taken over: \(starts)")
        let killedStarts = Set(Self.events("\(dir)/worker0.jsonl").filter { $0["event"] as? String == "start" }.compactMap { $0["id"] as? String })
        #expect(retried.allSatisfy { killedStarts.contains($0["id"] as? String ?? "") })
        // Each surviving worker's summary sees all six done.
        let summaries = events.filter { $0["event"] as? String == "summary" }
        #expect(summaries.count == 2 && summaries.allSatisfy { $0["succeeded"] as? Int == 6 })
        for name in names { try expectValidLadder("\(dir)/out/\(name)", duration: 8) }
    }

    /// The JSON lines a worker wrote so far (a line cut by a kill is left out).
    static func events(_ path: String) -> [[String: Any]] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n")
            .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}
