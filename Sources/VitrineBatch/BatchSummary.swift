// The table a batch ends with (file, duration, speed, outcome, output), the reason of every file
// that failed, and the exit code: 0 when every file is done, else the code `vitrine transcode`
// would have given the first failed file (65 damaged, 66 not media, ...), so scripts can tell
// a bad recording from a full disk.
import Foundation
import VitrineStore

public struct BatchSummary: Sendable {
    public struct Row: Sendable, Equatable {
        public var file: String
        public var duration: Double?
        public var speed: Double?
        public var outcome: String
        public var output: String
        public var error: String?
        public var exitCode: Int32
    }

    public var rows: [Row]

    public init(jobs: [JobRecord]) {
        rows = jobs.map { job in
            let report = BatchJobReport.decode(job.report)
            let file = (job.source as NSString).lastPathComponent
            let outcome: String
            var code: Int32 = 0
            switch job.state {
            case .succeeded: outcome = "done"
            case .failed:
                outcome = "failed"
                code = report?.exitCode.flatMap { $0 == 0 ? nil : $0 } ?? 70
            case .cancelled:
                outcome = "cancelled"
                code = 70
            case .queued, .running:
                // Held by a worker elsewhere, or left by one that died and not yet reclaimed.
                outcome = "not finished (\(job.state.rawValue))"
                code = 75 // EX_TEMPFAIL: run the batch again
            }
            return Row(file: file, duration: report?.durationSeconds, speed: report?.speed, outcome: outcome,
                       output: job.state == .succeeded ? (report?.master ?? job.outputDirectory) : "-",
                       error: job.error, exitCode: code)
        }
    }

    public var succeeded: Int { rows.filter { $0.exitCode == 0 }.count }
    public var failed: Int { rows.count - succeeded }
    public var exitCode: Int32 { rows.first { $0.exitCode != 0 }?.exitCode ?? 0 }

    /// Aligned columns, then one line per failure with its reason.
    public func table() -> String {
        let header = ["FILE", "DURATION", "SPEED", "OUTCOME", "OUTPUT"]
        let body = rows.map { row in
            [row.file, row.duration.map { String(format: "%.1f s", $0) } ?? "-", row.speed.map { String(format: "%.2fx", $0) } ?? "-",
             row.outcome, row.output]
        }
        let widths = header.indices.map { column in ([header] + body).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).enumerated().map { i, pair in
                i == cells.count - 1 ? pair.0 : pair.0.padding(toLength: pair.1, withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        var lines = [line(header)] + body.map(line)
        lines.append("\(rows.count) files: \(succeeded) done, \(failed) not done")
        for row in rows where row.exitCode != 0 {
            lines.append("\(row.file): \(row.error ?? row.outcome)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `{"event":"summary",...}` line of --json.
    public func jsonLine() -> String {
        JSONLine.render([
            "event": "summary", "succeeded": succeeded, "failed": failed, "exitCode": exitCode,
            "files": rows.map { row -> [String: Any] in
                var object: [String: Any] = ["file": row.file, "outcome": row.outcome, "output": row.output]
                if let d = row.duration { object["duration"] = (d * 1000).rounded() / 1000 }
                if let s = row.speed { object["speed"] = (s * 1000).rounded() / 1000 }
                if let e = row.error { object["error"] = e }
                return object
            },
        ]) ?? "{}\n"
    }
}
