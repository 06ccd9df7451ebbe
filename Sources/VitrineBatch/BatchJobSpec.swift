// What one file of a batch is asked to do, stored as JSON in its JobRecord's `spec`. The spec
// carries every setting (absolute paths, ladder, cards, clips), so any worker that claims the job,
// on this machine or another sharing the PostgreSQL queue, runs it the same way without the
// command line that queued it.
import Foundation
import VitrineHLS
import VitrineJobs
import VitrinePipeline

public struct BatchJobSpec: Codable, Sendable, Equatable {
    /// Absolute path of the recording.
    public var input: String
    /// Absolute path of the folder this file's ladder (and clips) go to.
    public var output: String
    /// `--ladder` syntax; nil: chosen from the source.
    public var ladder: String?
    /// Absolute path of a cards file; nil: no cards.
    public var cards: String?
    /// Also cut one clip per card interval.
    public var clips: Bool
    public var segmentDuration: Double
    public var preset: String
    /// "ts" or "fmp4".
    public var segmentFormat: String
    /// x264 threads per rendition; nil: shared out from the job's cores.
    public var threads: Int?

    public init(input: String, output: String, ladder: String? = nil, cards: String? = nil, clips: Bool = false,
                segmentDuration: Double = 2, preset: String = "veryfast", segmentFormat: String = "ts", threads: Int? = nil) {
        self.input = input
        self.output = output
        self.ladder = ladder
        self.cards = cards
        self.clips = clips
        self.segmentDuration = segmentDuration
        self.preset = preset
        self.segmentFormat = segmentFormat
        self.threads = threads
    }

    /// Short name for tables and progress lines: the input's file name.
    public var name: String { (input as NSString).lastPathComponent }

    public func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// The spec of a stored job; a record not written by a batch is an internal failure, named.
    public static func decode(_ record: String, id: String) throws -> BatchJobSpec {
        do {
            return try JSONDecoder().decode(BatchJobSpec.self, from: Data(record.utf8))
        } catch {
            throw TranscodeError.internalFailure("job \(id): its stored spec is not a batch job: \(error)")
        }
    }

    /// Checks what can be checked without touching media, so a bad ladder fails the command (64)
    /// before anything is queued.
    public func validate() throws {
        if let ladder { _ = try Ladder.parse(ladder) }
        guard SegmentFormat(rawValue: segmentFormat) != nil else {
            throw TranscodeError.invalidArgument("segment format \(segmentFormat) of \(input): expected ts or fmp4")
        }
    }

    /// The order a job process runs for this file, with `cores` of the machine to itself. The
    /// cards are loaded there, so a bad cards file fails this file alone, with the file named.
    public func order(cores: Int) -> FileJobOrder {
        var order = FileJobOrder(input: input, output: output)
        order.ladder = ladder
        order.segmentDuration = segmentDuration
        order.preset = preset
        order.segmentFormat = segmentFormat
        order.threads = threads
        order.cores = cores
        order.cards = cards.map { .file(path: $0) }
        order.clips = clips
        return order
    }
}
