// Starting one `vitrine job-process`, the same for file and live jobs: three pipes, the memory
// limit, an environment of named variables only (ChildEnvironment), no Swift backtracer (the supervisor writes the crash report, and a backtrace would only
// delay the restart), SIGPIPE ignored so a write to a process that just died fails instead of
// killing the supervisor, and its stderr logged and kept for the crash report.
import Foundation
import Logging

final class SpawnedJobProcess: @unchecked Sendable {
    let process = Process()
    let writer: FrameWriter
    let reader: FrameReader
    let tail = LogTail()
    private let toJob = Pipe(), fromJob = Pipe(), errors = Pipe()
    private let stderrDone = DispatchSemaphore(value: 0)

    var pid: Int32 { process.processIdentifier }

    /// Starts the process; call from a thread that lives as long as it does (the kernel's
    /// parent-death signal follows the thread that started the child).
    init(options: JobProcessOptions, label: String, logger: Logger) throws {
        signal(SIGPIPE, SIG_IGN)
        process.executableURL = URL(fileURLWithPath: options.executable)
        process.arguments = ["job-process", "--label", label] + (options.memoryLimitBytes.map { ["--memory-limit", "\($0)"] } ?? [])
        process.environment = ChildEnvironment.make(from: ProcessInfo.processInfo.environment)
        process.standardInput = toJob
        process.standardOutput = fromJob
        process.standardError = errors
        try process.run()
        writer = FrameWriter(fd: toJob.fileHandleForWriting.fileDescriptor)
        reader = FrameReader(fd: fromJob.fileHandleForReading.fileDescriptor)
        var log = logger
        log[metadataKey: "jobPid"] = "\(process.processIdentifier)"
        relayStandardError(errors.fileHandleForReading.fileDescriptor, logger: log)
    }

    /// Waits for the exit and for the last of its stderr.
    func waitForExit() {
        process.waitUntilExit()
        stderrDone.wait()
    }

    /// How it ended, when it ended without a result of its own.
    var exitDescription: String {
        JobExit.describe(reason: process.terminationReason, status: process.terminationStatus)
    }

    var exitedCleanly: Bool { process.terminationReason == .exit && process.terminationStatus == 0 }

    /// Logs what the job process writes on stderr (FFmpeg, a Swift fatal error) and keeps its tail.
    private func relayStandardError(_ fd: Int32, logger: Logger) {
        let tail = tail
        let done = stderrDone
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
    }
}

extension Logger {
    /// Logs a line a job process sent, with its level and metadata.
    func relay(_ line: JobLogLine) {
        log(level: Logger.Level(rawValue: line.level) ?? .info, "\(line.message)", metadata: line.metadata.mapValues { .string($0) })
    }
}
