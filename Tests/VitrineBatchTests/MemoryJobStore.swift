// A JobStore in memory with the SQLite store's claiming rules, so the runner's queue logic is
// tested without a database file.
import Foundation
import VitrineStore

actor MemoryJobStore: JobStore {
    private(set) var records: [String: JobRecord] = [:]
    private var order: [String] = []
    private(set) var claims: [String] = []

    func add(_ job: JobRecord) async throws -> JobRecord {
        if let existing = records[job.id] { return existing }
        records[job.id] = job
        order.append(job.id)
        return job
    }

    func job(id: String) async throws -> JobRecord? { records[id] }

    func jobs(queue: String?) async throws -> [JobRecord] {
        order.compactMap { records[$0] }.filter { queue == nil || $0.queue == queue }
    }

    func claim(queue: String, kind: JobKind, worker: String, lease: TimeInterval) async throws -> JobRecord? {
        let now = Date()
        guard let id = order.first(where: { id in
            guard let r = records[id], r.queue == queue, r.kind == kind else { return false }
            return r.state == .queued || (r.state == .running && (r.leaseExpiresAt ?? now) < now)
        }) else { return nil }
        var r = records[id]!
        r.state = .running
        r.worker = worker
        r.leaseExpiresAt = now.addingTimeInterval(lease)
        r.attempts += 1
        records[id] = r
        claims.append(id)
        return r
    }

    func renew(id: String, worker: String, lease: TimeInterval) async throws -> Bool {
        guard var r = records[id], r.worker == worker, r.state == .running else { return false }
        r.leaseExpiresAt = Date().addingTimeInterval(lease)
        records[id] = r
        return true
    }

    func finish(id: String, worker: String, state: JobState, error: String?, report: String?) async throws -> Bool {
        guard var r = records[id], r.worker == worker, r.state == .running else { return false }
        r.state = state
        r.error = error
        r.report = report
        r.finishedAt = Date()
        records[id] = r
        return true
    }

    func start(id: String, worker: String) async throws {}

    func end(id: String, state: JobState, error: String?, report: String?) async throws -> Bool { false }

    func recordCrash(id: String, worker: String, reason: String, finalError: String, limit: Int) async throws -> JobState? {
        guard var r = records[id], r.worker == worker, r.state == .running else { return nil }
        r.crashes += 1
        let final = r.crashes >= limit
        r.state = final ? .failed : .queued
        r.error = final ? finalError : reason
        if !final { r.worker = nil }
        records[id] = r
        return r.state
    }

    func requeue(queue: String, states: Set<JobState>) async throws -> Int {
        var count = 0
        for (id, var r) in records where r.queue == queue && states.contains(r.state) {
            r.state = .queued
            r.worker = nil
            r.error = nil
            r.crashes = 0
            records[id] = r
            count += 1
        }
        return count
    }

    /// Sets a record as an earlier run left it.
    func set(_ id: String, state: JobState, error: String? = nil, report: String? = nil) {
        records[id]?.state = state
        records[id]?.error = error
        records[id]?.report = report
    }
}
