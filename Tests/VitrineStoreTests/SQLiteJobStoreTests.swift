// What only the SQLite store does: it creates its folder and file, keeps jobs across reopening,
// runs in WAL mode, and says which path is wrong when it cannot open one.
import Foundation
import Testing
import VitrineStore

@Suite struct SQLiteJobStoreTests {
    private func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("vitrine-sqlite-\(UUID().uuidString)")
    }

    @Test func createsItsFolderAndKeepsJobsAcrossReopening() async throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("nested/jobs.sqlite").path
        do {
            let store = try SQLiteJobStore(path: path)
            _ = try await store.add(fileJob("a"))
            _ = try await store.claim(queue: "q", kind: .file, worker: "w", lease: 60)
        }
        #expect(FileManager.default.fileExists(atPath: path))
        let reopened = try SQLiteJobStore(path: path)
        let job = try #require(try await reopened.job(id: "a"))
        #expect(job.state == .running && job.worker == "w" && job.attempts == 1)
        #expect(job.createdAt == fileJob("a").createdAt)
    }

    @Test func usesWriteAheadLogging() async throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("jobs.sqlite").path
        let store = try SQLiteJobStore(path: path)
        _ = try await store.add(fileJob("a"))
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func aFileThatIsNotADatabaseIsUnavailableByPath() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("jobs.sqlite").path
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        expectUnavailable(path: path)
    }

    @Test func aFolderThatCannotBeMadeIsUnavailableByPath() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // A regular file where the folder should be: fails even for root, unlike permissions.
        let blocker = folder.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        expectUnavailable(path: blocker.appendingPathComponent("jobs.sqlite").path)
    }

    @Test func twoStoresOnOneFileClaimEachJobOnce() async throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("jobs.sqlite").path
        let first = try SQLiteJobStore(path: path), second = try SQLiteJobStore(path: path)
        for index in 0..<20 { _ = try await first.add(fileJob("j\(index)", second: Double(index))) }
        async let fromFirst = drain(first, worker: "one")
        async let fromSecond = drain(second, worker: "two")
        let all = try await fromFirst + fromSecond
        #expect(all.count == 20 && Set(all).count == 20)
    }

    private func drain(_ store: SQLiteJobStore, worker: String) async throws -> [String] {
        var ids: [String] = []
        while let job = try await store.claim(queue: "q", kind: .file, worker: worker, lease: 60) { ids.append(job.id) }
        return ids
    }

    private func expectUnavailable(path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try SQLiteJobStore(path: path)
            Issue.record("opened \(path)", sourceLocation: sourceLocation)
        } catch let JobStoreError.unavailable(why) {
            #expect(why.contains(path), "message should name the path: \(why)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected JobStoreError.unavailable, got \(error)", sourceLocation: sourceLocation)
        }
    }
}
