// The SQLite layout of the job store, kept apart from the queries so a schema change is one
// new migration here and nowhere else. Dates are REAL seconds since 1970 (UTC), so that
// `datetime(created_at, 'unixepoch')` reads them and ordering by them is numeric.
import Foundation
import GRDB

enum SQLiteSchema {
    /// Every migration, in order. Never edit one that has shipped: add another.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-jobs") { db in
            try db.execute(sql: """
                CREATE TABLE jobs (
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
                    lease_expires_at REAL,
                    created_at REAL NOT NULL,
                    started_at REAL,
                    finished_at REAL,
                    report TEXT
                );
                CREATE INDEX jobs_claim ON jobs (queue, kind, state, created_at, id);
                CREATE INDEX jobs_listing ON jobs (created_at, id);
                """)
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

    /// A stored row back as a record; throws on a kind or state this build does not know (a newer
    /// Vitrine wrote it), rather than guessing.
    static func record(_ row: Row) throws -> JobRecord {
        let id: String = row["id"]
        let kindName: String = row["kind"], stateName: String = row["state"]
        guard let kind = JobKind(rawValue: kindName) else {
            throw JobStoreError.failed("job \(id) has unknown kind '\(kindName)'")
        }
        guard let state = JobState(rawValue: stateName) else {
            throw JobStoreError.failed("job \(id) has unknown state '\(stateName)'")
        }
        var job = JobRecord(
            id: id, kind: kind, source: row["source"], outputDirectory: row["output_directory"],
            playbackID: row["playback_id"], queue: row["queue"], spec: row["spec"], state: state,
            createdAt: Date(timeIntervalSince1970: row["created_at"]))
        job.error = row["error"]
        job.attempts = row["attempts"]
        job.worker = row["worker"]
        job.leaseExpiresAt = date(row["lease_expires_at"])
        job.startedAt = date(row["started_at"])
        job.finishedAt = date(row["finished_at"])
        job.report = row["report"]
        return job
    }
}
