// `vitrine job-process`: the job process's side of the protocol. It reads the order from stdin,
// runs the media work (FileJobWork), answers card requests and a stop from a reader thread, and
// writes progress, log lines and its one result to the protocol channel. The channel is the
// process's original stdout; fd 1 is pointed at stderr first, so a stray print can never corrupt
// a frame.
import Foundation
import Logging
import VitrinePipeline

public enum JobProcessChild {
    /// Runs one job; returns the process exit code (0, or the job's sysexits code).
    public static func run(memoryLimit: UInt64?, environment: [String: String] = ProcessInfo.processInfo.environment) -> Int32 {
        JobProcessLimits.applyInChild(memoryLimit: memoryLimit)
        let channel = dup(STDOUT_FILENO)
        guard channel >= 0, dup2(STDERR_FILENO, STDOUT_FILENO) >= 0 else { return 70 }
        let writer = FrameWriter(fd: channel)
        let reader = FrameReader(fd: STDIN_FILENO)
        LoggingSystem.bootstrap { label in JobLogHandler(label: label, writer: writer) }
        var logger = Logger(label: "vitrine.job")
        logger.logLevel = .info

        let first: ToJob?
        do { first = try reader.decode(ToJob.self) } catch {
            logger.error("unreadable start message: \(error)")
            return 70
        }
        if case let .startLive(version, order)? = first {
            guard version == JobProtocol.version else { return 70 }
            return LiveJobChild.run(order, reader: reader, writer: writer, logger: logger, environment: environment)
        }
        guard case let .start(version, order)? = first else { return 70 }
        guard version == JobProtocol.version else {
            logger.error("supervisor speaks job protocol \(version), this job process \(JobProtocol.version)")
            return 70
        }
        ChildConfinement.file(order, environment: environment, logger: logger)
        try? writer.encode(FromJob.started(version: JobProtocol.version, pid: getpid()))
        let work = FileJobWork(order: order, logger: logger)
        listen(reader, writer: writer, work: work, logger: logger)

        let fault = TestFault(environment: environment, input: order.input)
        do {
            let outcome = try work.run(progress: { figures in
                try? writer.encode(FromJob.progress(figures))
                fault?.strikeIfDue(framesEncoded: figures.framesEncoded)
            }, phase: { name in try? writer.encode(FromJob.phase(name)) })
            try? writer.encode(FromJob.finished(outcome))
            return 0
        } catch {
            let failure = error as? TranscodeError ?? .internalFailure("\(error)")
            try? writer.encode(FromJob.failed(JobFailureReport(failure)))
            return failure.exitCode
        }
    }

    /// Card requests and a stop, for as long as the supervisor writes; its end (the supervisor is
    /// gone) stops the job, since nobody would read its result.
    private static func listen(_ reader: FrameReader, writer: FrameWriter, work: FileJobWork, logger: Logger) {
        let thread = Thread {
            while true {
                let message: ToJob?
                do { message = try reader.decode(ToJob.self) } catch {
                    logger.error("unreadable message from the supervisor: \(error)")
                    message = nil
                }
                guard let message else { break }
                switch message {
                case let .card(request):
                    let reply = work.cardControl.map { request.perform(on: $0) }
                        ?? CardReply(sequence: request.sequence, result: nil, error: .notStarted)
                    try? writer.encode(FromJob.cardReply(reply))
                case let .stop(reason, keepOutput):
                    work.stop(reason: reason, keepOutput: keepOutput)
                case .start, .startLive, .frameRate:
                    logger.warning("a start or live message is ignored by a file job")
                }
            }
            work.stop(reason: "cancelled: the supervisor closed the job channel", keepOutput: false)
        }
        thread.name = "vitrine.job.channel"
        thread.start()
    }
}

/// swift-log in a job process: every line goes to the supervisor, which logs it with the job's id.
struct JobLogHandler: LogHandler {
    let label: String
    let writer: FrameWriter
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String, file: String,
             function: String, line: UInt) {
        let all = metadata.merging(extra ?? [:]) { $1 }
        try? writer.encode(FromJob.log(JobLogLine(level: level, message: message.description, metadata: all.mapValues { "\($0)" })))
    }
}
