// The runner's queue logic against an in-memory store: files that cannot be read fail alone with
// their reason, finished ones are skipped, failed ones come back only with retryFailed, and the
// summary's table and exit code say so.
import Foundation
import Logging
import Testing
@testable import VitrineBatch
import VitrineStore

struct BatchRunnerTests {
    private func plan(_ names: [String]) throws -> (records: [JobRecord], dir: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vitrine-runner-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let specs = try BatchPlan.specs(inputs: names.map { "\(dir)/\($0)" }, defaults: BatchDefaults(outputRoot: "\(dir)/out"))
        return (BatchPlan.records(specs, queue: "batch"), dir)
    }

    private func runner(_ store: JobStore, retryFailed: Bool = false, lines: Lines = Lines()) -> BatchRunner {
        var options = BatchOptions(jobs: 2, coresPerJob: 1)
        options.retryFailed = retryFailed
        options.pollInterval = 0.05
        let progress = BatchProgress(mode: .json) { text, _ in lines.append(text) }
        return BatchRunner(store: store, options: options, progress: progress, logger: Logger(label: "test"))
    }

    @Test func missingInputsFailAloneWithTheirReason() async throws {
        let (records, dir) = try plan(["gone1.flv", "gone2.flv"])
        try Data("not media".utf8).write(to: URL(fileURLWithPath: "\(dir)/text.flv"))
        let extra = BatchPlan.records(try BatchPlan.specs(inputs: ["\(dir)/text.flv"], defaults: BatchDefaults(outputRoot: "\(dir)/out")), queue: "batch")
        let store = MemoryJobStore()
        let lines = Lines()
        let finals = try await runner(store, lines: lines).run(records: records + extra)
        #expect(finals.map(\.state) == [.failed, .failed, .failed])
        #expect(finals[0].error?.contains("\(dir)/gone1.flv does not exist") == true)
        #expect(finals[2].error?.contains("not readable media") == true)
        let summary = BatchSummary(jobs: finals)
        #expect(summary.exitCode == 66)
        #expect(summary.table().contains("gone2.flv: input \(dir)/gone2.flv does not exist"))
        // Every line a JSON object; one start and one failed per file.
        let events = lines.all.map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(events.allSatisfy { $0 != nil })
        #expect(events.filter { $0?["event"] as? String == "failed" }.count == 3)
        // Nothing was left behind for a file that failed.
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/out/gone1"))
    }

    @Test func finishedJobsAreSkippedAndFailedOnesRetriedOnlyWhenAsked() async throws {
        let (records, _) = try plan(["done.flv", "bad.flv"])
        let store = MemoryJobStore()
        for record in records { _ = try await store.add(record) }
        await store.set(records[0].id, state: .succeeded, report: BatchJobReport(durationSeconds: 4, elapsedSeconds: 2, master: "/m").encoded())
        await store.set(records[1].id, state: .failed, error: "earlier reason", report: BatchJobReport(elapsedSeconds: 1, exitCode: 65).encoded())
        var finals = try await runner(store).run(records: records)
        #expect(await store.claims.isEmpty)
        #expect(finals.map(\.error) == [nil, "earlier reason"])
        #expect(BatchSummary(jobs: finals).exitCode == 65)
        finals = try await runner(store, retryFailed: true).run(records: records)
        #expect(await store.claims == [records[1].id])
        #expect(finals[1].error?.contains("does not exist") == true)
    }

    @Test func summaryTableHasOneRowPerFile() {
        var done = JobRecord(id: "a", kind: .file, source: "/rec/show1.flv", outputDirectory: "/out/show1")
        done.state = .succeeded
        done.report = BatchJobReport(durationSeconds: 4, elapsedSeconds: 2, master: "/out/show1/master.m3u8").encoded()
        var failed = JobRecord(id: "b", kind: .file, source: "/rec/broken.flv", outputDirectory: "/out/broken")
        failed.state = .failed
        failed.error = "/rec/broken.flv: truncated"
        failed.report = BatchJobReport(elapsedSeconds: 1, exitCode: 65).encoded()
        let summary = BatchSummary(jobs: [done, failed])
        let lines = summary.table().split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("FILE") && lines[0].contains("DURATION") && lines[0].contains("SPEED") && lines[0].contains("OUTCOME"))
        #expect(lines[1].contains("show1.flv") && lines[1].contains("4.0 s") && lines[1].contains("2.00x") && lines[1].contains("done")
            && lines[1].hasSuffix("/out/show1/master.m3u8"))
        #expect(lines[2].contains("broken.flv") && lines[2].contains("failed"))
        #expect(lines.contains("broken.flv: /rec/broken.flv: truncated"))
        #expect(summary.exitCode == 65)
        let json = try? JSONSerialization.jsonObject(with: Data(summary.jsonLine().utf8)) as? [String: Any]
        #expect(json?["event"] as? String == "summary" && json?["failed"] as? Int == 1)
    }
}

/// Lines written by a BatchProgress, from any thread.
final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ text: String) {
        lock.lock()
        lines += text.split(separator: "\n").map(String.init)
        lock.unlock()
    }

    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return lines
    }
}
