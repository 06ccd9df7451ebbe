// Runs and remembers `vitrine serve`'s jobs. File jobs go through the JobStore as a queue (queue
// "serve"): POST adds one, this worker claims it under a lease it renews, runs it in a job process
// of its own (a crash there is counted: retried once, then failed) and finishes the record; a job
// whose worker died is claimed again. Live
// publishes are recorded in queue "live" as they start and end. The store is the history a
// restart reads back; the running jobs (and their cards) live here in memory.
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

    /// Crashes of a file job's process before it is failed for good.
    static let crashLimit = 2

    final class RunningFile: @unchecked Sendable {
        let job: any RunningFileJob
        private let lock = NSLock()
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
    let worker: String
    let metrics: ServeMetrics
    /// Where file jobs run: `vitrine serve` gives each a job process.
    let launcher: FileJobLauncher
    private let inputFolders: [String]
    private let disconnect: @Sendable (UInt64) -> Void
    private let logger: Logger
    private let lock = NSLock()
    private var running: [String: RunningFile] = [:]
    /// File jobs accepted by this worker and not yet finished (queued or running).
    private var pendingFileJobs: Set<String> = []
    /// Jobs bound to a stream key, waiting for its next publish: key -> job id and settings.
    private var bindings: [String: LiveJobBinding] = [:]
    /// The store write that records a live job's start; its end waits for it, so a short publish
    /// never ends before it began in the store.
    private var liveStartWrites: [String: Task<Void, Never>] = [:]
    /// Live jobs an operator stopped: their end is recorded as cancelled, not succeeded.
    private var cancelledLive: Set<String> = []
    private let idle = DispatchGroup()
    /// Live jobs whose end is not yet in the store: shutdown waits for them.
    private let liveRecords = DispatchGroup()

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
        worker = "\(ProcessInfo.processInfo.hostName):\(getpid()):\(PlaybackIDs.makeID().prefix(6))"
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

    // MARK: - File jobs

    /// Validates and queues a file job; returns its record (state queued).
    public func submitFile(body: [String: Any]) async throws -> JobRecord {
        let request = try FileJobRequest(body: body, inputFolders: inputFolders, defaults: configuration, imagesDirectory: imagesDirectory)
        let playbackID = PlaybackIDs.makeID()
        let record = JobRecord(id: "job-" + PlaybackIDs.makeID(), kind: .file, source: request.input,
                               outputDirectory: (hlsDirectory as NSString).appendingPathComponent(playbackID),
                               playbackID: playbackID, queue: Self.fileQueue,
                               spec: String(decoding: try JSONEncoder().encode(request), as: UTF8.self))
        let admitted = lock.withLock { () -> Bool in
            guard pendingFileJobs.count + ingest.jobs.count < configuration.maxJobs else { return false }
            pendingFileJobs.insert(record.id)
            return true
        }
        guard admitted else { throw APIError(.tooManyRequests, "the worker is at its limit of \(configuration.maxJobs) jobs; try again when one ends") }
        do {
            let stored = try await store.add(record)
            claimNext()
            return stored
        } catch {
            _ = lock.withLock { pendingFileJobs.remove(record.id) }
            throw error
        }
    }

    /// Claims one queued file job and runs it on its own thread.
    private func claimNext() {
        idle.enter()
        Task {
            defer { idle.leave() }
            do {
                guard let record = try await store.claim(queue: Self.fileQueue, kind: .file, worker: worker, lease: Self.leaseSeconds) else { return }
                await start(record)
            } catch {
                logger.error("cannot claim a file job", metadata: ["error": "\(error)"])
            }
        }
    }

    private func start(_ record: JobRecord) async {
        var jobLogger = logger
        jobLogger[metadataKey: "job"] = "\(record.id)"
        let logger = jobLogger
        let order: FileJobOrder
        do {
            let request = try JSONDecoder().decode(FileJobRequest.self, from: Data(record.spec.utf8))
            // A job claimed again after a crash starts from an empty folder: no stale segments.
            try? FileManager.default.removeItem(atPath: record.outputDirectory)
            order = request.order(outputDirectory: record.outputDirectory, imagesDirectory: imagesDirectory)
        } catch {
            await finishRecord(record, state: .failed, error: "job settings unusable: \(error)", report: nil)
            return
        }
        let job = launcher.make(order, logger: logger)
        let entry = RunningFile(job: job)
        lock.withLock { running[record.id] = entry }
        let lease = LeaseKeeper(store: store, jobID: record.id, worker: worker, seconds: Self.leaseSeconds) {
            job.stop(reason: "lease lost: another worker took the job", keepOutput: true)
        }
        idle.enter()
        let thread = Thread { [self] in
            defer { idle.leave() }
            logger.notice("file job started", metadata: ["input": "\(record.source)", "attempt": "\(record.attempts)"])
            let result = job.run { entry.progress = $0 }
            lease.stop()
            switch result {
            case let .finished(outcome):
                complete(record, state: .succeeded, error: nil, report: Self.reportJSON(outcome))
                logger.notice("file job done", metadata: ["seconds": "\(String(format: "%.1f", outcome.elapsedSeconds))"])
            case let .failed(error):
                if case .cancelled = error {
                    complete(record, state: .cancelled, error: error.description, report: nil)
                } else {
                    complete(record, state: .failed, error: error.description, report: nil)
                }
                logger.error("file job ended without output", metadata: ["error": "\(error)"])
            case let .crashed(reason):
                crashed(record, reason: reason, logger: logger)
            }
        }
        thread.name = "vitrine.job.\(record.id)"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// From a job's own thread: waits for the store (the thread has nothing else to do).
    private func complete(_ record: JobRecord, state: JobState, error: String?, report: String?) {
        waitFor { await self.finishRecord(record, state: state, error: error, report: report) }
    }

    /// A crash is an attempt: the first puts the job back in the queue for one more, the second
    /// fails it for good ("crashed twice, not retried"), on a shared store too.
    private func crashed(_ record: JobRecord, reason: String, logger: Logger) {
        logger.error("file job process crashed", metadata: ["error": "\(reason)"])
        // Whatever the dead process wrote is no ladder: the next attempt starts from nothing.
        try? FileManager.default.removeItem(atPath: record.outputDirectory)
        waitFor {
            let state: JobState?
            do {
                state = try await self.store.recordCrash(id: record.id, worker: self.worker, reason: "crashed: \(reason)",
                                                         finalError: "crashed twice, not retried: \(reason)", limit: Self.crashLimit)
            } catch {
                logger.error("cannot record the job's crash", metadata: ["error": "\(error)"])
                state = nil
            }
            self.lock.withLock {
                self.running[record.id] = nil
                if state != .queued { self.pendingFileJobs.remove(record.id) }
            }
            if state == .queued {
                logger.notice("file job queued again after a crash")
                self.claimNext()
            }
        }
    }

    private func waitFor(_ body: @escaping @Sendable () async -> Void) {
        let done = DispatchSemaphore(value: 0)
        Task {
            await body()
            done.signal()
        }
        done.wait()
    }

    private func finishRecord(_ record: JobRecord, state: JobState, error: String?, report: String?) async {
        do {
            if try await !store.finish(id: record.id, worker: worker, state: state, error: error, report: report) {
                logger.warning("job result dropped: this worker no longer holds the job", metadata: ["job": "\(record.id)"])
            }
        } catch {
            logger.error("cannot record the job's end", metadata: ["job": "\(record.id)", "error": "\(error)"])
        }
        lock.withLock {
            running[record.id] = nil
            pendingFileJobs.remove(record.id)
        }
    }

    static func reportJSON(_ report: FileJobOutcome) -> String {
        let object: [String: Any] = [
            "durationSeconds": report.durationSeconds, "elapsedSeconds": report.elapsedSeconds,
            "speed": report.elapsedSeconds > 0 ? report.durationSeconds / report.elapsedSeconds : 0,
            "decodeErrors": report.decodeErrors,
            "renditions": report.renditions.map { r -> [String: Any] in
                ["name": r.name, "width": r.width as Any, "height": r.height as Any, "segments": r.segments,
                 "averageBitrate": r.averageBitrate, "peakBitrate": r.peakBitrate]
            },
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: - Live jobs (called by LiveIngest)

    /// Creates a job that waits for `body.streamKey`'s next publish.
    public func submitLive(body: [String: Any], keys: StreamKeyBook) async throws -> JobRecord {
        let request = try LiveJobRequest(body: body, imagesDirectory: imagesDirectory)
        guard let playbackID = keys.playbackID(forKey: request.streamKey) else {
            throw APIError.badRequest("streamKey: no such stream key", field: "streamKey")
        }
        if request.ladder != nil, ingest.hasLadder(key: request.streamKey) {
            throw APIError.conflict("this stream key's ladder was fixed by an earlier publish; create a new key for another ladder")
        }
        let id = "live-" + PlaybackIDs.makeID()
        let binding = try request.binding(jobID: id, imagesDirectory: imagesDirectory)
        let record = JobRecord(id: id, kind: .live, source: playbackID,
                               outputDirectory: (hlsDirectory as NSString).appendingPathComponent(playbackID),
                               playbackID: playbackID, queue: Self.liveQueue,
                               spec: String(decoding: try JSONEncoder().encode(request), as: UTF8.self))
        try lock.withLock {
            if let waiting = bindings[request.streamKey] {
                throw APIError.conflict("job \(waiting.jobID) already waits for this stream key's next publish")
            }
            bindings[request.streamKey] = binding
        }
        do {
            return try await store.add(record)
        } catch {
            _ = lock.withLock { bindings.removeValue(forKey: request.streamKey) }
            throw error
        }
    }

    /// The binding the publish starting on `key` runs under (LiveIngest asks once per publish).
    public func takeBinding(key: String) -> LiveJobBinding? {
        lock.withLock { bindings.removeValue(forKey: key) }
    }

    public func liveJobStarted(_ job: any LiveJobRunning) {
        let record = JobRecord(id: job.id, kind: .live, source: job.playbackID,
                               outputDirectory: (hlsDirectory as NSString).appendingPathComponent(job.playbackID),
                               playbackID: job.playbackID, queue: Self.liveQueue, state: .queued, createdAt: job.startedAt)
        job.onCardApplied = { [metrics] milliseconds in
            metrics.cardApplyDelay.recordNanoseconds(Int64(milliseconds * 1e6))
        }
        let write = Task { [store, worker, logger] in
            do {
                _ = try await store.add(record)
                try await store.start(id: record.id, worker: worker)
            } catch {
                logger.error("cannot record a live job", metadata: ["job": "\(job.id)", "error": "\(error)"])
            }
        }
        liveRecords.enter()
        lock.withLock { liveStartWrites[job.id] = write }
    }

    public func liveJobEnded(_ job: any LiveJobRunning, reason: String) {
        let failed = job.error.map { "\($0)" }
        let report: [String: Any] = [
            "reason": reason, "droppedUnits": job.droppedUnits, "degraded": job.degraded,
            "renditions": job.renditionProgress().map { ["name": $0.name, "framesEncoded": $0.framesEncoded] },
            // Each crash of the job's process, and why: the show went on after a discontinuity.
            "restarts": job.restarts.map(JobView.restart),
        ]
        let text = (try? JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) }
        let cancelled = lock.withLock { cancelledLive.remove(job.id) != nil }
        let state: JobState = failed != nil ? .failed : (cancelled ? .cancelled : .succeeded)
        let started = lock.withLock { liveStartWrites.removeValue(forKey: job.id) }
        // Only a job whose start was recorded holds the shutdown's wait: leave exactly once for it.
        let recorded = started != nil
        Task { [store, logger, liveRecords] in
            defer { if recorded { liveRecords.leave() } }
            await started?.value
            do {
                _ = try await store.end(id: job.id, state: state, error: failed ?? (cancelled ? "cancelled by an operator" : nil), report: text)
            } catch {
                logger.error("cannot record a live job's end", metadata: ["job": "\(job.id)", "error": "\(error)"])
            }
        }
    }

    // MARK: - Operator actions

    /// The card control of a running job, live or file; nil when it is not running here.
    public func cardControl(jobID: String) -> (any CardCommands)? {
        if let live = ingest.job(id: jobID) { return live.cardCommands }
        return lock.withLock { running[jobID] }?.job.cards
    }

    /// Stops a job: cancels a running or queued file job, cuts off a live publisher.
    public func cancel(jobID: String) async throws {
        if let live = ingest.job(id: jobID) {
            live.logger.notice("cancelled by an operator")
            _ = lock.withLock { cancelledLive.insert(jobID) }
            disconnect(live.connectionID)
            return
        }
        if let file = lock.withLock({ running[jobID] }) {
            file.job.stop(reason: "cancelled by an operator", keepOutput: false)
            return
        }
        guard let record = try await store.job(id: jobID) else { throw APIError.notFound("no job \(jobID)") }
        lock.withLock { bindings = bindings.filter { $0.value.jobID != jobID } }
        guard !record.state.isFinal else { throw APIError.conflict("job \(jobID) has already ended (\(record.state.rawValue))") }
        if try await store.end(id: jobID, state: .cancelled, error: "cancelled by an operator before it started", report: nil) {
            _ = lock.withLock { pendingFileJobs.remove(jobID) }
        }
    }

    /// Live figures of a running job, nil when it does not run here.
    func liveFigures(jobID: String) -> JobFigures? {
        if let live = ingest.job(id: jobID) { return JobFigures(live) }
        return lock.withLock { running[jobID] }.map(JobFigures.init)
    }

    /// Figures of every job running here, live and file, by job id.
    func runningFigures() -> [(id: String, figures: JobFigures)] {
        lock.withLock { running.map { ($0.key, JobFigures($0.value)) } } + ingest.jobs.map { ($0.id, JobFigures($0)) }
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
