// LiveClipper.swift - cuts live product clips while shows run: every few seconds, for each live
// job running (or ended in the last minutes, so a showing that ended with the publish is cut
// too), LiveClips.cut makes the clips of showings that ended. Off the cooperative pool: it links
// files and remuxes an MP4.
import Foundation
import Logging
import VitrinePipeline
import VitrineStore

public struct LiveClipper: Sendable {
    let supervisor: JobSupervisor
    let logger: Logger
    /// A clip is ready within a sweep, a segment and a remux of its cut: well inside 60 s.
    static let sweepSeconds: UInt64 = 3
    static let endedJobsWindow: TimeInterval = 300

    public init(supervisor: JobSupervisor, logger: Logger) {
        self.supervisor = supervisor
        self.logger = logger
    }

    public func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: Self.sweepSeconds * 1_000_000_000)
            await sweep()
        }
    }

    func sweep() async {
        guard let jobs = try? await supervisor.store.jobs(queue: JobSupervisor.liveQueue) else { return }
        let now = Date()
        let recent = jobs.filter { job in
            job.kind == .live && (job.state == .running || (job.finishedAt.map { now.timeIntervalSince($0) < Self.endedJobsWindow } ?? false))
        }
        let root = supervisor.hlsDirectory
        for job in recent {
            let logger = logger
            do {
                let made = try await OffPool.run { try LiveClips.cut(jobID: job.id, folder: job.outputDirectory, hlsRoot: root) }
                for clip in made {
                    logger.info("live clip ready", metadata: ["job": "\(job.id)", "card": "\(clip.cardID)", "playback": "\(clip.playbackURL)",
                                                              "seconds": "\(String(format: "%.1f", clip.clipEnd - clip.clipStart))"])
                }
            } catch {
                logger.warning("live clip failed", metadata: ["job": "\(job.id)", "error": "\(error)"])
            }
        }
    }
}
