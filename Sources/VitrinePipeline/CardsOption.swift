// `--cards FILE`: reads and validates a cards file (docs/cards.md) into the Timeline a job draws
// from. Runs before the job touches the output folder, so a bad file costs no encoding and leaves
// nothing behind; every refusal is a bad argument (exit 64) naming the file and the field.
import CFFmpeg
import Foundation
import VitrineOverlay

public enum CardsOption {
    /// The cards of `path` on a new Timeline whose second 0 is `wallClockOrigin` (the same date the
    /// job's PROGRAM-DATE-TIME counts from). Image paths resolve against the file's folder.
    public static func load(path: String, wallClockOrigin: Date) throws -> Timeline {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TranscodeError.invalidArgument("--cards \(path): file not found")
        }
        guard !isDirectory.boolValue else { throw TranscodeError.invalidArgument("--cards \(path): is a folder, not a cards file") }
        let url = URL(fileURLWithPath: path)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TranscodeError.invalidArgument("--cards \(path): cannot read it: \(error.localizedDescription)")
        }
        // A corrupt image makes FFmpeg's decoders log; our one error line already carries their
        // text. Nothing else runs yet, so changing the global level for the load is safe.
        let level = av_log_get_level()
        av_log_set_level(AV_LOG_QUIET)
        defer { av_log_set_level(level) }
        do {
            let cards = try CardsFile.load(data, imageDirectory: url.deletingLastPathComponent(), wallClockOrigin: wallClockOrigin)
            let timeline = Timeline(imageDirectory: url.deletingLastPathComponent(), wallClockOrigin: wallClockOrigin)
            try timeline.replaceAll(with: cards)
            return timeline
        } catch {
            let line = error.unlocatedFieldPath.flatMap { CardsFile.line(of: $0, in: data) }
            throw TranscodeError.invalidArgument("--cards \(path)\(line.map { ", line \($0)" } ?? ""): \(error)")
        }
    }
}

extension TranscodeSettings {
    /// `--cards` for a file job: loads `path` on a Timeline whose second 0 is the input's origin
    /// and makes it the job's origin too, so date countdowns and DATERANGEs line up with
    /// PROGRAM-DATE-TIME. Call it last: it decodes the images.
    public mutating func loadCards(_ path: String) throws {
        let origin = WallClockOrigin.resolve(input: input)
        wallClockOrigin = origin
        cards = try CardsOption.load(path: path, wallClockOrigin: origin)
    }
}
