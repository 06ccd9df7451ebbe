// serve's live jobs as records: a job bound to a stream key before its publish (POST /v1/jobs with
// streamKey), and each publish's start and end in queue "live", restarts and reasons included.
import Foundation
import Logging
import VitrineHLS
import VitrineJobs
import VitrineOverlay
import VitrinePipeline
import VitrineStore

extension JobSupervisor {
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
}
