// `vitrine report FOLDER`: the show report of a finished job or a replay folder, read offline
// from what the job left beside its HLS output (its show record, and the viewers the origin
// saved). The same report as GET /v1/jobs/{id}/report, as JSON or CSV on stdout.
import ArgumentParser
import Foundation
import VitrinePipeline

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print the show report of a job's output folder: products on screen, prices, polls, viewers.",
        discussion: """
        FOLDER is a transcode or batch output folder (OUT, or OUT/NAME), or a live stream's folder \
        under serve's DATA/hls/PLAYBACK-ID, where each publish left its own record: --job picks one \
        (default: the newest). Exit codes: 0 printed; 66 no show record in FOLDER; 65 a record \
        that cannot be read; 64 bad arguments.
        """
    )

    @Argument(help: "The job's output folder.")
    var folder: String

    @Option(help: "A live publish's job id, when the folder holds several.")
    var job: String?

    @Flag(help: "CSV (one table, a section column) instead of JSON.")
    var csv = false

    func run() throws {
        let records = ShowRecord.records(in: folder)
        let chosen = job.map { id in records.filter { $0.hasSuffix(ShowRecord.fileName(jobID: id)) } } ?? records
        guard let path = chosen.max(by: { Self.modified($0) < Self.modified($1) }) else {
            let what = job.map { "no show record of job \($0)" } ?? "no show record (\(ShowRecord.fileName))"
            FileHandle.standardError.write(Data("vitrine: error: \(folder): \(what); a job writes one when it encodes\n".utf8))
            throw ExitCode(66)
        }
        let report: ShowReport
        do {
            let record = try ShowRecord.read(path)
            let presence = try AudienceFile.read((folder as NSString).appendingPathComponent(AudienceFile.fileName))
            // A live show still running (no media end yet) is reported up to its record's last write.
            let end = record.mediaEnd == nil ? Self.modified(path) : nil
            report = ShowReport.make(record: record, presence: presence, now: end)
        } catch {
            FileHandle.standardError.write(Data("vitrine: error: \(path): \(error)\n".utf8))
            throw ExitCode(65)
        }
        if csv {
            FileHandle.standardOutput.write(Data(report.csv.utf8))
        } else {
            let encoder = AudienceFile.encoder
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            FileHandle.standardOutput.write(try encoder.encode(report) + Data("\n".utf8))
        }
    }

    /// When a file was last written (a record's last change; the newest of several publishes).
    static func modified(_ path: String) -> Date {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date) ?? .distantPast
    }
}
