// What a batch shows while it runs. On a terminal: one overall bar and one line per running file,
// redrawn in place on stderr with ANSI cursor moves. With --json: one JSON object per line on
// stdout (start, progress, done, failed, skipped; the summary comes from BatchSummary). Otherwise
// nothing here: the log lines say what started and ended. Called from every job's thread.
import Foundation
import VitrinePipeline
import VitrineStore

public final class BatchProgress: @unchecked Sendable {
    public enum Mode: Sendable { case terminal, json, quiet }

    private struct Running {
        var name: String
        var progress: JobProgress?
        var lastJSON = Date.distantPast
    }

    private let mode: Mode
    private let lock = NSLock()
    private let write: @Sendable (String, _ toStdout: Bool) -> Void
    private var total = 0
    private var finished = 0
    private var failed = 0
    private var running: [String: Running] = [:]
    private var order: [String] = []
    private var drawnLines = 0
    private var lastDraw = Date.distantPast

    public init(mode: Mode, write: @escaping @Sendable (String, Bool) -> Void = BatchProgress.standardWrite) {
        self.mode = mode
        self.write = write
    }

    public static let standardWrite: @Sendable (String, Bool) -> Void = { text, toStdout in
        (toStdout ? FileHandle.standardOutput : FileHandle.standardError).write(Data(text.utf8))
    }

    func begin(total: Int) {
        locked { self.total = total }
    }

    func skipped(_ job: JobRecord) {
        locked {
            finished += 1
            if job.state == .failed { failed += 1 }
            json(["event": "skipped", "id": job.id, "input": job.source, "state": job.state.rawValue, "error": job.error as Any])
        }
    }

    func started(_ job: JobRecord, spec: BatchJobSpec, attempt: Int) {
        locked {
            running[job.id] = Running(name: spec.name)
            order.append(job.id)
            json(["event": "start", "id": job.id, "input": spec.input, "output": spec.output, "attempt": attempt])
            draw(force: true)
        }
    }

    func update(_ job: JobRecord, _ progress: JobProgress) {
        locked {
            guard var entry = running[job.id] else { return }
            entry.progress = progress
            if mode == .json, Date().timeIntervalSince(entry.lastJSON) >= 1 {
                entry.lastJSON = Date()
                json(["event": "progress", "id": job.id, "input": job.source, "seconds": round3(progress.processedSeconds),
                      "percent": progress.fraction.map { round3($0 * 100) } as Any, "speed": round3(progress.speed),
                      "fps": round3(progress.framesPerSecond), "eta": progress.etaSeconds.map(round3) as Any])
            }
            running[job.id] = entry
            draw(force: false)
        }
    }

    func finished(_ job: JobRecord, outcome: BatchOutcome, recorded: Bool) {
        locked {
            running[job.id] = nil
            order.removeAll { $0 == job.id }
            finished += 1
            if outcome.state == .failed { failed += 1 }
            let r = outcome.report
            json(["event": outcome.state == .succeeded ? "done" : "failed", "id": job.id, "input": job.source,
                  "output": job.outputDirectory, "error": outcome.error as Any, "duration": r.durationSeconds.map(round3) as Any,
                  "elapsed": round3(r.elapsedSeconds), "speed": r.speed.map(round3) as Any, "clips": r.clips?.count as Any,
                  "recorded": recorded])
            draw(force: true)
        }
    }

    /// The job's process crashed and the job went back to the queue for another attempt.
    func crashedWillRetry(_ job: JobRecord, reason: String) {
        locked {
            running[job.id] = nil
            order.removeAll { $0 == job.id }
            json(["event": "crashed", "id": job.id, "input": job.source, "error": reason, "retry": true])
            draw(force: true)
        }
    }

    func end() {
        locked {
            guard mode == .terminal, drawnLines > 0 else { return }
            write(String(repeating: "\u{1B}[1A\u{1B}[2K", count: drawnLines) + "\r", false)
            drawnLines = 0
        }
    }

    // MARK: - Drawing (lock held)

    private func draw(force: Bool) {
        guard mode == .terminal, force || Date().timeIntervalSince(lastDraw) >= 0.25 else { return }
        lastDraw = Date()
        let partial = running.values.compactMap { $0.progress?.fraction }.reduce(0, +)
        let overall = total > 0 ? min(1, (Double(finished) + partial) / Double(total)) : 0
        // String(format:) with %@ and Swift strings is not portable to Linux: interpolate.
        var lines = ["\(bar(overall, width: 30)) \(percent(overall))  \(finished)/\(total) files" + (failed > 0 ? "  \(failed) failed" : "")]
        for id in order {
            guard let entry = running[id] else { continue }
            let p = entry.progress
            let eta = p?.etaSeconds.map { String(format: "%d:%02d", Int($0) / 60, Int($0) % 60) } ?? "--:--"
            lines.append("  \(bar(p?.fraction ?? 0, width: 20)) \(percent(p?.fraction ?? 0)) \(String(format: "%5.2fx", p?.speed ?? 0)) ETA \(eta)  \(entry.name)")
        }
        var text = String(repeating: "\u{1B}[1A", count: drawnLines) + "\r"
        text += lines.map { "\u{1B}[2K" + $0 + "\n" }.joined()
        // Lines left from a taller previous drawing are cleared.
        if drawnLines > lines.count {
            text += String(repeating: "\u{1B}[2K\n", count: drawnLines - lines.count)
            text += String(repeating: "\u{1B}[1A", count: drawnLines - lines.count)
        }
        drawnLines = lines.count
        write(text, false)
    }

    private func percent(_ fraction: Double) -> String {
        String(format: "%3.0f%%", fraction * 100)
    }

    private func bar(_ fraction: Double, width: Int) -> String {
        let filled = max(0, min(width, Int(fraction * Double(width))))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
    }

    private func json(_ object: [String: Any]) {
        guard mode == .json, let line = JSONLine.render(object) else { return }
        write(line, true)
    }

    private func round3(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

    private func locked(_ body: () -> Void) {
        lock.lock()
        body()
        lock.unlock()
    }
}

/// One JSON object per line, keys sorted, nil values left out.
enum JSONLine {
    static func render(_ object: [String: Any]) -> String? {
        guard let data = try? JSONSerialization.data(withJSONObject: object.compactMapValues(unwrap), options: [.sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func unwrap(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first.flatMap { unwrap($0.value) }
    }
}
