// serve's side of one publish whose media work runs in a job process. Access units go from the
// connection's event loop through a bounded inbox (whole GOPs dropped when the process lags) to a
// sender queue that writes them down the pipe; HLS files come back and go into serve's memory.
// When the process dies without a result it is started again, within the time to the next
// keyframe: the codec configuration is sent again first, then units from the next video keyframe,
// and the new process continues the playlists after a discontinuity. Three crashes within five
// minutes fail the job: its publisher is told and cut off, and the playlists end.
import Dispatch
import Foundation
import Logging
import VitrinePipeline
import VitrineRTMP

public final class LiveJobProcess: LiveJobRunning, JobMessageSender, @unchecked Sendable {
    public static let crashLimit = 3
    public static let crashWindow: TimeInterval = 300

    public let id: String
    public let connectionID: UInt64
    public let playbackID: String
    public let startedAt = Date()
    public let logger: Logger
    public let finished = DispatchGroup()
    public var onCardApplied: (@Sendable (Double) -> Void)? {
        get { lock.withLock { cardApplied } }
        set { lock.withLock { cardApplied = newValue } }
    }
    public var onFailure: (@Sendable (any LiveJobRunning, String) -> Void)? {
        get { lock.withLock { failureHook } }
        set { lock.withLock { failureHook = newValue } }
    }

    private let context: LiveJobContext
    private let options: JobProcessOptions
    private let inbox: LiveInbox
    private let sender: DispatchQueue
    private let remote: RemoteCardControl
    private let lock = NSLock()
    private var cardApplied: (@Sendable (Double) -> Void)?
    private var failureHook: (@Sendable (any LiveJobRunning, String) -> Void)?
    private var child: SpawnedJobProcess?
    private var ending: String?
    private var failedWith: String?
    private var restartList: [LiveRestart] = []
    private var figures: LiveJobFigures?
    private var ladder: LiveLadder?
    private var frameRate: Double?
    /// The codec configurations seen, sent again to a restarted process before any frame.
    private var videoConfig: AccessUnit?
    private var audioConfig: AccessUnit?
    /// After a restart, frames wait for the next video keyframe (sender queue only).
    private var awaitingKeyframe = false
    private var killedBecause: String?
    private var lastInput = Date.distantPast
    private var lastAdvance = Date()
    /// The watchdog's measures of work: frames out of the lanes, or, before any (the first
    /// keyframe, an audio-only stream), units handled.
    private var lastFramesOut = 0
    private var lastHandled = -1
    /// The cards as operators left them, and their clock's zero: a restarted process goes on from them.
    private var cardsState: CardControl.State?
    private var cardClockStart: CardClockStart?

    public init(context: LiveJobContext, options: JobProcessOptions) {
        self.context = context
        self.options = options
        id = context.jobID
        connectionID = context.connectionID
        playbackID = context.playbackID
        var logger = context.logger
        logger[metadataKey: "job"] = "\(context.jobID)"
        logger[metadataKey: "rtmp.connection"] = "\(context.connectionID)"
        self.logger = logger
        ladder = context.fixedLadder
        inbox = LiveInbox(capacity: context.settings.inboxCapacity)
        sender = DispatchQueue(label: "vitrine.live.send.\(context.jobID)", qos: .userInitiated)
        let box = WeakJobSender()
        remote = RemoteCardControl { message in try box.send(message) }
        finished.enter()
        box.owner = self
        let thread = Thread { [self] in supervise() }
        thread.name = "vitrine.live.\(context.jobID)"
        thread.start()
    }

    public var cardCommands: any CardCommands { remote }
    public var error: Error? { lock.withLock { failedWith }.map { TranscodeError.internalFailure($0) } }
    public var restarts: [LiveRestart] { lock.withLock { restartList } }
    public var framesIn: Int { lock.withLock { figures?.framesIn ?? 0 } }
    public var droppedUnits: Int { [inbox.counts.units, lock.withLock { figures?.droppedUnits ?? 0 }].saturatingSum }
    public var degraded: Bool { inbox.counts.gops > 0 || lock.withLock { figures?.droppedGOPs ?? 0 } > 0 }

    public func renditionProgress() -> [RenditionProgress] {
        let dropped = droppedUnits
        return lock.withLock { figures?.renditions ?? [] }.map {
            var r = $0
            r.framesDropped = dropped
            return r
        }
    }

    // MARK: - From the connection's event loop

    public func enqueue(_ unit: AccessUnit) {
        let arrival = DispatchTime.now().uptimeNanoseconds
        lock.withLock {
            lastInput = Date()
            if unit.isSequenceHeader {
                if unit.track == .video { videoConfig = unit } else { audioConfig = unit }
            }
        }
        switch inbox.offer(isVideo: unit.track == .video, isKeyframe: unit.isKeyframe, isSequenceHeader: unit.isSequenceHeader,
                            bytes: unit.payload.count) {
        case .drop:
            return
        case .startDropping:
            logger.warning("job degraded: its process lags behind the publisher, dropping until the next keyframe",
                           metadata: ["droppedGOPs": "\(inbox.counts.gops)"])
            return
        case .admit:
            sender.async { [self] in
                defer { inbox.done(bytes: unit.payload.count) }
                forward(unit, arrival: arrival)
            }
        }
    }

