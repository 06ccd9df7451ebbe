// Drains a batch queue: N LeasedJobWorkers each claim the oldest claimable job from the JobStore,
// run it (BatchJobRun) under a lease they keep renewing, and finish it only while they still hold it.
// The same loop serves one machine (SQLite in the output folder) and many (PostgreSQL): a job
// whose worker died is claimed again once its lease runs out, so every job ends exactly once.
import Foundation
import Logging
import VitrineJobs
import VitrineStore

public struct BatchOptions: Sendable {
    public var queue = "batch"
    /// Files transcoded at once.
    public var jobs: Int
    /// Cores each job's encoders are sized for (the machine's cores split across `jobs`).
    public var coresPerJob: Int
    /// How long a claim holds without renewal; renewed every third of it.
    public var lease: TimeInterval = 30
    /// Put failed (and cancelled) jobs back in the queue before starting.
    public var retryFailed = false
    /// The store is this machine's alone (SQLite): a job left `running` can only be one an
    /// earlier run of ours was killed in, so it goes back to the queue at once instead of after
    /// its lease. Never for a shared queue: another machine may be running it right now.
    public var reclaimRunning = false
    /// How often an idle worker looks again while other workers still hold jobs.
    public var pollInterval: TimeInterval = 1
    /// Where each file's media work runs: `vitrine batch` gives every job a process of its own.
    public var launcher: FileJobLauncher = .inProcess
    /// Crashes of a file's job process before it is failed for good ("crashed twice, not retried").
    public static let crashLimit = LeasedJobWorker.defaultCrashLimit

    public init(jobs: Int, coresPerJob: Int) {
        self.jobs = max(1, jobs)
        self.coresPerJob = max(1, coresPerJob)
    }

    /// `--jobs` when given, else one job per core; each job gets an equal share of the cores.
    public static func sized(jobs: Int?, cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> BatchOptions {
        let count = max(1, jobs ?? cores)
        return BatchOptions(jobs: count, coresPerJob: max(1, cores / count))
    }
}

public final class BatchRunner: @unchecked Sendable {
    private let store: JobStore
    private let options: BatchOptions
    private let progress: BatchProgress
    private let logger: Logger

    public init(store: JobStore, options: BatchOptions, progress: BatchProgress, logger: Logger) {
        self.store = store
        self.options = options
        self.progress = progress
        self.logger = logger
    }

    /// Queues `records` (keeping the state of those queued before), runs every claimable job of
    /// the queue, and returns the final records of `records`, or of the whole queue when none
    /// were given (a worker joining a shared queue).
    public func run(records: [JobRecord]) async throws -> [JobRecord] {
        for record in records { _ = try await store.add(record) }
        if options.retryFailed {
            let count = try await store.requeue(queue: options.queue, states: [.failed, .cancelled])
            if count > 0 { logger.notice("retrying failed jobs", metadata: ["count": "\(count)"]) }
        }
        if options.reclaimRunning {
            let count = try await store.requeue(queue: options.queue, states: [.running])
            if count > 0 { logger.notice("redoing jobs an earlier run was stopped in", metadata: ["count": "\(count)"]) }
        }
        let ids = records.map(\.id)
        let before = try await batchJobs(ids)
        progress.begin(total: before.count)
        for job in before where job.state.isFinal {
            progress.skipped(job)
            if job.state == .failed {
                logger.notice("not retried: failed in an earlier run (use --retry-failed)",
                              metadata: ["job": "\(job.id)", "input": "\(job.source)", "error": "\(job.error ?? "")"])
            } else {
                logger.notice("skipped: done in an earlier run", metadata: ["job": "\(job.id)", "input": "\(job.source)"])
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<options.jobs {
                let worker = LeasedJobWorker(store: store, queue: options.queue, lease: options.lease, crashLimit: BatchOptions.crashLimit)
                group.addTask { try await self.work(worker) }
            }
            try await group.waitForAll()
        }
        let after = try await batchJobs(ids)
        progress.end()
        return after
    }

    private func batchJobs(_ ids: [String]) async throws -> [JobRecord] {
        if ids.isEmpty { return try await store.jobs(queue: options.queue).filter { $0.kind == .file } }
        var jobs: [JobRecord] = []
        for id in ids {
            if let job = try await store.job(id: id) { jobs.append(job) }
        }
        return jobs
    }

    /// One worker: claim, run, finish, until nothing is left that is not final.
    private func work(_ worker: LeasedJobWorker) async throws {
        var log = logger
        log[metadataKey: "worker"] = "\(worker.worker)"
        while true {
            if let job = try await worker.claim() {
                try await runClaimed(job, worker: worker, logger: log)
                continue
            }
            // Others (here or on other machines) still hold jobs: one of them may die, and its
            // job comes back once the lease runs out.
            let open = try await store.jobs(queue: options.queue).filter { $0.kind == .file && !$0.state.isFinal }
            if open.isEmpty { return }
            try await Task.sleep(nanoseconds: UInt64(options.pollInterval * 1_000_000_000))
        }
    }

    private func runClaimed(_ job: JobRecord, worker: LeasedJobWorker, logger: Logger) async throws {
        var log = logger
        log[metadataKey: "job"] = "\(job.id)"
        let run = BatchJobRun(job: job, cores: options.coresPerJob, launcher: options.launcher, progress: progress, logger: log)
        let (outcome, result) = try await worker.run(job, logger: log, onLeaseLost: { run.leaseLost() }, body: { run.execute() }) {
            $0.crashed ? .crashed(reason: $0.error ?? "job process crashed")
                : .done(state: $0.state, error: $0.error, report: $0.report.encoded())
        }
        switch result {
        case let .recorded(state, error):
            var recorded = outcome
            recorded.state = state
            recorded.error = error
            progress.finished(job, outcome: recorded, recorded: true)
        case let .queuedAgain(reason):
            progress.crashedWillRetry(job, reason: reason)
        case .dropped:
            progress.finished(job, outcome: outcome, recorded: false)
        }
    }
}
