// Where a batch's queue lives: SQLite in the output folder for one machine (so the output folder
// carries its own progress), or a PostgreSQL database several machines share.
import Foundation
import Logging
import VitrinePipeline
import VitrineStore

struct BatchQueue {
    static let fileName = ".vitrine-batch.sqlite"

    let store: JobStore
    /// Whether the store is this machine's alone: then jobs left running are ours to redo.
    let isLocal: Bool
    let close: @Sendable () async -> Void

    /// Checks the URL's scheme before anything runs, so a typo is a bad argument (64).
    static func validate(url: String?) throws {
        guard let url else { return }
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
            throw TranscodeError.invalidArgument("--queue \(url): expected postgres://user:password@host:port/database")
        }
    }

    static func open(url: String?, outputRoot: String?, logger: Logger) async throws -> BatchQueue {
        if let url {
            try validate(url: url)
            let store = try await PostgresJobStore(url: url, logger: logger)
            return BatchQueue(store: store, isLocal: false, close: { await store.close() })
        }
        let root = outputRoot ?? "."
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw TranscodeError.unwritableOutput("cannot create output folder \(root): \(error.localizedDescription)")
        }
        let store = try SQLiteJobStore(path: (root as NSString).appendingPathComponent(fileName), logger: logger)
        return BatchQueue(store: store, isLocal: true, close: {})
    }
}
