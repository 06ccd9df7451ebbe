// The job store for one machine: a SQLite file (WAL, so `vitrine serve` can list jobs while a
// worker writes) in the data or output folder. Every change is one IMMEDIATE write transaction,
// so a claim is atomic across the tasks of one process and across processes on the same file
// (a busy file is waited on, not failed). Lease times use this machine's clock, which is the
// only clock a single-machine store has. Dates are REAL seconds since 1970 (UTC), so that
// `datetime(created_at, 'unixepoch')` reads them and ordering by them is numeric.
import Foundation
import GRDB
import Logging

public final class SQLiteJobStore: JobStore {
    public let path: String
    private let pool: DatabasePool
    private let logger: Logger

    /// Opens (creating it and its folder when missing) and migrates the database at `path`.
    /// Throws `JobStoreError.unavailable` naming the path when that fails.
    public init(path: String, logger: Logger = Logger(label: "vitrine.store.sqlite")) throws {
        self.path = path
        self.logger = logger
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw JobStoreError.unavailable("cannot create folder \(folder.path) for job database \(path): \(error.localizedDescription)")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.label = "vitrine.jobs"
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try SQLiteSchema.migrator.migrate(pool)
        } catch {
            throw JobStoreError.unavailable("cannot open job database \(path): \(error)")
        }
        logger.debug("job store opened", metadata: ["path": "\(path)"])
    }

    public func add(_ job: JobRecord) async throws -> JobRecord {
        try await write("add \(job.id)") { db in
            try db.execute(sql: SQLiteSchema.insert, arguments: SQLiteSchema.insertArguments(job))
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [job.id]) else {
                throw JobStoreError.failed("job \(job.id) vanished right after it was added")
            }
            return try SQLiteSchema.record(row)
        }
    }

    public func job(id: String) async throws -> JobRecord? {
        try await read("job \(id)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]).map(SQLiteSchema.record)
        }
    }

    public func jobs(queue: String?) async throws -> [JobRecord] {
        try await read("list jobs") { db in
            let rows = if let queue {
                try Row.fetchAll(db, sql: "SELECT * FROM jobs WHERE queue = ? ORDER BY created_at, id", arguments: [queue])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM jobs ORDER BY created_at, id")
            }
            return try rows.map(SQLiteSchema.record)
        }
    }

    public func claim(queue: String, kind: JobKind, worker: String, lease: TimeInterval) async throws -> JobRecord? {
        try await write("claim from \(queue)") { db in
            let now = SQLiteSchema.seconds(Date())
            guard let id = try String.fetchOne(db, sql: """
                SELECT id FROM jobs
                WHERE queue = ? AND kind = ? AND (state = 'queued' OR (state = 'running' AND lease_expires_at < ?))
                ORDER BY created_at, id LIMIT 1
                """, arguments: [queue, kind.rawValue, now]) else { return nil }
            try db.execute(sql: """
                UPDATE jobs SET state = 'running', worker = ?, lease_expires_at = ?, attempts = attempts + 1,
                                started_at = ?, finished_at = NULL, error = NULL
                WHERE id = ?
                """, arguments: [worker, now + lease, now, id])
            return try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]).map(SQLiteSchema.record)
        }
    }

    public func renew(id: String, worker: String, lease: TimeInterval) async throws -> Bool {
        try await write("renew \(id)") { db in
            try db.execute(sql: """
                UPDATE jobs SET lease_expires_at = ? WHERE id = ? AND worker = ? AND state = 'running'
                """, arguments: [SQLiteSchema.seconds(Date()) + lease, id, worker])
            return db.changesCount > 0
        }
    }

    public func finish(id: String, worker: String, state: JobState, error: String?, report: String?) async throws -> Bool {
        try state.requireFinal(for: "finish")
        return try await write("finish \(id)") { db in
            try db.execute(sql: """
                UPDATE jobs SET state = ?, error = ?, report = ?, finished_at = ?, lease_expires_at = NULL
                WHERE id = ? AND worker = ? AND state = 'running'
                """, arguments: [state.rawValue, error, report, SQLiteSchema.seconds(Date()), id, worker])
            return db.changesCount > 0
        }
    }

    public func start(id: String, worker: String) async throws {
        try await write("start \(id)") { db in
            try db.execute(sql: """
                UPDATE jobs SET state = 'running', worker = ?, started_at = ?, lease_expires_at = NULL,
                                attempts = attempts + 1
                WHERE id = ? AND state IN ('queued', 'running')
                """, arguments: [worker, SQLiteSchema.seconds(Date()), id])
            if db.changesCount == 0 { throw JobStoreError.failed("cannot start job \(id): unknown or already ended") }
        }
    }

    public func end(id: String, state: JobState, error: String?, report: String?) async throws -> Bool {
        try state.requireFinal(for: "end")
        return try await write("end \(id)") { db in
            try db.execute(sql: """
                UPDATE jobs SET state = ?, error = ?, report = ?, finished_at = ?, lease_expires_at = NULL
                WHERE id = ? AND state IN ('queued', 'running')
                """, arguments: [state.rawValue, error, report, SQLiteSchema.seconds(Date()), id])
            return db.changesCount > 0
        }
    }

    public func recordCrash(id: String, worker: String, reason: String, finalError: String, limit: Int) async throws -> JobState? {
        try await write("record a crash of \(id)") { db in
            guard let crashes = try Int.fetchOne(db, sql: """
                SELECT crashes FROM jobs WHERE id = ? AND worker = ? AND state = 'running'
                """, arguments: [id, worker]) else { return nil }
            let final = crashes + 1 >= limit
            try db.execute(sql: """
                UPDATE jobs SET crashes = crashes + 1, state = ?, error = ?, lease_expires_at = NULL,
                                worker = CASE WHEN ? THEN worker ELSE NULL END, finished_at = ?
                WHERE id = ?
                """, arguments: [final ? "failed" : "queued", final ? finalError : reason, final,
                                 final ? SQLiteSchema.seconds(Date()) : nil, id])
            return final ? JobState.failed : JobState.queued
        }
    }

    public func requeue(queue: String, states: Set<JobState>) async throws -> Int {
        let names = states.map(\.rawValue).sorted()
        guard !names.isEmpty else { return 0 }
        return try await write("requeue \(queue)") { db in
            let marks = Array(repeating: "?", count: names.count).joined(separator: ", ")
            try db.execute(sql: """
                UPDATE jobs SET state = 'queued', worker = NULL, lease_expires_at = NULL, error = NULL,
                                report = NULL, started_at = NULL, finished_at = NULL, crashes = 0
                WHERE queue = ? AND state IN (\(marks))
                """, arguments: StatementArguments([queue] + names))
            return db.changesCount
        }
    }

    // MARK: - Error mapping

    private func write<T: Sendable>(_ what: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await pool.write(body) } catch { throw mapped(error, what) }
    }

    private func read<T: Sendable>(_ what: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await pool.read(body) } catch { throw mapped(error, what) }
    }

    private func mapped(_ error: any Error, _ what: String) -> any Error {
        if error is JobStoreError || error is CancellationError { return error }
        logger.error("job store query failed", metadata: ["what": "\(what)", "path": "\(path)", "error": "\(error)"])
        return JobStoreError.failed("\(what) in \(path): \(error)")
    }
}

