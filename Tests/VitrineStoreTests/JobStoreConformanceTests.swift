// What every JobStore must do, checked against each store the same way: serve and batch rely
// on these rules (idempotent add, oldest-first claims, leases that only their holder can use,
// expired leases taken over, each job handed out once even under concurrent claims). Each test
// gets a fresh store: a SQLite file in a new temporary folder, or a new database on the
// throwaway PostgreSQL server.
import Foundation
import Testing
import VitrineStore

@Suite(.throwawayPostgres) struct JobStoreConformanceTests {
    @Test(arguments: StoreBackend.allCases) func addIsIdempotentAndKeepsTheFirstRecord(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let job = fileJob("a")
            let added = try await store.add(job)
            #expect(added == job)
            var changed = job
            changed.source = "/other.mp4"
            #expect(try await store.add(changed) == job)
            #expect(try await store.job(id: "a") == job)
            #expect(try await store.job(id: "missing") == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases) func listsOldestFirstPerQueueOrAll(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            for job in [fileJob("c", second: 2), fileJob("b2", second: 1), fileJob("a", second: 0),
                        fileJob("b1", second: 1), fileJob("x", second: 0.5, queue: "other")] {
                _ = try await store.add(job)
            }
            #expect(try await store.jobs(queue: "q").map(\.id) == ["a", "b1", "b2", "c"])
            #expect(try await store.jobs(queue: nil).map(\.id) == ["a", "x", "b1", "b2", "c"])
            #expect(try await store.jobs(queue: "none").isEmpty)
        }
    }

    @Test(arguments: StoreBackend.allCases) func claimsTheOldestQueuedJobOfItsQueueAndKind(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var live = fileJob("live", second: -2)
            live.kind = .live
            _ = try await store.add(live)
            _ = try await store.add(fileJob("elsewhere", second: -1, queue: "other"))
            _ = try await store.add(fileJob("second", second: 1))
            _ = try await store.add(fileJob("first", second: 0))
            let before = Date()
            let claimed = try #require(try await store.claim(queue: "q", kind: .file, worker: "w1", lease: 60))
            #expect(claimed.id == "first")
            #expect(claimed.state == .running && claimed.worker == "w1" && claimed.attempts == 1)
            let lease = try #require(claimed.leaseExpiresAt)
            #expect(lease > before.addingTimeInterval(50) && lease < Date().addingTimeInterval(70))
            #expect(claimed.startedAt != nil)
            #expect(try await store.job(id: "first") == claimed)
            #expect(try await store.claim(queue: "q", kind: .file, worker: "w1", lease: 60)?.id == "second")
            #expect(try await store.claim(queue: "q", kind: .file, worker: "w1", lease: 60) == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases) func claimSkipsJobsWhoseLeaseIsHeld(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.add(fileJob("a", second: 0))
            _ = try await store.add(fileJob("b", second: 1))
            #expect(try await store.claim(queue: "q", kind: .file, worker: "w1", lease: 60)?.id == "a")
            #expect(try await store.claim(queue: "q", kind: .file, worker: "w2", lease: 60)?.id == "b")
            #expect(try await store.claim(queue: "q", kind: .file, worker: "w3", lease: 60) == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases) func anExpiredLeaseIsReclaimedAndCountsAnAttempt(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.add(fileJob("a"))
            _ = try await store.claim(queue: "q", kind: .file, worker: "dead", lease: 0.05)
            try await Task.sleep(for: .milliseconds(300))
            let retaken = try #require(try await store.claim(queue: "q", kind: .file, worker: "alive", lease: 60))
            #expect(retaken.id == "a" && retaken.worker == "alive" && retaken.attempts == 2)
            // The old holder learns it lost the job and its result is refused.
            #expect(try await store.renew(id: "a", worker: "dead", lease: 60) == false)
            #expect(try await store.finish(id: "a", worker: "dead", state: .failed, error: "late", report: nil) == false)
            #expect(try await store.finish(id: "a", worker: "alive", state: .succeeded, error: nil, report: "{}") == true)
            #expect(try await store.job(id: "a")?.state == .succeeded)
        }
    }

    @Test(arguments: StoreBackend.allCases) func theHolderRenewsAndFinishesOnce(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.add(fileJob("a"))
            let claimed = try #require(try await store.claim(queue: "q", kind: .file, worker: "w1", lease: 5))
            #expect(try await store.renew(id: "a", worker: "w1", lease: 600) == true)
            let renewed = try #require(try await store.job(id: "a")?.leaseExpiresAt)
            #expect(renewed > (claimed.leaseExpiresAt ?? .distantFuture))
            #expect(try await store.finish(id: "a", worker: "w1", state: .succeeded, error: nil, report: #"{"speed":2}"#))
            let done = try #require(try await store.job(id: "a"))
            #expect(done.state == .succeeded && done.report == #"{"speed":2}"# && done.finishedAt != nil)
            #expect(done.leaseExpiresAt == nil && done.worker == "w1")
            #expect(try await store.finish(id: "a", worker: "w1", state: .failed, error: "again", report: nil) == false)
            #expect(try await store.renew(id: "a", worker: "w1", lease: 60) == false)
            #expect(try await store.claim(queue: "q", kind: .file, worker: "w2", lease: 60) == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases) func aNonHolderCannotRenewOrFinish(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.add(fileJob("a"))
            _ = try await store.claim(queue: "q", kind: .file, worker: "w1", lease: 60)
            #expect(try await store.renew(id: "a", worker: "w2", lease: 60) == false)
            #expect(try await store.finish(id: "a", worker: "w2", state: .succeeded, error: nil, report: nil) == false)
            #expect(try await store.renew(id: "missing", worker: "w1", lease: 60) == false)
            let job = try #require(try await store.job(id: "a"))
            #expect(job.state == .running && job.worker == "w1")
            await #expect(throws: JobStoreError.self) {
                try await store.finish(id: "a", worker: "w1", state: .queued, error: nil, report: nil)
            }
        }
    }

    @Test(arguments: StoreBackend.allCases) func endStopsAnyUnfinishedJobOnce(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.add(fileJob("queued"))
            #expect(try await store.end(id: "queued", state: .cancelled, error: "operator", report: nil))
            let cancelled = try #require(try await store.job(id: "queued"))
            #expect(cancelled.state == .cancelled && cancelled.error == "operator" && cancelled.finishedAt != nil)
            #expect(try await store.end(id: "queued", state: .failed, error: nil, report: nil) == false)
            #expect(try await store.end(id: "missing", state: .failed, error: nil, report: nil) == false)

            var live = fileJob("live")
            live.kind = .live
            _ = try await store.add(live)
            try await store.start(id: "live", worker: "me")
            let running = try #require(try await store.job(id: "live"))
            #expect(running.state == .running && running.worker == "me" && running.leaseExpiresAt == nil)
            #expect(try await store.claim(queue: "q", kind: .live, worker: "other", lease: 60) == nil)
            #expect(try await store.end(id: "live", state: .succeeded, error: nil, report: "{}"))
            #expect(try await store.job(id: "live")?.state == .succeeded)
            await #expect(throws: JobStoreError.self) { try await store.start(id: "live", worker: "me") }
        }
    }

    @Test(arguments: StoreBackend.allCases) func requeuePutsTheNamedStatesOfOneQueueBack(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            for (id, second) in [("failed", 0.0), ("cancelled", 1), ("succeeded", 2)] {
                _ = try await store.add(fileJob(id, second: second))
            }
            _ = try await store.add(fileJob("other", queue: "other"))
            for (id, state) in [("failed", JobState.failed), ("cancelled", .cancelled), ("succeeded", .succeeded)] {
                _ = try await store.claim(queue: "q", kind: .file, worker: "w", lease: 60)
                #expect(try await store.finish(id: id, worker: "w", state: state, error: "why", report: "{}"))
            }
            _ = try await store.claim(queue: "other", kind: .file, worker: "w", lease: 60)
            _ = try await store.finish(id: "other", worker: "w", state: .failed, error: "why", report: nil)

            #expect(try await store.requeue(queue: "q", states: [.failed, .cancelled]) == 2)
            #expect(try await store.requeue(queue: "q", states: []) == 0)
            let states = try await store.jobs(queue: nil).map { "\($0.id):\($0.state.rawValue)" }
            #expect(states == ["failed:queued", "other:failed", "cancelled:queued", "succeeded:succeeded"])
            let again = try #require(try await store.job(id: "failed"))
            #expect(again.error == nil && again.worker == nil && again.leaseExpiresAt == nil && again.attempts == 1)
            #expect(try await store.claim(queue: "q", kind: .file, worker: "w", lease: 60)?.attempts == 2)
        }
    }

    @Test(arguments: StoreBackend.allCases) func aCrashRequeuesOnceThenFailsForGood(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.add(fileJob("poison"))
            _ = try await store.claim(queue: "q", kind: .file, worker: "w1", lease: 60)
            #expect(try await store.recordCrash(id: "poison", worker: "other", reason: "r", finalError: "f", limit: 2) == nil)
            #expect(try await store.recordCrash(id: "poison", worker: "w1", reason: "crashed: SIGSEGV", finalError: "f", limit: 2) == .queued)
            var job = try #require(try await store.job(id: "poison"))
            #expect(job.state == .queued && job.crashes == 1 && job.error == "crashed: SIGSEGV" && job.worker == nil)
            // Any worker may take the second attempt; its crash is the last.
            #expect(try await store.claim(queue: "q", kind: .file, worker: "w2", lease: 60)?.id == "poison")
            #expect(try await store.recordCrash(id: "poison", worker: "w2", reason: "r2", finalError: "crashed twice, not retried", limit: 2) == .failed)
            job = try #require(try await store.job(id: "poison"))
            #expect(job.state == .failed && job.crashes == 2 && job.attempts == 2 && job.error == "crashed twice, not retried")
            #expect(job.finishedAt != nil)
            #expect(try await store.claim(queue: "q", kind: .file, worker: "w3", lease: 60) == nil)
            // An operator's retry starts the count again.
            #expect(try await store.requeue(queue: "q", states: [.failed]) == 1)
            #expect(try await store.job(id: "poison")?.crashes == 0)
        }
    }

    @Test(arguments: StoreBackend.allCases) func concurrentClaimsHandOutEachJobExactlyOnce(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            for index in 0..<50 {
                _ = try await store.add(fileJob(String(format: "job%02d", index), second: Double(index)))
            }
            let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        var mine: [String] = []
                        while let job = try await store.claim(queue: "q", kind: .file, worker: "w\(worker)", lease: 600) {
                            mine.append(job.id)
                        }
                        return mine
                    }
                }
                return try await group.reduce(into: [String]()) { $0 += $1 }
            }
            #expect(claimed.count == 50)
            #expect(Set(claimed).count == 50)
            #expect(try await store.jobs(queue: "q").allSatisfy { $0.state == .running && $0.attempts == 1 })
        }
    }
}

// MARK: - The stores under test

enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// Runs `body` with a new, empty store of this kind and closes it afterwards, even on failure.
    func withStore(_ body: (any JobStore) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vitrine-store-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let store = try SQLiteJobStore(path: folder.appendingPathComponent("jobs.sqlite").path)
            try await body(store)
        case .postgres:
            let store = try await PostgresJobStore(url: try ThrowawayPostgres.database())
            do {
                try await body(store)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        }
    }
}

/// Records for tests: file jobs of queue "q", created `second` seconds after a fixed instant so
/// their order is known.
func fileJob(_ id: String, second: Double = 0, queue: String = "q") -> JobRecord {
    JobRecord(id: id, kind: .file, source: "/in/\(id).mp4", outputDirectory: "/out/\(id)", queue: queue,
              spec: #"{"ladder":"default"}"#, createdAt: Date(timeIntervalSince1970: 1_700_000_000 + second))
}
