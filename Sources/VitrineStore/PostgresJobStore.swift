// The job store shared by several workers on several machines: one PostgreSQL table. A claim is
// one UPDATE of the row picked with FOR UPDATE SKIP LOCKED, so concurrent workers never take
// the same job and never wait on each other's picks. Leases are computed with the server's
// now(), so the workers' clocks do not matter. Every value is a bound parameter (PostgresQuery's
// string interpolation binds).
import Foundation
import Logging
import PostgresNIO

public final class PostgresJobStore: JobStore {
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger
    /// The URL without its password, for messages.
    public let address: String

    /// Connects to `url` (postgres://user[:password]@host[:port]/database) and creates the table
    /// if missing. Throws `JobStoreError.unavailable` when the URL is bad or the server cannot be
    /// reached or migrated within `openTimeout`.
    /// Call `close()` when done.
    public init(url: String, logger: Logger = Logger(label: "vitrine.store.postgres"),
                openTimeout: Duration = .seconds(20)) async throws {
        address = PostgresURL.redacted(url)
        self.logger = logger
        let parsed = try PostgresURL(url)
        let client = PostgresClient(configuration: parsed.clientConfiguration, backgroundLogger: logger)
        self.client = client
        // The client's connection pool lives as long as run() does (postgres-nio's documented way).
        runner = Task { await client.run() }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await PostgresSchema.open(parsed, client: client, logger: logger) }
                group.addTask {
                    try await Task.sleep(for: openTimeout)
                    throw JobStoreError.unavailable("no connection within \(openTimeout)")
                }
                try await group.next()
                group.cancelAll()
            }
        } catch {
            runner.cancel()
            await runner.value
            throw JobStoreError.unavailable("cannot open job database \(address): \(Self.describe(error))")
        }
        logger.debug("job store opened", metadata: ["url": "\(address)"])
    }

    /// Closes every connection; the store cannot be used afterwards.
    public func close() async {
        runner.cancel()
        await runner.value
    }

    deinit { runner.cancel() }

    public func add(_ job: JobRecord) async throws -> JobRecord {
        if let added = try await one("add \(job.id)", """
            INSERT INTO jobs (id, kind, source, output_directory, playback_id, queue, spec, state, error,
                              attempts, worker, lease_expires_at, created_at, started_at, finished_at, report)
            VALUES (\(job.id), \(job.kind.rawValue), \(job.source), \(job.outputDirectory), \(job.playbackID),
                    \(job.queue), \(job.spec), \(job.state.rawValue), \(job.error), \(Int32(clamping: job.attempts)),
                    \(job.worker), \(job.leaseExpiresAt), \(job.createdAt), \(job.startedAt), \(job.finishedAt),
                    \(job.report))
            ON CONFLICT (id) DO NOTHING
            RETURNING *
            """) {
            return added
        }
        guard let existing = try await self.job(id: job.id) else {
            throw JobStoreError.failed("job \(job.id) vanished right after it was added")
        }
        return existing
    }

    public func job(id: String) async throws -> JobRecord? {
        try await one("job \(id)", "SELECT * FROM jobs WHERE id = \(id)")
    }

    public func jobs(queue: String?) async throws -> [JobRecord] {
        if let queue {
            return try await all("list jobs", "SELECT * FROM jobs WHERE queue = \(queue) ORDER BY created_at, id")
        }
        return try await all("list jobs", "SELECT * FROM jobs ORDER BY created_at, id")
    }

    public func claim(queue: String, kind: JobKind, worker: String, lease: TimeInterval) async throws -> JobRecord? {
        try await one("claim from \(queue)", """
            UPDATE jobs SET state = 'running', worker = \(worker), lease_expires_at = now() + make_interval(secs => \(lease)),
                            attempts = attempts + 1, started_at = now(), finished_at = NULL, error = NULL
            WHERE id = (
                SELECT id FROM jobs
                WHERE queue = \(queue) AND kind = \(kind.rawValue)
                  AND (state = 'queued' OR (state = 'running' AND lease_expires_at < now()))
                ORDER BY created_at, id
                FOR UPDATE SKIP LOCKED
                LIMIT 1)
            RETURNING *
            """)
    }

    public func renew(id: String, worker: String, lease: TimeInterval) async throws -> Bool {
        try await changes("renew \(id)", """
            UPDATE jobs SET lease_expires_at = now() + make_interval(secs => \(lease))
            WHERE id = \(id) AND worker = \(worker) AND state = 'running'
            RETURNING id
            """) > 0
    }

    public func finish(id: String, worker: String, state: JobState, error: String?, report: String?) async throws -> Bool {
        try state.requireFinal(for: "finish")
        return try await changes("finish \(id)", """
            UPDATE jobs SET state = \(state.rawValue), error = \(error), report = \(report), finished_at = now(),
                            lease_expires_at = NULL
            WHERE id = \(id) AND worker = \(worker) AND state = 'running'
            RETURNING id
            """) > 0
    }

    public func start(id: String, worker: String) async throws {
        let changed = try await changes("start \(id)", """
            UPDATE jobs SET state = 'running', worker = \(worker), started_at = now(), lease_expires_at = NULL,
                            attempts = attempts + 1
            WHERE id = \(id) AND state IN ('queued', 'running')
            RETURNING id
            """)
        if changed == 0 { throw JobStoreError.failed("cannot start job \(id): unknown or already ended") }
    }

    public func end(id: String, state: JobState, error: String?, report: String?) async throws -> Bool {
        try state.requireFinal(for: "end")
        return try await changes("end \(id)", """
            UPDATE jobs SET state = \(state.rawValue), error = \(error), report = \(report), finished_at = now(),
                            lease_expires_at = NULL
            WHERE id = \(id) AND state IN ('queued', 'running')
            RETURNING id
            """) > 0
    }

    public func recordCrash(id: String, worker: String, reason: String, finalError: String, limit: Int) async throws -> JobState? {
        let query: PostgresQuery = """
            UPDATE jobs SET crashes = crashes + 1,
                            state = CASE WHEN crashes + 1 >= \(limit) THEN 'failed' ELSE 'queued' END,
                            error = CASE WHEN crashes + 1 >= \(limit) THEN \(finalError) ELSE \(reason) END,
                            worker = CASE WHEN crashes + 1 >= \(limit) THEN worker ELSE NULL END,
                            finished_at = CASE WHEN crashes + 1 >= \(limit) THEN now() ELSE NULL END,
                            lease_expires_at = NULL
            WHERE id = \(id) AND worker = \(worker) AND state = 'running'
            RETURNING state
            """
        do {
            let rows = try await client.query(query, logger: logger).collect()
            guard let row = rows.first else { return nil }
            return JobState(rawValue: try row.decode(String.self))
        } catch {
            throw mapped(error, "record a crash of \(id)")
        }
    }

    public func requeue(queue: String, states: Set<JobState>) async throws -> Int {
        let names = states.map(\.rawValue).sorted()
        guard !names.isEmpty else { return 0 }
        return try await changes("requeue \(queue)", """
            UPDATE jobs SET state = 'queued', worker = NULL, lease_expires_at = NULL, error = NULL,
                            report = NULL, started_at = NULL, finished_at = NULL, crashes = 0
            WHERE queue = \(queue) AND state = ANY(\(names))
            RETURNING id
            """)
    }

    // MARK: - Running queries

    private func all(_ what: String, _ query: PostgresQuery) async throws -> [JobRecord] {
        do {
            return try await client.query(query, logger: logger).collect().map(PostgresSchema.record)
        } catch {
            throw mapped(error, what)
        }
    }

    private func one(_ what: String, _ query: PostgresQuery) async throws -> JobRecord? {
        try await all(what, query).first
    }

    /// Runs an UPDATE ... RETURNING id and counts the rows it changed.
    private func changes(_ what: String, _ query: PostgresQuery) async throws -> Int {
        do {
            return try await client.query(query, logger: logger).collect().count
        } catch {
            throw mapped(error, what)
        }
    }

    private func mapped(_ error: any Error, _ what: String) -> any Error {
        if error is JobStoreError || error is CancellationError { return error }
        let description = Self.describe(error)
        logger.error("job store query failed", metadata: ["what": "\(what)", "url": "\(address)", "error": "\(description)"])
        return JobStoreError.failed("\(what) in \(address): \(description)")
    }

    /// postgres-nio hides the server's message from `description` (it may hold data); the
    /// operator needs it, so show the server's message and SQLSTATE when there is one.
    private static func describe(_ error: any Error) -> String {
        if case let JobStoreError.unavailable(why) = error { return why }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return "\(message) (SQLSTATE \(error.serverInfo?[.sqlState] ?? "?"))"
            }
            if let underlying = error.underlying { return "\(error.code): \(underlying)" }
            return "\(error.code)"
        }
        if let error = error as? PostgresTransactionError {
            if let inner = error.closureError ?? error.beginError ?? error.commitError { return describe(inner) }
        }
        return "\(error)"
    }
}
