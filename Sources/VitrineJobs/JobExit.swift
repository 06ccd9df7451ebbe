// How a job process ended, in words an operator can act on: "killed by signal 11 (SIGSEGV)",
// "exited with code 134 without a result", plus the last lines it wrote.
import Foundation

enum JobExit {
    static func describe(reason: Process.TerminationReason, status: Int32) -> String {
        switch reason {
        case .uncaughtSignal: return "killed by signal \(status) (\(signalName(status)))"
        case .exit: return "exited with code \(status) without a result"
        @unknown default: return "ended (status \(status)) without a result"
        }
    }

    static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [
            SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT", SIGKILL: "SIGKILL", SIGBUS: "SIGBUS", SIGILL: "SIGILL",
            SIGTRAP: "SIGTRAP", SIGFPE: "SIGFPE", SIGTERM: "SIGTERM", SIGXCPU: "SIGXCPU", SIGPIPE: "SIGPIPE",
        ]
        return names[signal] ?? "signal \(signal)"
    }
}

/// The last lines a job process wrote (its stderr and its log messages), kept for the crash report.
final class LogTail: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    private let keep: Int

    init(keep: Int = 6) { self.keep = keep }

    func append(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return }
        lock.withLock {
            lines.append(String(trimmed.prefix(300)))
            if lines.count > keep { lines.removeFirst(lines.count - keep) }
        }
    }

    var text: String { lock.withLock { lines.joined(separator: " | ") } }
}
