// Progress on a terminal (a bar redrawn in place on stderr) or as JSON lines on stdout.
import Foundation
import VitrinePipeline

final class ProgressReporter {
    private let json: Bool
    private let isTerminal = isatty(STDERR_FILENO) == 1

    init(json: Bool) {
        self.json = json
    }

    func update(_ p: JobProgress) {
        if json {
            var object: [String: Any] = [
                "event": "progress", "seconds": round3(p.processedSeconds), "frames": p.framesEncoded,
                "fps": round3(p.framesPerSecond), "speed": round3(p.speed), "elapsed": round3(p.elapsedSeconds),
            ]
            if let f = p.fraction { object["percent"] = round3(f * 100) }
            if let eta = p.etaSeconds { object["eta"] = round3(eta) }
            emit(object)
        } else if isTerminal {
            let fraction = p.fraction ?? 0
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            let eta = p.etaSeconds.map { clock($0) } ?? "--:--"
            let line = String(format: "\r[%@] %5.1f%%  %6.1f fps  %5.2fx  ETA %@ ", bar, fraction * 100, p.framesPerSecond, p.speed, eta)
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    func finish(_ report: JobReport) {
        if json {
            emit([
                "event": "done", "master": report.masterPlaylist, "duration": round3(report.durationSeconds),
                "elapsed": round3(report.elapsedSeconds), "decodeErrors": report.decodeErrors,
                "renditions": report.renditions.map { ["name": $0.name, "segments": $0.segmentCount, "bandwidth": $0.peakBitrate] },
            ])
            return
        }
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
        var lines = ["wrote \(report.masterPlaylist) (\(String(format: "%.1f", report.durationSeconds)) s in \(String(format: "%.1f", report.elapsedSeconds)) s)"]
        for r in report.renditions {
            let size = r.width.map { "\($0)x\(r.height ?? 0)" } ?? "audio"
            lines.append("  \(r.name): \(size), \(r.segmentCount) segments, peak \(r.peakBitrate / 1000) kb/s, average \(r.averageBitrate / 1000) kb/s, \(r.codecs.joined(separator: ","))")
        }
        if report.decodeErrors > 0 { lines.append("  recovered from \(report.decodeErrors) decode errors in the input") }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    private func emit(_ object: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    private func round3(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

    private func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}
