// How a supervisor (serve's, batch's) runs a file job without knowing where: in a job process of
// its own (what the binary does), or in this process (unit tests, which have no vitrine binary to
// start). Both give the same result type, so one supervisor code path serves both.
import Foundation
import Logging
import VitrinePipeline

/// How a file job ended.
public enum FileJobResult: Sendable {
    case finished(FileJobOutcome)
    /// A clear error of the job's own: bad input, disk full, cancelled. Not retried.
    case failed(TranscodeError)
    /// The job process died without a result (a signal, the watchdog, the memory limit, an exit
    /// without a word): the reason in words, with its last log lines.
    case crashed(String)
}

public protocol RunningFileJob: AnyObject, Sendable {
    /// Runs the job to its end on the calling thread (it blocks: give it a thread of its own).
    func run(progress: @escaping @Sendable (JobProcessProgress) -> Void) -> FileJobResult
    func stop(reason: String, keepOutput: Bool)
    /// The job's card commands while it runs.
    var cards: (any CardCommands)? { get }
}

public enum FileJobLauncher: Sendable {
    /// Each job in a job process: the `vitrine` binary at `executable`, run as `vitrine job-process`.
    case process(JobProcessOptions)
    /// In this process, on the calling thread.
    case inProcess

    public func make(_ order: FileJobOrder, logger: Logger) -> any RunningFileJob {
        switch self {
        case let .process(options): return JobProcess(order: order, options: options, logger: logger)
        case .inProcess: return InProcessFileJob(order: order, logger: logger)
        }
    }
}

/// A file job run in this process: a crash here is everyone's crash, so only tests use it.
final class InProcessFileJob: RunningFileJob, @unchecked Sendable {
    private let work: FileJobWork

    init(order: FileJobOrder, logger: Logger) {
        work = FileJobWork(order: order, logger: logger)
    }

    func run(progress: @escaping @Sendable (JobProcessProgress) -> Void) -> FileJobResult {
        do {
            return .finished(try work.run(progress: progress, phase: { _ in }))
        } catch let error as TranscodeError {
            return .failed(error)
        } catch {
            return .failed(.internalFailure("\(error)"))
        }
    }

    func stop(reason: String, keepOutput: Bool) { work.stop(reason: reason, keepOutput: keepOutput) }

    var cards: (any CardCommands)? { work.cardControl }
}
