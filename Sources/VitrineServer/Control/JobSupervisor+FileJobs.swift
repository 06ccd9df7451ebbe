// serve's file jobs: queued in the JobStore (queue "serve") by POST /v1/jobs, claimed by this
// server's LeasedJobWorker (the same worker a batch runs) under a lease it renews, run in a job
// process of its own, and finished in the record. A crash of the job process is an attempt:
// retried once, then failed for good; a job whose worker died is claimed again.
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
        // Resolving the input (realpath, stat) and reading the cards' images block: off the
        // cooperative pool. The body crosses as JSON bytes (a dictionary of Any is not Sendable).
        let bytes = try JSONSerialization.data(withJSONObject: body)
        let (folders, defaults, images) = (inputFolders, configuration, imagesDirectory)
        let request = try await OffPool.run {
            let object = (try JSONSerialization.jsonObject(with: bytes)) as? [String: Any] ?? [:]
            return try FileJobRequest(body: object, inputFolders: folders, defaults: defaults, imagesDirectory: images)
        }
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

    /// Claims one queued file job and runs it.
    func claimNext() {
        idle.enter()
        Task {
            defer { idle.leave() }
            do {
                guard let record = try await fileWorker.claim() else { return }
                await run(record)
            } catch {
                logger.error("cannot claim a file job", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Runs a claimed job in its job process (on a thread of its own, under the worker's lease)
    /// and records how it ended. A crash is an attempt: the first puts the job back in the queue
    /// for one more, the second fails it for good ("crashed twice, not retried"), on a shared
    /// store too.
    private func run(_ record: JobRecord) async {
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
            await recordEnd(record, .done(state: .failed, error: "job settings unusable: \(error)", report: nil), logger: logger)
            return
        }
        let job = launcher.make(order, logger: logger)
        let entry = RunningFile(job: job)
        lock.withLock { running[record.id] = entry }
        logger.notice("file job started", metadata: ["input": "\(record.source)", "attempt": "\(record.attempts)"])
        let result: LeasedJobResult?
        do {
            result = try await fileWorker.run(record, logger: logger, onLeaseLost: {
                job.stop(reason: "lease lost: another worker took the job", keepOutput: true)
            }, body: { job.run { entry.progress = $0 } }, ending: { Self.ending($0, record: record, logger: logger) }).1
        } catch {
            logger.error("cannot record the job's end", metadata: ["error": "\(error)"])
            result = nil
        }
        settled(record, result)
    }

    /// How a job process's result goes into the store.
    private static func ending(_ result: FileJobResult, record: JobRecord, logger: Logger) -> LeasedRunEnd {
        switch result {
        case let .finished(outcome):
            logger.notice("file job done", metadata: ["seconds": "\(String(format: "%.1f", outcome.elapsedSeconds))"])
            return .done(state: .succeeded, error: nil, report: reportJSON(outcome))
        case let .failed(error):
            logger.error("file job ended without output", metadata: ["error": "\(error)"])
            if case .cancelled = error { return .done(state: .cancelled, error: error.description, report: nil) }
            return .done(state: .failed, error: error.description, report: nil)
        case let .crashed(reason):
            logger.error("file job process crashed", metadata: ["error": "\(reason)"])
            // Whatever the dead process wrote is no ladder: the next attempt starts from nothing.
            try? FileManager.default.removeItem(atPath: record.outputDirectory)
            return .crashed(reason: "job process crashed: \(reason)")
        }
    }

    private func recordEnd(_ record: JobRecord, _ end: LeasedRunEnd, logger: Logger) async {
        do {
            settled(record, try await fileWorker.record(record, end, logger: logger))
        } catch {
            logger.error("cannot record the job's end", metadata: ["error": "\(error)"])
            settled(record, nil)
        }
    }

    /// The job left this worker, unless a crash put it back in the queue: then it runs again.
    private func settled(_ record: JobRecord, _ result: LeasedJobResult?) {
        let again = result.map { if case .queuedAgain = $0 { true } else { false } } ?? false
        lock.withLock {
            running[record.id] = nil
            if !again { pendingFileJobs.remove(record.id) }
        }
        if again {
            logger.notice("file job queued again after a crash", metadata: ["job": "\(record.id)"])
            claimNext()
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