    public func metadata(_ properties: [AMF0Property]) {
        guard let rate = properties.first(where: { $0.key == "framerate" || $0.key == "fps" })?.value.numberValue,
              rate.isFinite, rate >= 1, rate <= 240 else { return }
        lock.withLock { frameRate = rate }
        sender.async { [self] in try? currentWriter?.encode(ToJob.frameRate(rate)) }
    }

    public func end(reason: String) {
        let first = lock.withLock { () -> Bool in
            guard ending == nil else { return false }
            ending = reason
            return true
        }
        guard first else { return }
        sender.async { [self] in try? currentWriter?.encode(ToJob.stop(reason: reason, keepOutput: true)) }
        // A process that does not flush in time (hung, or hostile) is killed; the stream's grace
        // period then ends the playlists as for any publish that left.
        let grace = options.liveStopGraceSeconds
        DispatchQueue.global().asyncAfter(deadline: .now() + grace) { [self] in
            let pid = lock.withLock { () -> Int32? in
                guard let child, killedBecause == nil else { return nil }
                killedBecause = "did not end within \(grace) s of its publisher leaving: killed"
                return child.pid
            }
            guard let pid else { return }
            logger.error("live job process did not end in time: killing it", metadata: ["seconds": "\(grace)"])
            kill(pid, SIGKILL)
        }
    }

    // MARK: - Sender queue

    private var currentWriter: FrameWriter? { lock.withLock { child?.writer } }

    private func forward(_ unit: AccessUnit, arrival: UInt64) {
        guard let writer = currentWriter else { return }
        if awaitingKeyframe {
            guard unit.track == .audio || unit.isSequenceHeader || unit.isKeyframe else { return }
            if unit.track == .video && !unit.isSequenceHeader { awaitingKeyframe = false }
        }
        try? writer.write(JobFrame.encode(unit, arrival: arrival))
    }

    /// A new process: the configuration first, then frames from the next keyframe.
    private func prime(_ writer: FrameWriter, restarted: Bool) {
        sender.sync {
            let (video, audio) = lock.withLock { (videoConfig, audioConfig) }
            let now = DispatchTime.now().uptimeNanoseconds
            for unit in [video, audio].compactMap({ $0 }) { try? writer.write(JobFrame.encode(unit, arrival: now)) }
            awaitingKeyframe = restarted && video != nil
        }
    }

    // MARK: - The process, started again after each crash

    private func supervise() {
        context.previous?.finished.wait()
        var attempt = 0
        var why: String?
        while lock.withLock({ ending == nil || attempt == 0 }) {
            attempt += 1
            switch runOnce(attempt: attempt) {
            case .finished:
                why = nil
            case let .failed(message):
                why = message
            case let .crashed(reason):
                let now = Date()
                let recent = lock.withLock { () -> Int in
                    restartList.append(LiveRestart(at: now, reason: reason))
                    return restartList.filter { now.timeIntervalSince($0.at) < Self.crashWindow }.count
                }
                logger.error("live job process crashed", metadata: ["reason": "\(reason)", "crashes": "\(recent)"])
                if recent >= Self.crashLimit {
                    why = "its process crashed \(recent) times within \(Int(Self.crashWindow / 60)) minutes; last: \(reason)"
                } else {
                    continue
                }
            }
            break
        }
        if let why {
            let hook = lock.withLock { () -> (@Sendable (any LiveJobRunning, String) -> Void)? in
                failedWith = why
                return failureHook
            }
            logger.error("live job failed; the publisher is disconnected", metadata: ["error": "\(why)"])
            hook?(self, why)
        }
        finished.leave()
        context.didFinish(self)
    }

    private enum Run { case finished, failed(String), crashed(String) }

    private func runOnce(attempt: Int) -> Run {
        let child: SpawnedJobProcess
        do {
            child = try SpawnedJobProcess(options: options, label: "live:\(playbackID)", logger: logger)
        } catch {
            return .failed("cannot start a job process: \(error.localizedDescription)")
        }
        var order = LiveJobOrder(context, startedAt: startedAt)
        lock.withLock {
            order.fixedLadder = ladder
            order.frameRate = frameRate
            order.cardsState = cardsState
            order.cardClockStart = cardClockStart
            self.child = child
            killedBecause = nil
            lastAdvance = Date()
            lastFramesOut = 0
            lastHandled = -1
        }
        order.attempt = attempt
        try? child.writer.encode(ToJob.startLive(version: JobProtocol.version, order: order))
        prime(child.writer, restarted: attempt > 1)
        if let reason = lock.withLock({ ending }) { try? child.writer.encode(ToJob.stop(reason: reason, keepOutput: true)) }
        let watchdog = startWatchdog(child)
        var run = RunState(attempt: attempt, boundary: LiveChildBoundary(
            playbackID: playbackID, rungs: context.settings.encoding.rungs, ladder: lock.withLock { ladder },
            memoryBudget: options.hlsMemoryBudgetBytes))
        while true {
            do {
                guard let data = try child.reader.next() else { break }
                try handle(try JobFrame.parse(data), from: child, run: &run)
            } catch {
                let violation = error as? ProtocolViolation ?? ProtocolViolation("\(error)")
                logger.error("job process killed", metadata: ["reason": "\(violation)"])
                lock.withLock { killedBecause = "\(violation)" }
                kill(child.pid, SIGKILL)
                break
            }
        }
        remote.failWaiting()
        watchdog.cancel()
        lock.withLock { self.child = nil }
        child.waitForExit()
        if run.finishedCleanly && child.exitedCleanly { return .finished }
        if let failure = run.failure { return .failed(failure) }
        let why = lock.withLock { killedBecause } ?? child.exitDescription
        let lines = child.tail.text
        return .crashed(lines.isEmpty ? why : "\(why); last lines: \(lines)")
    }

