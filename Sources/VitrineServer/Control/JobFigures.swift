// A running job's figures beyond its record, live or file, for GET /v1/jobs and /metrics.
import Foundation
import Logging
import VitrineHLS
import VitrineJobs
import VitrineOverlay
import VitrinePipeline
import VitrineStore

extension JobSupervisor {
    /// Live figures of a running job, nil when it does not run here.
    func liveFigures(jobID: String) -> JobFigures? {
        if let live = ingest.job(id: jobID) { return JobFigures(live) }
        return lock.withLock { running[jobID] }.map(JobFigures.init)
    }

    /// Figures of every job running here, live and file, by job id.
    func runningFigures() -> [(id: String, figures: JobFigures)] {
        lock.withLock { running.map { ($0.key, JobFigures($0.value)) } } + ingest.jobs.map { ($0.id, JobFigures($0)) }
    }
}

extension JobSupervisor {
    /// What /metrics shows of the jobs right now.
    func metricsSnapshot() -> ServeMetrics.Snapshot {
        let running = runningFigures()
        let live = ingest.jobs
        return .init(running: running.count, queued: max(0, activeJobs - running.count), publishers: live.count,
                     framesIn: live.map { ($0.id, $0.framesIn) },
                     renditions: running.flatMap { job in job.figures.renditions.map { (job.id, $0) } })
    }
}

/// What a running job reports beyond its record, live or file.
struct JobFigures {
    var renditions: [RenditionProgress]
    var progress: JobProgress?
    var droppedUnits: Int
    var degraded: Bool
    /// A live job's process restarts after crashes.
    var restarts: [LiveRestart] = []

    init(_ live: any LiveJobRunning) {
        self.init(renditions: live.renditionProgress(), progress: nil, droppedUnits: live.droppedUnits, degraded: live.degraded)
        restarts = live.restarts
    }

    init(_ file: JobSupervisor.RunningFile) {
        let latest = file.progress
        self.init(renditions: latest?.renditions ?? [], progress: latest?.jobProgress, droppedUnits: 0, degraded: false)
    }

    init(renditions: [RenditionProgress], progress: JobProgress?, droppedUnits: Int, degraded: Bool) {
        self.renditions = renditions
        self.progress = progress
        self.droppedUnits = droppedUnits
        self.degraded = degraded
    }
}