/// Migrations, the insert and row decoding: the SQLite side of the table described in JobTable.
enum SQLiteSchema {
    /// Every migration, in order. Never edit one that has shipped: add another.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-jobs") { db in
            try db.execute(sql: JobTable.create(dateType: "REAL"))
            for index in JobTable.indexes { try db.execute(sql: index) }
        }
        migrator.registerMigration("v2-crashes") { db in
            try db.execute(sql: JobTable.addCrashes)
        }
        return migrator
    }

    static let insert = """
        INSERT INTO jobs (id, kind, source, output_directory, playback_id, queue, spec, state, error,
                          attempts, worker, lease_expires_at, created_at, started_at, finished_at, report)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO NOTHING
        """

    static func insertArguments(_ job: JobRecord) -> StatementArguments {
        [
            job.id, job.kind.rawValue, job.source, job.outputDirectory, job.playbackID, job.queue, job.spec,
            job.state.rawValue, job.error, job.attempts, job.worker, seconds(job.leaseExpiresAt),
            seconds(job.createdAt), seconds(job.startedAt), seconds(job.finishedAt), job.report,
        ]
    }

    static func seconds(_ date: Date) -> Double { date.timeIntervalSince1970 }
    static func seconds(_ date: Date?) -> Double? { date.map(seconds) }
    private static func date(_ seconds: Double?) -> Date? { seconds.map(Date.init(timeIntervalSince1970:)) }

    /// A stored row back as a record.
    static func record(_ row: Row) throws -> JobRecord {
        let id: String = row["id"]
        let (kind, state) = try JobTable.parse(id: id, kind: row["kind"], state: row["state"])
        var job = JobRecord(
            id: id, kind: kind, source: row["source"], outputDirectory: row["output_directory"],
            playbackID: row["playback_id"], queue: row["queue"], spec: row["spec"], state: state,
            createdAt: Date(timeIntervalSince1970: row["created_at"]))
        job.error = row["error"]
        job.attempts = row["attempts"]
        job.crashes = row["crashes"]
        job.worker = row["worker"]
        job.leaseExpiresAt = date(row["lease_expires_at"])
        job.startedAt = date(row["started_at"])
        job.finishedAt = date(row["finished_at"])
        job.report = row["report"]
        return job
    }
}
