// One claimed file of a batch: clear what an earlier, interrupted attempt left, then have a job
// process transcode it to the ladder (the same TranscodeJob as `vitrine transcode`) and cut the
// clips, and say how it went. Every failure stays inside this file's outcome with its reason, and
// a crash inside the job process ends that process only, so one bad recording never stops the
// others. Waiting on the job blocks: the worker runs it on a thread of its own, off Swift's task pool.
import Foundation
import Logging
import VitrineJobs
import VitrinePipeline
import VitrineStore

/// The JSON kept in a finished job's `report`.
public struct BatchJobReport: Codable, Sendable, Equatable {
    public var durationSeconds: Double?
    public var elapsedSeconds: Double
    public var master: String?
    public var clips: [ClipReport]?
    public var decodeErrors: Int?
    /// The exit code `vitrine transcode` would have given this file (sysexits).
    public var exitCode: Int32?

    public var speed: Double? {
        guard let duration = durationSeconds, elapsedSeconds > 0 else { return nil }
        return duration / elapsedSeconds
    }

    public func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    public static func decode(_ text: String?) -> BatchJobReport? {
        text.flatMap { try? JSONDecoder().decode(BatchJobReport.self, from: Data($0.utf8)) }
    }
}

public struct BatchOutcome: Sendable {
    public var state: JobState
    public var error: String?
    public var report: BatchJobReport
    /// The job process died without a result: the runner counts it as a crash (retried once).
    public var crashed = false
}

final class BatchJobRun: @unchecked Sendable {
    let job: JobRecord
    private let cores: Int
    private let launcher: FileJobLauncher
    private let progress: BatchProgress
    private let logger: Logger
    private let lock = NSLock()
    private var lost = false
    private var transcode: (any RunningFileJob)?

    init(job: JobRecord, cores: Int, launcher: FileJobLauncher, progress: BatchProgress, logger: Logger) {
        self.job = job
        self.cores = cores
        self.launcher = launcher
        self.progress = progress
        self.logger = logger
    }

    /// Called when the lease could not be renewed: another worker owns the job now, so this run
    /// must not touch the output folder after the transcode (the new owner is rebuilding it).
    func leaseLost() {
        lock.lock()
        lost = true
        let running = transcode
        lock.unlock()
        // Stop encoding at once, without deleting: the new owner is writing the same files.
        running?.stop(reason: "lease lost: another worker took the job over", keepOutput: true)
    }

    private var isLost: Bool {
        lock.lock()
        defer { lock.unlock() }
        return lost
    }

    /// Runs the file to its end; blocks (the worker gives it a thread of its own).
    func execute() -> BatchOutcome {
        let started = Date()
        var claimedFolder: String?
        do {
            let spec = try BatchJobSpec.decode(job.spec, id: job.id)
            progress.started(job, spec: spec, attempt: job.attempts)
            logger.notice("started", metadata: ["input": "\(spec.input)", "output": "\(spec.output)", "attempt": "\(job.attempts)"])
            if try clearEarlierAttempt(spec.output) { claimedFolder = spec.output }
            let running = launcher.make(spec.order(cores: cores), logger: logger)
            lock.withLock { transcode = running }
            if isLost { running.stop(reason: "lease lost before the transcode started", keepOutput: true) }
            let result: FileJobOutcome
            switch running.run(progress: { [progress, job] in progress.update(job, $0.jobProgress) }) {
            case let .finished(outcome): result = outcome
            case let .failed(error): throw error
            case let .crashed(reason): throw JobCrashed(reason: reason)
            }
            unlink(marker(spec.output))
            let report = BatchJobReport(durationSeconds: result.durationSeconds, elapsedSeconds: Date().timeIntervalSince(started),
                                        master: result.masterPlaylist, clips: result.clips, decodeErrors: result.decodeErrors, exitCode: 0)
            logger.notice("done", metadata: ["input": "\(spec.input)", "master": "\(result.masterPlaylist)",
                                             "seconds": "\(String(format: "%.1f", report.elapsedSeconds))",
                                             "clips": "\(result.clips?.count ?? 0)"])
            return BatchOutcome(state: .succeeded, error: nil, report: report)
        } catch {
            let crash = error as? JobCrashed
            let failure = crash.map { TranscodeError.internalFailure("job process crashed: \($0.reason)") }
                ?? error as? TranscodeError ?? .internalFailure("\(job.source): \(error)")
            // What this attempt wrote goes, ladder included when only the clips failed: a failed
            // file leaves nothing a player could mistake for a finished one.
            // A folder that held something else before is only rid of the marker.
            if let folder = claimedFolder, !isLost { try? FileManager.default.removeItem(atPath: folder) }
            if let spec = try? BatchJobSpec.decode(job.spec, id: job.id), !isLost {
                unlink(marker(spec.output))
                rmdir(spec.output)
            }
            logger.error("failed", metadata: ["input": "\(job.source)", "error": "\(failure.description)"])
            return BatchOutcome(state: .failed, error: failure.description,
                                report: BatchJobReport(elapsedSeconds: Date().timeIntervalSince(started), exitCode: failure.exitCode),
                                crashed: crash != nil)
        }
    }

    /// Marks a folder as being written by this job until it succeeds.
    private func marker(_ folder: String) -> String {
        (folder as NSString).appendingPathComponent(".vitrine-batch-job")
    }

    /// An earlier attempt was interrupted (killed, or its lease ran out) or failed: whatever it
    /// wrote is removed, so no stale segment or clip outlives the redo. The marker (or a claim
    /// count above one) tells a folder this job wrote from one the user pointed it at, which is
    /// never emptied wholesale. Then marks the folder for this attempt. Returns whether the
    /// folder now holds nothing but this attempt's work.
    private func clearEarlierAttempt(_ folder: String) throws -> Bool {
        let ours = (try? String(contentsOfFile: marker(folder), encoding: .utf8)) == job.id
        let existed = FileManager.default.fileExists(atPath: folder)
        if existed, ours || job.attempts > 1 {
            logger.notice("redoing from scratch: removing what an earlier attempt left", metadata: ["output": "\(folder)"])
            do {
                try FileManager.default.removeItem(atPath: folder)
            } catch {
                throw TranscodeError.unwritableOutput("cannot remove \(folder), left by an earlier attempt: \(error.localizedDescription)")
            }
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(job.id.utf8).write(to: URL(fileURLWithPath: marker(folder)))
        } catch {
            throw TranscodeError.unwritableOutput("output folder \(folder) is not writable: \(error.localizedDescription)")
        }
        return !existed || ours || job.attempts > 1
    }
}

/// The job process died without a result.
private struct JobCrashed: Error {
    var reason: String
}
