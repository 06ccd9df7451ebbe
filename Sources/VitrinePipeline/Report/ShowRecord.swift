// ShowRecord.swift - what a job's cards did, kept beside its HLS output for the show report: every
// card of its Timeline (ended ones and each revision an operator's change made, `ID~r2`, ...) on
// the cards' clock, and the date that clock's zero was. The report is computed from it, so it
// works the same for a running live show, a finished one, and a replay folder read offline.
import Foundation
import VitrineOverlay

public struct ShowRecord: Codable, Sendable, Equatable {
    public var jobID: String
    /// The date of second 0 on the cards' clock (the DATERANGEs count from it).
    public var origin: Date
    /// Where the media got to on that clock, when known (file jobs; live jobs as they go).
    public var mediaEnd: Double?
    public var cards: [Card]

    public init(jobID: String, origin: Date, mediaEnd: Double? = nil, cards: [Card]) {
        self.jobID = jobID
        self.origin = origin
        self.mediaEnd = mediaEnd
        self.cards = cards
    }

    /// File jobs: one per output folder. Live jobs: one per publish, in the stream's folder.
    public static let fileName = "show-record.json"
    public static func fileName(jobID: String) -> String { "show-record-\(jobID).json" }
    /// A record is a few hundred bytes per card, and a job holds at most Timeline.maxCards.
    public static let maxBytes = 8 << 20

    public func write(to path: String) throws {
        try ReportJSONFile.write(self, to: path)
    }

    public static func read(_ path: String) throws -> ShowRecord {
        guard let record = try ReportJSONFile.read(ShowRecord.self, at: path, what: "a show record", maxBytes: maxBytes) else {
            throw TranscodeError.internalFailure("\(path): no show record")
        }
        return record
    }

    /// The records in a folder: a file job's, or each publish's of a live stream, oldest first.
    public static func records(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0 == fileName || ($0.hasPrefix("show-record-") && $0.hasSuffix(".json")) }
            .sorted().map { (folder as NSString).appendingPathComponent($0) }
    }
}

/// Keeps a live job's record up to date: written when its lanes start and after every change an
/// operator makes to its cards (time-driven states need no write: the report derives them).
public final class ShowRecordWriter: @unchecked Sendable {
    private let path: String
    private let timeline: Timeline
    private let jobID: String
    private let origin: Date
    private let lock = NSLock()

    public init(path: String, jobID: String, timeline: Timeline, origin: Date) {
        self.path = path
        self.jobID = jobID
        self.timeline = timeline
        self.origin = origin
    }

    /// Best effort: a report that misses a change is better than a show that stops for it.
    public func write(mediaEnd: Double? = nil) {
        lock.withLock {
            let record = ShowRecord(jobID: jobID, origin: origin, mediaEnd: mediaEnd, cards: timeline.allCards.map(\.card))
            try? record.write(to: path)
        }
    }
}
