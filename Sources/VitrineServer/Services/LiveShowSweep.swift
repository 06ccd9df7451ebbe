// LiveShowSweep.swift - what is kept up to date for live shows while they run: every few
// seconds, for each live job running (or ended in the last minutes, so a showing that ended with
// the publish is cut too), LiveClips.cut makes the clips of showings that ended, and the
// AudienceKeeper saves the viewers the origin counted beside the show (and beside each replay
// this origin has viewers for); then the counter forgets streams no job has. Off the cooperative
// pool: it links files, remuxes MP4s and writes JSON.
import Foundation
import Logging
import VitrinePipeline
import VitrineStore

public struct LiveShowSweep: Sendable {
    let supervisor: JobSupervisor
    let viewers: ViewerCounter?
    let logger: Logger
    /// A clip is ready within a sweep, a segment and a remux of its cut: well inside 60 s.
    static let sweepSeconds: UInt64 = 3
    static let endedJobsWindow: TimeInterval = 300

    public init(supervisor: JobSupervisor, viewers: ViewerCounter?, logger: Logger) {
        self.supervisor = supervisor
        self.viewers = viewers
        self.logger = logger
    }

    public func run() async {
        var audience = viewers.map { AudienceKeeper(viewers: $0, logger: logger) }
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: Self.sweepSeconds * 1_000_000_000)
            let listed = Date()
            let live = try? await supervisor.store.jobs(queue: JobSupervisor.liveQueue)
            var files: [JobRecord]? = []
            if viewers != nil { files = try? await supervisor.store.jobs(queue: JobSupervisor.fileQueue) }
            let jobs = recent(live ?? [])
            if !Task.isCancelled { await cutClips(jobs) }
            await audience?.save(jobs + watchedReplays(files ?? []))
            // No report reads the audience of a stream no job has (a listing that failed forgets nothing).
            if let viewers, let live, let files {
                viewers.retain(playbackIDs: Set((live + files).compactMap(\.playbackID)), listed: listed)
            }
        }
    }

    func recent(_ jobs: [JobRecord]) -> [JobRecord] {
        let now = Date()
        return jobs.filter { job in
            job.kind == .live && (job.state == .running || (job.finishedAt.map { now.timeIntervalSince($0) < Self.endedJobsWindow } ?? false))
        }
    }

    /// File jobs whose playback this origin has counted viewers for (at most its stream cap).
    func watchedReplays(_ jobs: [JobRecord]) -> [JobRecord] {
        guard let viewers else { return [] }
        return jobs.filter { job in job.playbackID.map(viewers.isWatched) ?? false }
    }

    func cutClips(_ jobs: [JobRecord]) async {
        let root = supervisor.hlsDirectory
        for job in jobs {
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