    /// One process's run: how it ended so far, and what it may change.
    private struct RunState {
        let attempt: Int
        var boundary: LiveChildBoundary
        var finishedCleanly = false
        var failure: String?
        var warnedOverBudget = false
    }

    /// One frame from the child, checked before anything is kept; throws a ProtocolViolation.
    private func handle(_ frame: JobFrame, from child: SpawnedJobProcess, run: inout RunState) throws {
        let message: FromJob
        switch frame {
        case let .hls(change):
            try run.boundary.admit(change)
            guard let memory = context.settings.memory else { return }
            if !memory.apply(change, budget: run.boundary.memoryBudget), !run.warnedOverBudget {
                run.warnedOverBudget = true
                logger.warning("the show's memory-served HLS is over its budget: files past it are served from disk",
                               metadata: ["budgetBytes": "\(run.boundary.memoryBudget)"])
            }
            return
        case .accessUnit:
            throw ProtocolViolation("a job process sent an access unit")
        case let .message(data):
            do { message = try JSONDecoder().decode(FromJob.self, from: data) } catch {
                throw ProtocolViolation("not a message: \(String(decoding: data.prefix(120), as: UTF8.self).debugDescription)")
            }
        }
        try message.check(kind: .live)
        switch message {
        case let .liveProgress(new):
            noteProgress(new, attempt: run.attempt)
        case let .ladderFixed(fixed):
            try run.boundary.admit(fixed, fixed: lock.withLock { ladder })
            lock.withLock { ladder = fixed }
            context.ladderFixed(fixed)
        case let .cardReply(reply):
            remote.deliver(reply)
        case let .cardApplied(milliseconds):
            onCardApplied?(milliseconds)
        case let .log(line):
            child.tail.append(line.message)
            logger.relay(line)
        case let .failed(report):
            run.failure = report.message
        case .liveFinished:
            run.finishedCleanly = true
        case let .cardsState(state):
            lock.withLock { cardsState = state }
        case .started:
            lock.withLock {
                guard run.attempt > 1, let last = restartList.indices.last else { return }
                restartList[last].restartedAfter = Date().timeIntervalSince(restartList[last].at)
            }
        case .progress, .phase, .finished:
            throw ProtocolViolation("a live job process sent \(message.name)")
        }
    }

    /// A checked liveProgress: the figures, the recovery after a crash, the watchdog's measure.
    private func noteProgress(_ new: LiveJobFigures, attempt: Int) {
        let recovered = lock.withLock { () -> Double? in
            figures = new
            guard attempt > 1, new.framesIn > 0, let last = restartList.indices.last,
                  restartList[last].recoveredAfter == nil else { return nil }
            let seconds = Date().timeIntervalSince(restartList[last].at)
            restartList[last].recoveredAfter = seconds
            return seconds
        }
        if let recovered {
            logger.notice("live job back after a crash: the new process decodes pictures",
                          metadata: ["recoverySeconds": "\(String(format: "%.3f", recovered))"])
        }
        lock.withLock {
            if cardClockStart == nil { cardClockStart = new.cardClockStart }
            let framesOut = new.renditions.map(\.framesEncoded).saturatingSum
            if framesOut > lastFramesOut || (framesOut == 0 && new.handledUnits > lastHandled) {
                lastAdvance = Date()
            }
            lastFramesOut = framesOut
            lastHandled = new.handledUnits
        }
    }

    /// Kills a process that puts no frame out for `liveWatchdogSeconds` while units arrive.
    private func startWatchdog(_ child: SpawnedJobProcess) -> DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + 1, repeating: 1)
        let limit = options.liveWatchdogSeconds
        timer.setEventHandler { [self] in
            let stuck = lock.withLock { () -> Bool in
                let now = Date()
                guard killedBecause == nil, ending == nil, now.timeIntervalSince(lastInput) < limit,
                      now.timeIntervalSince(lastAdvance) > limit else { return false }
                killedBecause = "no frame out for \(Int(limit)) s while the publisher sent: killed by the watchdog"
                return true
            }
            if stuck { kill(child.pid, SIGKILL) }
        }
        timer.resume()
        return timer
    }

    /// To whichever process runs the job now.
    func send(_ message: ToJob) throws {
        guard let writer = currentWriter else { throw JobWireError.closed }
        try writer.encode(message)
    }
}
