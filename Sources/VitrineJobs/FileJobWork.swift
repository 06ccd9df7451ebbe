// One file job's media work, the same wherever it runs (a job process, or this process in unit
// tests): the order's settings, the ladder (TranscodeJob), then the clips. Everything here reads
// input the job does not control, which is why it runs behind the process boundary.
import Foundation
import Logging
import VitrineOverlay
import VitrinePipeline

public final class FileJobWork: @unchecked Sendable {
    public let order: FileJobOrder
    private let logger: Logger
    private let lock = NSLock()
    private var transcode: TranscodeJob?
    private var stopRequest: (reason: String, keepOutput: Bool)?

    public init(order: FileJobOrder, logger: Logger) {
        self.order = order
        self.logger = logger
    }

    /// The running job's cards; nil before the ladder starts (or for a job with none).
    public var cardControl: CardControl? { lock.withLock { transcode?.cardControl } }

    /// Stops the work from another thread: it winds down and `run` throws `cancelled`.
    /// `keepOutput` leaves the folder as it is (another worker now writes it).
    public func stop(reason: String, keepOutput: Bool) {
        let running = lock.withLock { () -> TranscodeJob? in
            stopRequest = (reason, keepOutput)
            return transcode
        }
        guard let running else { return }
        if keepOutput { running.abandon(reason: reason) } else { running.cancel(reason: reason) }
    }

    /// Runs to the end. `progress` comes about twice a second while frames flow; `phase` names
    /// each later stage. Throws only TranscodeError.
    public func run(progress: @escaping (JobProcessProgress) -> Void, phase: (String) -> Void) throws -> FileJobOutcome {
        let started = Date()
        do {
            let settings = try order.settings()
            let job = TranscodeJob(settings: settings, logger: logger)
            let stopped = lock.withLock { () -> (reason: String, keepOutput: Bool)? in
                transcode = job
                return stopRequest
            }
            if let stopped { throw TranscodeError.cancelled(stopped.reason) }
            let report = try job.run { progress(JobProcessProgress($0, renditions: job.renditionProgress())) }
            var clips: [ClipReport]?
            if order.clips {
                phase("clips")
                clips = try Clips.make(show: order.output, cards: settings.cards?.allCards.map(\.card) ?? [], origin: settings.wallClockOrigin)
            }
            return FileJobOutcome(
                masterPlaylist: report.masterPlaylist, durationSeconds: report.durationSeconds,
                elapsedSeconds: Date().timeIntervalSince(started), decodeErrors: report.decodeErrors,
                renditions: report.renditions.map {
                    RenditionSummary(name: $0.name, width: $0.width, height: $0.height, segments: $0.segmentCount,
                                     averageBitrate: $0.averageBitrate, peakBitrate: $0.peakBitrate)
                },
                clips: clips)
        } catch let error as TranscodeError {
            throw error
        } catch {
            throw TranscodeError.internalFailure("\(order.input): \(error)")
        }
    }
}
