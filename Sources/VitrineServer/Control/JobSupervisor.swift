// Runs and remembers `vitrine serve`'s jobs: the state every concern shares, start-up and shutdown.
// The concerns each have a file: file jobs (JobSupervisor+FileJobs: queue, claim, run in a job
// process, crashes), live jobs' records (JobSupervisor+LiveJobs), operator actions
// (JobSupervisor+Operator) and figures for the API and /metrics (JobFigures). The store is the
// history a restart reads back; the running jobs (and their cards) live here in memory.
import Foundation
import Logging
import VitrineHLS
import VitrineJobs
import VitrineOverlay
import VitrinePipeline
import VitrineStore

public final class JobSupervisor: @unchecked Sendable {
    public static let fileQueue = "serve"
    public static let liveQueue = "live"
    static let leaseSeconds: TimeInterval = 60

    final class RunningFile: @unchecked Sendable {
        let job: any RunningFileJob
        let lock = NSLock()
        private var latest: JobProcessProgress?
        init(job: any RunningFileJob) { self.job = job }
        var progress: JobProcessProgress? {
            get { lock.withLock { latest } }
            set { lock.withLock { latest = newValue } }
        }
    }

    let store: JobStore
    /// Other workers use the same store: never touch jobs they may hold.
    let storeIsShared: Bool
    let configuration: ServeConfiguration
    let ingest: LiveIngest
    /// Claims, runs and records serve's file jobs, as a batch's workers do theirs.
    let fileWorker: LeasedJobWorker
    /// Who holds this server's jobs in the store, live ones too.
    var worker: String { fileWorker.worker }
    let metrics: ServeMetrics
    /// Where file jobs run: `vitrine serve` gives each a job process.
    let launcher: FileJobLauncher
    let inputFolders: [String]
    let disconnect: @Sendable (UInt64) -> Void
    let logger: Logger
    let lock = NSLock()
    var running: [String: RunningFile] = [:]
    /// File jobs accepted by this worker and not yet finished (queued or running).
    var pendingFileJobs: Set<String> = []
    /// Jobs bound to a stream key, waiting for its next publish: key -> job id and settings.
    var bindings: [String: LiveJobBinding] = [:]
    /// The store write that records a live job's start; its end waits for it, so a short publish
    /// never ends before it began in the store.
    var liveStartWrites: [String: Task<Void, Never>] = [:]
    /// Live jobs an operator stopped: their end is recorded as cancelled, not succeeded.
    var cancelledLive: Set<String> = []
    let idle = DispatchGroup()
    /// Live jobs whose end is not yet in the store: shutdown waits for them.
    let liveRecords = DispatchGroup()

    public init(store: JobStore, storeIsShared: Bool = false, configuration: ServeConfiguration, ingest: LiveIngest, metrics: ServeMetrics,
                launcher: FileJobLauncher, disconnect: @escaping @Sendable (UInt64) -> Void, logger: Logger) {
        self.store = store
        self.launcher = launcher
        self.storeIsShared = storeIsShared
        self.configuration = configuration
        self.ingest = ingest
        self.metrics = metrics
        self.disconnect = disconnect
        self.logger = logger
        fileWorker = LeasedJobWorker(store: store, queue: Self.fileQueue, lease: Self.leaseSeconds)
        let folders = configuration.inputDirectories.isEmpty ? [Self.defaultInputFolder(configuration)] : configuration.inputDirectories
        inputFolders = folders.compactMap { folder in
            guard let real = realpath(folder, nil) else { return nil }
            defer { free(real) }
            return String(cString: real)
        }
    }

    public static func defaultInputFolder(_ configuration: ServeConfiguration) -> String {
        (configuration.dataDirectory as NSString).appendingPathComponent("inputs")
    }

    var hlsDirectory: String { (configuration.dataDirectory as NSString).appendingPathComponent("hls") }
    var imagesDirectory: String { (configuration.dataDirectory as NSString).appendingPathComponent("images") }

    /// Jobs running or waiting on this worker, live and file.
    public var activeJobs: Int { lock.withLock { pendingFileJobs.count } + ingest.jobs.count }

    /// Asked before a publish is accepted and before a file job is queued.
    public var hasCapacity: Bool { activeJobs < configuration.maxJobs }

    // MARK: - Start-up

    /// After a restart: live jobs that were running died with the old process; file jobs it
    /// held run again from scratch. With a shared store the running jobs may be other workers':
    /// their leases tell, so only queued jobs are picked up here.
    public func recover() async throws {
        guard !storeIsShared else {
            claimNext()
            return
        }
        for record in try await store.jobs(queue: Self.liveQueue) where record.state == .running {
            _ = try await store.end(id: record.id, state: .failed, error: "interrupted: the server stopped during the publish", report: nil)
        }
        // Jobs bound to a key still wait for its publish: their settings are in the record.
        for record in try await store.jobs(queue: Self.liveQueue) where record.state == .queued {
            guard let request = try? JSONDecoder().decode(LiveJobRequest.self, from: Data(record.spec.utf8)),
                  let binding = try? request.binding(jobID: record.id, imagesDirectory: imagesDirectory) else {
                _ = try await store.end(id: record.id, state: .failed, error: "its settings could not be read after a restart", report: nil)
                continue
            }
            lock.withLock { bindings[request.streamKey] = binding }
        }
        let requeued = try await store.requeue(queue: Self.fileQueue, states: [.running])
        let waiting = try await store.jobs(queue: Self.fileQueue).filter { $0.state == .queued }
        if requeued > 0 { logger.notice("file jobs interrupted by a restart run again", metadata: ["count": "\(requeued)"]) }
        for record in waiting {
            _ = lock.withLock { pendingFileJobs.insert(record.id) }
            claimNext()
        }
    }

    /// Shutdown (after RTMP stopped and flushed every live job): waits until each live job's end
    /// is in the store, then cancels running file jobs (recorded as cancelled) and waits for them.
    public func shutdown() {
        if liveRecords.wait(timeout: .now() + 15) == .timedOut {
            logger.error("live jobs' ends were not recorded within 15 s of shutdown")
        }
        for entry in lock.withLock({ Array(running.values) }) { entry.job.stop(reason: "cancelled: server shutting down", keepOutput: false) }
        idle.wait()
    }
}
