// How the PostgreSQL store reaches and prepares its database. The URL is the one string an
// operator gives (`--store postgres://...`), read like psql does:
// postgres[ql]://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]; user
// and password may be percent-encoded and the password never appears in a message.
// Several workers may start at once against an empty database, so migrating runs in one
// transaction under a fixed advisory lock: the first applies what is missing, the others wait
// and then find it done. Applied migrations are recorded by name, as GRDB's migrator does.
import Foundation
import Logging
import PostgresNIO

struct PostgresURL {
    enum SSLMode: String { case disable, prefer, require }

    let host: String
    let port: Int
    let user: String
    let password: String?
    let database: String
    let sslMode: SSLMode

    init(_ url: String) throws {
        func bad(_ why: String) -> JobStoreError {
            .unavailable("bad PostgreSQL URL \(Self.redacted(url)): \(why) (expected postgres://user[:password]@host[:port]/database)")
        }
        guard let parts = URLComponents(string: url) else { throw bad("not a URL") }
        guard let scheme = parts.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw bad("scheme must be postgres or postgresql")
        }
        guard let host = parts.host, !host.isEmpty else { throw bad("no host") }
        guard let user = parts.user?.removingPercentEncoding, !user.isEmpty else { throw bad("no user") }
        database = String(parts.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { throw bad("no database, or more than one path component") }
        port = parts.port ?? 5432
        guard (1...65535).contains(port) else { throw bad("port out of range") }
        switch parts.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "prefer" {
        case "disable": sslMode = .disable
        case "allow", "prefer": sslMode = .prefer
        case "require", "verify-ca", "verify-full": sslMode = .require
        case let other: throw bad("unknown sslmode \(other)")
        }
        // Brackets of an IPv6 literal are URL syntax, not part of the address.
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.user = user
        password = parts.password?.removingPercentEncoding
    }

    /// For the store's connection pool.
    var clientConfiguration: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS = switch sslMode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
        return .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
    }

    /// For one direct connection: the pool retries a failed connect for a minute without saying
    /// why, a single connection says at once (refused, bad password, no such database).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS = switch sslMode {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        return .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
    }

    /// The URL with its password replaced, fit for logs and error messages.
    static func redacted(_ url: String) -> String {
        guard var parts = URLComponents(string: url), parts.password != nil else { return url }
        parts.password = "***"
        return parts.string ?? "postgres://***"
    }
}

enum PostgresSchema {
    /// Every migration, in order: a name and its statements (one statement per query, as the
    /// extended protocol requires). Never edit one that has shipped: add another.
    static let migrations: [(name: String, statements: [PostgresQuery])] = [
        ("v1-jobs", ([JobTable.create(dateType: "TIMESTAMPTZ")] + JobTable.indexes).map { PostgresQuery(unsafeSQL: $0) }),
        ("v2-crashes", [PostgresQuery(unsafeSQL: JobTable.addCrashes)]),
    ]

    /// Any fixed number, the same in every Vitrine ("vitrinjo" in ASCII).
    private static let migrationLock: Int64 = 0x7669_7472_696e_6a6f

    /// Connects once to fail fast with the server's own reason, then migrates through the pool.
    static func open(_ url: PostgresURL, client: PostgresClient, logger: Logger) async throws {
        let probe = try await PostgresConnection.connect(configuration: try url.connectionConfiguration(), id: 0, logger: logger)
        try? await probe.close()
        try await migrate(client, logger: logger)
    }

    static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS job_store_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """, logger: logger)
            var applied = Set<String>()
            for try await name in try await connection.query("SELECT name FROM job_store_migrations", logger: logger)
                .decode(String.self) {
                applied.insert(name)
            }
            for migration in migrations where !applied.contains(migration.name) {
                for statement in migration.statements {
                    try await connection.query(statement, logger: logger)
                }
                try await connection.query("INSERT INTO job_store_migrations (name) VALUES (\(migration.name))", logger: logger)
                logger.info("job store migrated", metadata: ["migration": "\(migration.name)"])
            }
        }
    }

    /// A stored row back as a record.
    static func record(_ row: PostgresRow) throws -> JobRecord {
        let cells = row.makeRandomAccess()
        let id = try cells["id"].decode(String.self)
        let (kind, state) = try JobTable.parse(
            id: id, kind: try cells["kind"].decode(String.self), state: try cells["state"].decode(String.self))
        var job = JobRecord(
            id: id, kind: kind, source: try cells["source"].decode(String.self),
            outputDirectory: try cells["output_directory"].decode(String.self),
            playbackID: try cells["playback_id"].decode(String?.self), queue: try cells["queue"].decode(String.self),
            spec: try cells["spec"].decode(String.self), state: state,
            createdAt: try cells["created_at"].decode(Date.self))
        job.error = try cells["error"].decode(String?.self)
        job.attempts = Int(try cells["attempts"].decode(Int32.self))
        job.crashes = Int(try cells["crashes"].decode(Int32.self))
        job.worker = try cells["worker"].decode(String?.self)
        job.leaseExpiresAt = try cells["lease_expires_at"].decode(Date?.self)
        job.startedAt = try cells["started_at"].decode(Date?.self)
        job.finishedAt = try cells["finished_at"].decode(Date?.self)
        job.report = try cells["report"].decode(String?.self)
        return job
    }
}
