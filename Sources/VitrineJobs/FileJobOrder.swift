// What one file job is asked to do, whoever asked: serve's POST /v1/jobs and a batch's stored spec
// both become a FileJobOrder, and the job process (or, in tests, this process) turns it into the
// pipeline's TranscodeSettings in one place. It is the `start` message of the job protocol, so it
// carries only values: paths, strings and numbers, never a live object.
import Foundation
import VitrineHLS
import VitrineOverlay
import VitrinePipeline

public struct FileJobOrder: Codable, Sendable, Equatable {
    /// Cards the job starts with.
    public enum Cards: Codable, Sendable, Equatable {
        /// A cards file (docs/cards.md); images resolve against its folder.
        case file(path: String)
        /// The JSON text of a cards file sent through the API; images resolve against `imagesDirectory`.
        case inline(json: String)
    }

    public var input: String
    public var output: String
    /// `--ladder` syntax; nil: chosen from the source.
    public var ladder: String?
    /// "ts" or "fmp4".
    public var segmentFormat: String = "ts"
    public var segmentDuration: Double = 2
    public var preset: String = "veryfast"
    /// x264 threads per rendition; nil: shared out from `cores`.
    public var threads: Int?
    /// Cores this job may use; nil: every core.
    public var cores: Int?
    public var cards: Cards?
    /// Where operators' card images live. Set, the job always gets a card timeline, so cards can be
    /// pushed onto it while it runs (serve); nil: only the cards it starts with (batch).
    public var imagesDirectory: String?
    /// Date of second 0 (PROGRAM-DATE-TIME, cards); nil: the input's creation time, else now.
    public var wallClockOrigin: Date?
    /// Also cut one clip per card interval once the ladder is written.
    public var clips = false

    public init(input: String, output: String) {
        self.input = input
        self.output = output
    }

    /// The pipeline settings. Loads the cards (decoding their images), so call it where the media
    /// work runs: a bad cards file fails this job alone, named.
    public func settings() throws -> TranscodeSettings {
        var settings = TranscodeSettings(input: input, outputDirectory: output)
        if let ladder { settings.rungs = try Ladder.parse(ladder) }
        guard let format = SegmentFormat(rawValue: segmentFormat) else {
            throw TranscodeError.invalidArgument("segment format \(segmentFormat): expected ts or fmp4")
        }
        settings.format = format
        settings.segmentDuration = segmentDuration
        settings.preset = preset
        settings.encoderThreads = threads
        settings.cores = cores
        switch cards {
        case let .file(path)?:
            if let origin = wallClockOrigin {
                settings.wallClockOrigin = origin
                settings.cards = try CardsOption.load(path: path, wallClockOrigin: origin)
            } else {
                try settings.loadCards(path)
            }
        case let .inline(json)?:
            let origin = wallClockOrigin ?? Date()
            settings.wallClockOrigin = origin
            let folder = URL(fileURLWithPath: imagesDirectory ?? FileManager.default.currentDirectoryPath)
            let timeline = Timeline(imageDirectory: folder, wallClockOrigin: origin)
            do {
                try timeline.replaceAll(with: CardsFile.load(Data(json.utf8), imageDirectory: folder, wallClockOrigin: origin))
            } catch {
                throw TranscodeError.invalidArgument("cards: \(error)")
            }
            settings.cards = timeline
        case nil:
            if let imagesDirectory {
                let origin = wallClockOrigin ?? Date()
                settings.wallClockOrigin = origin
                settings.cards = Timeline(imageDirectory: URL(fileURLWithPath: imagesDirectory), wallClockOrigin: origin)
            } else {
                settings.wallClockOrigin = wallClockOrigin
            }
        }
        return settings
    }
}
