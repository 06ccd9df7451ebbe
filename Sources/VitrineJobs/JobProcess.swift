// The supervisor's side of one job process: start `vitrine job-process`, send it the order, relay
// what it says (progress, log lines, card replies), watch that its frames advance, and say how it
// ended. A signal, the watchdog, the memory limit or an exit without a result is a crash of this
// job alone: the supervisor process and every other job go on.
import Foundation
import Logging
import VitrinePipeline

public final class JobProcess: RunningFileJob, @unchecked Sendable {
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
    private let tail = LogTail()

    init(order: FileJobOrder, options: JobProcessOptions, logger: Logger) {
        self.order = order
        self.options = options
        self.logger = logger
        let box = WriterBox()
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
        try? writer.encode(ToJob.stop(reason: reason, keepOutput: keepOutput))
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
        // A write to a job process that just died must fail with EPIPE, not kill the supervisor.
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: options.executable)
        process.arguments = ["job-process"] + (options.memoryLimitBytes.map { ["--memory-limit", "\($0)"] } ?? [])
        var environment = ProcessInfo.processInfo.environment
        // A crash report is the supervisor's to write; Swift's backtracer would only delay the exit.
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        let toJob = Pipe(), fromJob = Pipe(), errors = Pipe()
        process.standardInput = toJob
        process.standardOutput = fromJob
        process.standardError = errors
        do {
            try process.run()
        } catch {
            return .failed(.internalFailure("cannot start a job process (\(options.executable)): \(error.localizedDescription)"))
        }
        let writer = FrameWriter(fd: toJob.fileHandleForWriting.fileDescriptor)
        let pendingStop = lock.withLock { () -> (reason: String, keepOutput: Bool)? in
            self.writer = writer
            pid = process.processIdentifier
            running = true
            lastAdvance = Date()
            return stopRequest
        }
        var log = logger
        log[metadataKey: "jobPid"] = "\(process.processIdentifier)"
        let stderrDone = relayStandardError(errors.fileHandleForReading.fileDescriptor, logger: log)
        try? writer.encode(ToJob.start(version: JobProtocol.version, order: order))
        if let pendingStop { try? writer.encode(ToJob.stop(reason: pendingStop.reason, keepOutput: pendingStop.keepOutput)) }
        let watchdog = startWatchdog(pid: process.processIdentifier)

        var outcome: FileJobOutcome?
        var failure: JobFailureReport?
        let reader = FrameReader(fd: fromJob.fileHandleForReading.fileDescriptor)
        while true {
            let message: FromJob?
            do {
                message = try reader.decode(FromJob.self)
            } catch {
                lock.withLock { killedBecause = "broke the job protocol (\(error)): killed" }
                kill(process.processIdentifier, SIGKILL)
                break
            }
            guard let message else { break }
            switch message {
            case let .started(version, _):
                guard version == JobProtocol.version else {
                    lock.withLock { killedBecause = "speaks job protocol \(version), not \(JobProtocol.version): killed" }
                    kill(process.processIdentifier, SIGKILL)
                    continue
                }
                lock.withLock { acceptsCards = true }
            case let .progress(figures):
                noteProgress(figures)
                progress(figures)
            case .phase:
                lock.withLock { lastAdvance = Date() }
            case let .log(line):
                tail.append(line.message)
                log.log(level: Logger.Level(rawValue: line.level) ?? .info, "\(line.message)",
                        metadata: line.metadata.mapValues { .string($0) })
            case let .cardReply(reply):
                remote.deliver(reply)
            case let .finished(result):
                outcome = result
            case let .failed(report):
                failure = report
            }
        }
        remote.close()
        process.waitUntilExit()
        watchdog.cancel()
        stderrDone.wait()
        let (killed, stopped) = lock.withLock { () -> (String?, (reason: String, keepOutput: Bool)?) in
            running = false
            acceptsCards = false
            self.writer = nil
            return (killedBecause, stopRequest)
        }
        if let outcome, process.terminationReason == .exit, process.terminationStatus == 0 { return .finished(outcome) }
        if let failure { return .failed(failure.error) }
        if let stopped {
            // Asked to stop and killed on the way out: what it wrote goes, unless another worker owns it.
            if !stopped.keepOutput { try? FileManager.default.removeItem(atPath: order.output) }
            return .failed(.cancelled(stopped.reason))
        }
        let why = killed ?? JobExit.describe(reason: process.terminationReason, status: process.terminationStatus)
        let lines = tail.text
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

    /// Logs what the job process writes on stderr (FFmpeg, a Swift fatal error) and keeps its tail.
    private func relayStandardError(_ fd: Int32, logger: Logger) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        let tail = tail
        let thread = Thread {
            var pending = Data()
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                pending.append(contentsOf: chunk[0..<n])
                while let newline = pending.firstIndex(of: 10) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...newline)
                    tail.append(line)
                    logger.warning("job process: \(line)")
                }
                // A line longer than this is not a log line: keep its end only.
                if pending.count > 8192 { pending.removeFirst(pending.count - 1024) }
            }
            if !pending.isEmpty { tail.append(String(decoding: pending, as: UTF8.self)) }
            done.signal()
        }
        thread.name = "vitrine.job.stderr"
        thread.start()
        return done
    }

    fileprivate func send(_ message: ToJob) throws {
        guard let writer = lock.withLock({ writer }) else { throw JobWireError.closed }
        try writer.encode(message)
    }
}

/// Lets the card proxy, made in init before `self` exists, send through the process's channel.
private final class WriterBox: @unchecked Sendable {
    weak var owner: JobProcess?
    func send(_ message: ToJob) throws {
        guard let owner else { throw JobWireError.closed }
        try owner.send(message)
    }
}
