// One worker of a job queue in the JobStore, the same for serve's file jobs and a batch: claim
// the oldest claimable job, run it on a thread of its own while its lease is renewed, and record
// its end only while this worker still holds it. A crash of the job's process is an attempt: the
// first puts the job back in the queue (any worker, on any machine, may take it), the one at the
// limit fails it for good as "crashed twice, not retried", so no worker claims it again.
import Foundation
import Logging
import VitrineStore

/// How a claimed job's run ended.
public enum LeasedRunEnd: Sendable {
    case done(state: JobState, error: String?, report: String?)
    /// The job process died without a result; `reason` names how (signal, watchdog, last lines).
    case crashed(reason: String)
}

/// What the store made of it.
public enum LeasedJobResult: Sendable, Equatable {
    /// The job's end is recorded in this state.
    case recorded(JobState, error: String?)
    /// A crash was counted and the job is queued for another attempt.
    case queuedAgain(reason: String)
    /// Another worker holds the job now: this run's end was dropped.
    case dropped
}

public struct LeasedJobWorker: Sendable {
    public let store: any JobStore
    public let queue: String
    /// "host:pid:random": who holds a job, readable in the queue and unique across restarts.
    public let worker: String
    public let lease: TimeInterval
    /// Crashes of a job's process before it is failed for good.
    public let crashLimit: Int
    /// Two: one crash may be the machine's bad moment, a second is the file.
    public static let defaultCrashLimit = 2

    public init(store: any JobStore, queue: String, worker: String = Self.makeWorkerID(), lease: TimeInterval,
                crashLimit: Int = Self.defaultCrashLimit) {
        self.store = store
        self.queue = queue
        self.worker = worker
        self.lease = lease
        self.crashLimit = crashLimit
    }

    public static func makeWorkerID() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        let random = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return "\(host):\(getpid()):\(random)"
    }

    /// The oldest claimable file job of the queue, now held by this worker; nil when none is.
    public func claim() async throws -> JobRecord? {
        try await store.claim(queue: queue, kind: .file, worker: worker, lease: lease)
    }

    /// Runs `body` on a thread of its own (blocking work, off Swift's task pool) while the lease
    /// is renewed; `onLeaseLost` must stop the run without touching its output (the new owner is
    /// writing it). Then records how it ended, as `ending` reads the outcome.
    public func run<Outcome: Sendable>(_ record: JobRecord, logger: Logger, onLeaseLost: @escaping @Sendable () -> Void,
                                       body: @escaping @Sendable () -> Outcome,
                                       ending: (Outcome) -> LeasedRunEnd) async throws -> (Outcome, LeasedJobResult) {
        let keeper = LeaseKeeper(store: store, jobID: record.id, worker: worker, seconds: lease, logger: logger, onLost: onLeaseLost)
        let outcome = await Self.onOwnThread(name: "vitrine.job.\(record.id)", body)
        keeper.stop()
        return (outcome, try await self.record(record, ending(outcome), logger: logger))
    }

    /// Records a run's end: finished while still held, or a crash counted against the limit.
    public func record(_ record: JobRecord, _ end: LeasedRunEnd, logger: Logger) async throws -> LeasedJobResult {
        switch end {
        case let .done(state, error, report):
            guard try await store.finish(id: record.id, worker: worker, state: state, error: error, report: report) else {
                logger.warning("job was claimed by another worker meanwhile; this result is dropped")
                return .dropped
            }
            return .recorded(state, error: error)
        case let .crashed(reason):
            let final = "crashed twice, not retried: \(reason)"
            switch try await store.recordCrash(id: record.id, worker: worker, reason: reason, finalError: final, limit: crashLimit) {
            case .queued?:
                logger.warning("job process crashed; the job goes back to the queue for one more attempt", metadata: ["error": "\(reason)"])
                return .queuedAgain(reason: reason)
            case let state?:
                logger.error("job process crashed again: the job is failed and not retried", metadata: ["error": "\(reason)"])
                return .recorded(state, error: final)
            case nil:
                logger.warning("job was claimed by another worker meanwhile; this crash is not counted")
                return .dropped
            }
        }
    }

    /// The job runs FFmpeg's demuxers and card rendering (Pango) on this thread: it gets the
    /// stack the main thread has.
    static func onOwnThread<T: Sendable>(name: String, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.stackSize = 8 << 20
            thread.name = name
            thread.start()
        }
    }
}
