// What only the PostgreSQL store does: read an operator's URL like psql does, fail fast and
// clearly when the server is not there (without printing the password), and let several
// workers that start at once against an empty database all migrate it safely.
import Foundation
import Testing
@testable import VitrineStore

@Suite(.throwawayPostgres) struct PostgresJobStoreTests {
    @Test func readsURLsLikePsql() throws {
        let full = try PostgresURL("postgres://me:p%40ss@db.example:6543/vitrine?sslmode=disable")
        #expect(full.host == "db.example" && full.port == 6543 && full.user == "me")
        #expect(full.password == "p@ss" && full.database == "vitrine" && full.sslMode == .disable)
        let plain = try PostgresURL("postgresql://me@[::1]/jobs")
        #expect(plain.host == "::1" && plain.port == 5432 && plain.password == nil && plain.database == "jobs")
        #expect(plain.sslMode == .prefer)
    }

    @Test(arguments: [
        "mysql://me@host/db", "postgres://host/db", "postgres://me@host/", "postgres://me@host",
        "postgres://me:secret@host/db?sslmode=sometimes", "not a url",
    ])
    func rejectsBadURLsWithoutShowingThePassword(_ url: String) {
        #expect {
            _ = try PostgresURL(url)
        } throws: { error in
            guard case let JobStoreError.unavailable(why) = error else { return false }
            return why.contains("postgres://user") && !why.contains("secret")
        }
    }

    @Test func anUnreachableServerIsUnavailableQuickly() async throws {
        let started = ContinuousClock.now
        do {
            _ = try await PostgresJobStore(url: "postgres://me:secret@127.0.0.1:1/jobs", openTimeout: .seconds(30))
            Issue.record("connected to nothing")
        } catch let JobStoreError.unavailable(why) {
            #expect(why.contains("127.0.0.1:1") && !why.contains("secret"), "\(why)")
            #expect(why.contains("refused"), "the reason should be the server's: \(why)")
        }
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func aMissingDatabaseIsUnavailableWithTheServersReason() async throws {
        let missing = try ThrowawayPostgres.database()
            .replacingOccurrences(of: #"/[a-z0-9_]+$"#, with: "/no_such_db", options: .regularExpression)
        await #expect {
            _ = try await PostgresJobStore(url: missing)
        } throws: { error in
            "\(error)".contains("database \"no_such_db\" does not exist")
        }
    }

    @Test func workersStartingTogetherAllMigrateOneDatabase() async throws {
        let url = try ThrowawayPostgres.database()
        let stores = try await withThrowingTaskGroup(of: PostgresJobStore.self) { group in
            for _ in 0..<6 {
                group.addTask { try await PostgresJobStore(url: url) }
            }
            return try await group.reduce(into: [PostgresJobStore]()) { $0.append($1) }
        }
        _ = try await stores[0].add(fileJob("a"))
        for store in stores {
            #expect(try await store.job(id: "a")?.id == "a")
            await store.close()
        }
    }

    @Test func reopeningKeepsJobsAndDatesToTheMicrosecond() async throws {
        let url = try ThrowawayPostgres.database()
        var job = fileJob("a")
        job.createdAt = Date(timeIntervalSince1970: 1_700_000_000.123456)
        let first = try await PostgresJobStore(url: url)
        _ = try await first.add(job)
        await first.close()
        let second = try await PostgresJobStore(url: url)
        let stored = try #require(try await second.job(id: "a"))
        await second.close()
        #expect(abs(stored.createdAt.timeIntervalSince(job.createdAt)) < 0.000_002)
        #expect(stored.spec == job.spec && stored.source == job.source)
    }
}
