// What an operator does to a running job through the API: its cards, and stopping it.
import Foundation
import Logging
import VitrineHLS
import VitrineJobs
import VitrineOverlay
import VitrinePipeline
import VitrineStore

extension JobSupervisor {
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
}
