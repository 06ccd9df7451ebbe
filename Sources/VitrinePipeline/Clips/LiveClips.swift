// LiveClips.swift - product clips of a live show, cut while it runs: when a product's time on
// screen ends, its segments (still in the live window on disk) become a VOD ladder and an MP4 in a
// playback folder of their own, with no re-encode, as `batch --clips` does for replays. A list
// of the clips made is kept beside the show's record (clips-JOB.json) for the API and the report.
import Foundation
import VitrineHLS
import VitrineOverlay

public struct LiveClip: Codable, Sendable, Equatable {
    public var cardID: String
    public var sku: String
    /// The card's interval on the show's clock, and the clip's (segment boundaries around it).
    public var start: Double
    public var end: Double
    public var clipStart: Double
    public var clipEnd: Double
    public var playbackID: String
    public var madeAt: Date

    public var playbackURL: String { "/hls/\(playbackID)/master.m3u8" }
    public var mp4Name: String { "\(playbackID).mp4" }
    /// The MP4 as the origin serves it (with byte ranges), beside the clip's master playlist.
    public var mp4URL: String { "/hls/\(playbackID)/\(mp4Name)" }
}

public enum LiveClips {
    public static func fileName(jobID: String) -> String { "clips-\(jobID).json" }
    /// Kinds that show a product on sale: a clip of each showing.
    static let clippedKinds: Set<String> = ["productCard", "priceTag", "flashOffer"]

    /// The clips listed so far; none when there is no list or it cannot be read.
    public static func read(_ path: String) -> [LiveClip] {
        ((try? ReportJSONFile.read([LiveClip].self, at: path, what: "a clip list", maxBytes: ShowRecord.maxBytes)) ?? nil) ?? []
    }

    /// Cuts the clips of showings of `jobID` that ended inside what the stream folder's playlists
    /// list, skipping those already made. Returns the clips made now.
    public static func cut(jobID: String, folder: String, hlsRoot: String, now: Date = Date()) throws -> [LiveClip] {
        let recordPath = (folder as NSString).appendingPathComponent(ShowRecord.fileName(jobID: jobID))
        guard FileManager.default.fileExists(atPath: recordPath) else { return [] }
        let record = try ShowRecord.read(recordPath)
        let listPath = (folder as NSString).appendingPathComponent(fileName(jobID: jobID))
        var made = read(listPath)
        // What the playlists list, on the cards' clock: a showing is clipped once it ended inside.
        guard let variant = try? firstVariant(of: folder),
              let listed = try? ShowPlaylist(path: (folder as NSString).appendingPathComponent(variant), origin: record.origin) else { return [] }
        let report = ShowReport.make(record: record, presence: [], now: record.origin.addingTimeInterval(listed.end))
        var new: [LiveClip] = []
        for product in report.products where clippedKinds.contains(product.kind) {
            for interval in product.intervals where interval.end < report.end - 0.01 {
                guard !made.contains(where: { $0.cardID == product.id && abs($0.start - interval.start) < 0.001 }) else { continue }
                let id = PlaybackIDs.makeID()
                let card = Card(id: product.id, sku: product.sku, content: .banner(BannerContent(text: product.label)),
                                start: interval.start, end: interval.end)
                guard let clip = try Clips.make(show: folder, cards: [card], origin: record.origin, root: hlsRoot, name: id).first else { continue }
                let entry = LiveClip(cardID: product.id, sku: product.sku, start: interval.start, end: interval.end,
                                     clipStart: clip.start, clipEnd: clip.end, playbackID: id, madeAt: now)
                made.append(entry)
                new.append(entry)
            }
        }
        if !new.isEmpty { try ReportJSONFile.write(made, to: listPath) }
        return new
    }

    private static func firstVariant(of folder: String) throws -> String? {
        try Clips.masterVariants(in: folder).variants.first
    }
}
