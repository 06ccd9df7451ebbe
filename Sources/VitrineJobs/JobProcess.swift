// The supervisor's side of one job process: start `vitrine job-process`, send it the order, relay
// what it says (progress, log lines, card replies), watch that its frames advance, and say how it
// ended. A signal, the watchdog, the memory limit or an exit without a result is a crash of this
// job alone: the supervisor process and every other job go on.
import Foundation
import Logging
import VitrinePipeline

public final class JobProcess: RunningFileJob, JobMessageSender, @unchecked Sendable {
    private let order: FileJobOrder
    private let options: JobProcessOptions
    private let logger: Logger
    private let lock = NSLock()
    private var writer: FrameWriter?
    private var pid: Int32 = 0
    private var running = false
    private var stopRequest: (reason: String, keepOutput: Bool)?
    /// Why the supervisor killed the process itself (watchdog, a stop that did not finish).
    private var killedBecause: String?
    private var lastAdvance = Date()
    private var lastMark: (seconds: Double, frames: Int) = (-1, -1)
    private var acceptsCards = false
    private let remote: RemoteCardControl

    init(order: FileJobOrder, options: JobProcessOptions, logger: Logger) {
        self.order = order
        self.options = options
        self.logger = logger
        let box = WeakJobSender()
        remote = RemoteCardControl { message in try box.send(message) }
        box.owner = self
    }

    public var cards: (any CardCommands)? { lock.withLock { acceptsCards } ? remote : nil }

    public func stop(reason: String, keepOutput: Bool) {
        let target = lock.withLock { () -> (FrameWriter, Int32)? in
            guard stopRequest == nil else { return nil }
            stopRequest = (reason, keepOutput)
            return writer.map { ($0, pid) }
        }
        guard let (writer, pid) = target else { return }
        // Off the caller's thread (an API request's): a stuck child's full pipe blocks the write.
        DispatchQueue.global().async { try? writer.encode(ToJob.stop(reason: reason, keepOutput: keepOutput)) }
        DispatchQueue.global().asyncAfter(deadline: .now() + options.stopGraceSeconds) { [self] in
            let stillRunning = lock.withLock { () -> Bool in
                guard running, self.pid == pid else { return false }
                killedBecause = "did not stop within \(Int(options.stopGraceSeconds)) s of being asked: killed"
                return true
            }
            if stillRunning { kill(pid, SIGKILL) }
        }
    }

    public func run(progress: @escaping @Sendable (JobProcessProgress) -> Void) -> FileJobResult {
        let child: SpawnedJobProcess
        do {
            child = try SpawnedJobProcess(options: options, label: "file:\((order.input as NSString).lastPathComponent)", logger: logger)
        } catch {
            return .failed(.internalFailure("cannot start a job process (\(options.executable)): \(error.localizedDescription)"))
        }
        let writer = child.writer
        let pendingStop = lock.withLock { () -> (reason: String, keepOutput: Bool)? in
            self.writer = writer
            pid = child.pid
            running = true
            lastAdvance = Date()
            return stopRequest
        }
        var log = logger
        log[metadataKey: "jobPid"] = "\(child.pid)"
        try? writer.encode(ToJob.start(version: JobProtocol.version, order: order))
        if let pendingStop { try? writer.encode(ToJob.stop(reason: pendingStop.reason, keepOutput: pendingStop.keepOutput)) }
        let watchdog = startWatchdog(pid: child.pid)

        var outcome: FileJobOutcome?
        var failure: JobFailureReport?
        while true {
            let message: FromJob
            do {
                guard let next = try child.reader.decode(FromJob.self) else { break }
                try next.check(kind: .file)
                if case let .finished(result) = next { outcome = try result.confined(to: order.output) }
                message = next
            } catch {
                let violation = error as? ProtocolViolation ?? ProtocolViolation("\(error)")
                log.error("job process killed", metadata: ["reason": "\(violation)"])
                lock.withLock { killedBecause = "\(violation)" }
                kill(child.pid, SIGKILL)
                break
            }
            switch message {
            case .started:
                lock.withLock { acceptsCards = true }
            case let .progress(figures):
                noteProgress(figures)
                progress(figures)
            case .phase:
                lock.withLock { lastAdvance = Date() }
            case let .log(line):
                child.tail.append(line.message)
                log.relay(line)
            case let .cardReply(reply):
                remote.deliver(reply)
            case .finished:
                break
            case let .failed(report):
                failure = report
            case .liveProgress, .ladderFixed, .cardApplied, .liveFinished, .cardsState:
                // Refused by check(kind: .file) above.
                break
            }
        }
        remote.close()
        child.waitForExit()
        watchdog.cancel()
        let (killed, stopped) = lock.withLock { () -> (String?, (reason: String, keepOutput: Bool)?) in
            running = false
            acceptsCards = false
            self.writer = nil
            return (killedBecause, stopRequest)
        }
        if let outcome, child.exitedCleanly { return .finished(outcome) }
        if let failure { return .failed(failure.error) }
        if let stopped {
            // Asked to stop and killed on the way out: what it wrote goes, unless another worker owns it.
            if !stopped.keepOutput { try? FileManager.default.removeItem(atPath: order.output) }
            return .failed(.cancelled(stopped.reason))
        }
        let why = killed ?? child.exitDescription
        let lines = child.tail.text
        return .crashed(lines.isEmpty ? why : "\(why); last lines: \(lines)")
    }

    private func noteProgress(_ figures: JobProcessProgress) {
        lock.withLock {
            if figures.processedSeconds > lastMark.seconds || figures.framesEncoded > lastMark.frames {
                lastMark = (figures.processedSeconds, figures.framesEncoded)
                lastAdvance = Date()
            }
        }
    }

    /// Kills the process when nothing has advanced for `watchdogSeconds`.
    private func startWatchdog(pid: Int32) -> DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + 1, repeating: 1)
        let limit = options.watchdogSeconds
        timer.setEventHandler { [self] in
            let stuck = lock.withLock { () -> Bool in
                guard running, killedBecause == nil, Date().timeIntervalSince(lastAdvance) > limit else { return false }
                killedBecause = "no progress for \(Int(limit)) s: killed by the watchdog"
                return true
            }
            if stuck {
                logger.error("job process made no progress: killing it", metadata: ["seconds": "\(Int(limit))"])
                kill(pid, SIGKILL)
            }
        }
        timer.resume()
        return timer
    }

    func send(_ message: ToJob) throws {
        guard let writer = lock.withLock({ writer }) else { throw JobWireError.closed }
        try writer.encode(message)
    }
}
