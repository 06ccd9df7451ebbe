// AudienceKeeper.swift - saves each live show's audience beside its HLS output (audience.json)
// as the origin counts it. The counter lives only in this process's memory: without the file, a
// report read offline (`vitrine report FOLDER`) or after the server restarts would have no
// viewers. Written when the audience changed since the last write, or the file is gone.
import Foundation
import Logging
import VitrinePipeline
import VitrineStore

struct AudienceKeeper {
    let viewers: ViewerCounter
    let logger: Logger
    /// What was last written per job: only the recent jobs' (bounded like the sweep).
    private var written: [String: [ViewerPresence]] = [:]

    init(viewers: ViewerCounter, logger: Logger) {
        self.viewers = viewers
        self.logger = logger
    }

    static func path(_ job: JobRecord) -> String {
        (job.outputDirectory as NSString).appendingPathComponent(AudienceFile.fileName)
    }

    mutating func save(_ jobs: [JobRecord]) async {
        written = written.filter { id, _ in jobs.contains { $0.id == id } }
        for job in jobs {
            guard let playbackID = job.playbackID else { continue }
            let presence = viewers.presence(playbackID: playbackID)
            guard !presence.isEmpty else { continue }
            let path = Self.path(job)
            let unchanged = written[job.id] == presence
            do {
                try await OffPool.run {
                    if unchanged, FileManager.default.fileExists(atPath: path) { return }
                    try AudienceFile.write(presence, to: path)
                }
                written[job.id] = presence
            } catch {
                logger.warning("audience not saved", metadata: ["job": "\(job.id)", "path": "\(path)", "error": "\(error)"])
            }
        }
    }
}
