// The small interface between Vitrine and wherever its job records live: SQLite in the data or
// output folder for one machine, PostgreSQL when several workers share one queue. `vitrine serve`
// keeps its job list in it and `vitrine batch` uses it as a resumable queue.
//
// Claiming is lease-based: a worker claims a queued job (or one whose lease ran out: its worker
// died) atomically, renews the lease while it works, and finishes the job only while it still
// holds it. So each job ends exactly once even when a worker is killed mid-job.
import Foundation

public enum JobStoreError: Error, CustomStringConvertible, Equatable {
    /// The database could not be opened, created or migrated.
    case unavailable(String)
    /// A query failed.
    case failed(String)

    public var description: String {
        switch self {
        case let .unavailable(why): return "job store unavailable: \(why)"
        case let .failed(why): return "job store query failed: \(why)"
        }
    }
}

public protocol JobStore: Sendable {
    /// Adds `job` unless a job with its id exists; returns the stored record either way (so a
    /// batch run again finds its earlier jobs as they are).
    func add(_ job: JobRecord) async throws -> JobRecord

    func job(id: String) async throws -> JobRecord?

    /// Jobs of `queue` (all queues when nil), oldest first.
    func jobs(queue: String?) async throws -> [JobRecord]

    /// Atomically takes the oldest job of `queue` and `kind` that is queued, or running with an
    /// expired lease (oldest by `createdAt`, then `id`); marks it running for `worker` until
    /// now + `lease`, and counts an attempt.
    func claim(queue: String, kind: JobKind, worker: String, lease: TimeInterval) async throws -> JobRecord?

    /// Extends the lease; false when `worker` no longer holds the job (it was reclaimed or ended).
    func renew(id: String, worker: String, lease: TimeInterval) async throws -> Bool

    /// Ends a job `worker` holds with a final state; false when it no longer holds it (then the
    /// result must be thrown away: another worker owns the job now). Throws `failed` for a
    /// state that is not final.
    func finish(id: String, worker: String, state: JobState, error: String?, report: String?) async throws -> Bool

    /// Records a job this process runs itself (a live publish) as running, without a lease (so
    /// no claim takes it over). Throws `failed` when the job is unknown or already final: add it
    /// first.
    func start(id: String, worker: String) async throws

    /// Ends a job regardless of worker (a live job ending, an operator cancelling a queued job).
    /// Returns false if the job is unknown or already final. Throws `failed` for a state that is
    /// not final.
    func end(id: String, state: JobState, error: String?, report: String?) async throws -> Bool

    /// Counts a crash of the job process that ran job `id` for `worker` (it died without a
    /// result: a signal, the watchdog, the memory limit). Below `limit` crashes the job goes back
    /// to queued for another attempt, with `reason` as its error; at `limit` it fails with
    /// `finalError`, so no worker, here or on another machine, claims it again. Returns the new
    /// state, or nil when `worker` no longer holds the job.
    func recordCrash(id: String, worker: String, reason: String, finalError: String, limit: Int) async throws -> JobState?

    /// Puts the named states of `queue` back to queued (batch --retry-failed; a single-machine
    /// store's restart putting its own interrupted jobs back). Clears worker, lease, error, report
    /// and times; keeps `attempts`; forgets crashes (an operator's retry starts the count again).
    /// Returns how many changed.
    func requeue(queue: String, states: Set<JobState>) async throws -> Int
}

// MARK: - What both stores share

extension JobState {
    /// finish and end take only a final state; anything else is a caller's bug, said plainly.
    func requireFinal(for operation: String) throws {
        guard isFinal else { throw JobStoreError.failed("\(operation) needs a final state, not \(rawValue)") }
    }
}

/// The one description of table `jobs` that both stores create, so SQLite and PostgreSQL cannot
/// drift apart: same columns, same indexes; only the type of a date differs (REAL unix seconds
/// in SQLite, TIMESTAMPTZ in PostgreSQL).
enum JobTable {
    /// CREATE TABLE for `jobs`, with `dateType` for the date columns.
    static func create(dateType: String) -> String {
        """
        CREATE TABLE IF NOT EXISTS jobs (
            id TEXT PRIMARY KEY NOT NULL,
            kind TEXT NOT NULL,
            source TEXT NOT NULL,
            output_directory TEXT NOT NULL,
            playback_id TEXT,
            queue TEXT NOT NULL,
            spec TEXT NOT NULL,
            state TEXT NOT NULL,
            error TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            worker TEXT,
            lease_expires_at \(dateType),
            created_at \(dateType) NOT NULL,
            started_at \(dateType),
            finished_at \(dateType),
            report TEXT
        )
        """
    }

    /// Migration v2: crashes of a job's process, counted apart from attempts (a lease that ran out
    /// is an attempt, not a crash).
    static let addCrashes = "ALTER TABLE jobs ADD COLUMN crashes INTEGER NOT NULL DEFAULT 0"

    /// Claims look jobs up by queue, kind and state in age order; listings go by age.
    static let indexes = [
        "CREATE INDEX IF NOT EXISTS jobs_claim ON jobs (queue, kind, state, created_at, id)",
        "CREATE INDEX IF NOT EXISTS jobs_listing ON jobs (created_at, id)",
    ]

    /// The stored kind and state of job `id`; throws on one this build does not know (a newer
    /// Vitrine wrote it), rather than guessing.
    static func parse(id: String, kind: String, state: String) throws -> (JobKind, JobState) {
        guard let parsedKind = JobKind(rawValue: kind) else {
            throw JobStoreError.failed("job \(id) has unknown kind '\(kind)'")
        }
        guard let parsedState = JobState(rawValue: state) else {
            throw JobStoreError.failed("job \(id) has unknown state '\(state)'")
        }
        return (parsedKind, parsedState)
    }
}
