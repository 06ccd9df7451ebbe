// Where a batch's queue lives: SQLite in the output folder for one machine (so the output folder
// carries its own progress), or a PostgreSQL database several machines share.
import Foundation
import Logging
import VitrinePipeline
import VitrineStore

enum BatchQueue {
    static let fileName = ".vitrine-batch.sqlite"

    static func open(url: String?, outputRoot: String?, logger: Logger) throws -> JobStore {
        if let url {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw TranscodeError.invalidArgument("--queue \(url): expected postgres://user:password@host:port/database")
            }
            throw TranscodeError.invalidArgument("--queue \(url): PostgreSQL queues are not available in this build yet")
        }
        let root = outputRoot ?? "."
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw TranscodeError.unwritableOutput("cannot create output folder \(root): \(error.localizedDescription)")
        }
        return try SQLiteJobStore(path: (root as NSString).appendingPathComponent(fileName), logger: logger)
    }
}
