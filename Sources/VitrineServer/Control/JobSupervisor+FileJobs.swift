// serve's file jobs: queued in the JobStore (queue "serve") by POST /v1/jobs, claimed by this worker
// under a lease it renews, run in a job process of its own, and finished in the record. A crash of
// the job process is an attempt: retried once, then failed for good; a job whose worker died is
// claimed again.
import Foundation
import Logging
import VitrineHLS
import VitrineJobs
import VitrineOverlay
import VitrinePipeline
import VitrineStore

extension JobSupervisor {
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
    func claimNext() {
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
}
