// `vitrine batch --clips`: one short VOD clip per card interval, named after the product, so a
// replay page can offer "watch this product" links. A clip is cut from the show's own ladder on
// segment boundaries: every segment starts with an IDR on the same PTS in every rendition, so the
// segments covering a card's interval are already a valid ladder with the card burned in. No
// re-encoding: segments are hard-linked (copied across file systems), the playlists are the
// show's lines for those segments (PROGRAM-DATE-TIME and the card's own DATERANGE kept), and the
// MP4 is the top rendition remuxed by libavformat.
//
//   OUT/NAME/clips/PRODUCT-SLUG/master.m3u8, RENDITION/index.m3u8 + segments, PRODUCT-SLUG.mp4
import Foundation
import VitrineHLS
import VitrineOverlay

public struct ClipReport: Codable, Sendable, Equatable {
    public var name: String
    public var cardID: String
    /// Where the clip starts and ends on the show's timeline (segment boundaries).
    public var start: Double
    public var end: Double
    public var master: String
    public var mp4: String
}

public enum Clips {
    /// The master a job process wrote in `show` and the rendition playlists it names, each of the
    /// shape Vitrine writes ("720p/index.m3u8"): a master naming "../../x/index.m3u8" would make
    /// the clip cutter (in serve, for live shows) read and write outside the show.
    static func masterVariants(in show: String) throws -> (master: String, variants: [String]) {
        let path = (show as NSString).appendingPathComponent(HLSFileNames.master)
        let master = try BoundedFile.text(at: path, what: "a master playlist", maxBytes: 1 << 20)
        let variants = master.split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard !variants.isEmpty else { throw TranscodeError.internalFailure("clips: \(path) names no rendition") }
        for variant in variants {
            let parts = variant.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, HLSFileNames.isRenditionName(parts[0]), parts[1] == HLSFileNames.mediaPlaylist else {
                throw TranscodeError.internalFailure("clips: \(path) names \(variant.prefix(120).debugDescription), not a rendition playlist")
            }
        }
        return (master, variants)
    }

    /// One clip per card that is on screen during the show, in card order. `origin` is the date
    /// of the timeline second the cards count from. Leaves nothing half-made: each clip is built
    /// in a hidden folder and renamed into place when complete.
    /// `root` and `name`: where the clip goes (default SHOW/clips/SLUG); a live clip gets its own
    /// playback folder under the HLS root, so the origin serves it like any stream.
    public static func make(show: String, cards: [Card], origin: Date?, root: String? = nil, name fixedName: String? = nil) throws -> [ClipReport] {
        let (master, variants) = try masterVariants(in: show)
        let first = variants[0]
        let playlists = try variants.map { try ShowPlaylist(path: (show as NSString).appendingPathComponent($0), origin: origin) }
        let clipsRoot = root ?? (show as NSString).appendingPathComponent("clips")
        var names = Set<String>()
        var reports: [ClipReport] = []
        for card in cards {
            let showEnd = playlists[0].end
            let end = min(card.end ?? showEnd, showEnd)
            let picked = playlists[0].segments(covering: card.start, end)
            guard card.start < showEnd, end > card.start, let firstIndex = picked.first, let lastIndex = picked.last else { continue }
            let name = fixedName ?? uniqueName(slug(for: card), taken: &names)
            let final = (clipsRoot as NSString).appendingPathComponent(name)
            let partial = (clipsRoot as NSString).appendingPathComponent(".\(name).partial")
            try? FileManager.default.removeItem(atPath: partial)
            try? FileManager.default.removeItem(atPath: final)
            do {
                for (variant, playlist) in zip(variants, playlists) {
                    let folder = (partial as NSString).appendingPathComponent((variant as NSString).deletingLastPathComponent)
                    try playlist.writeClip(segments: firstIndex...lastIndex, cardID: card.id, into: folder,
                                           playlistName: (variant as NSString).lastPathComponent)
                }
                try AtomicFileWriter.write(master, to: (partial as NSString).appendingPathComponent("master.m3u8"))
                try ClipRemuxer.remux(playlist: (partial as NSString).appendingPathComponent(first),
                                      to: (partial as NSString).appendingPathComponent(name + ".mp4"))
                try FileManager.default.moveItem(atPath: partial, toPath: final)
            } catch {
                try? FileManager.default.removeItem(atPath: partial)
                if let error = error as? TranscodeError { throw error }
                if let error = error as? FileWriteError { throw TranscodeError(error) }
                throw TranscodeError.internalFailure("clip \(name) of \(show): \(error)")
            }
            reports.append(ClipReport(name: name, cardID: card.id, start: playlists[0].starts[firstIndex],
                                      end: playlists[0].starts[lastIndex] + playlists[0].durations[lastIndex],
                                      master: (final as NSString).appendingPathComponent("master.m3u8"),
                                      mp4: (final as NSString).appendingPathComponent(name + ".mp4")))
        }
        return reports
    }

    /// The product's name for a product card, else its sku: lower-case ASCII letters and digits
    /// joined by dashes ("Camiseta Azul" -> "camiseta-azul").
    public static func slug(for card: Card) -> String {
        if case let .productCard(content) = card.content, !slug(content.title).isEmpty { return slug(content.title) }
        let sku = slug(card.sku)
        return sku.isEmpty ? (slug(card.id).isEmpty ? "card" : slug(card.id)) : sku
    }

    static func slug(_ text: String) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        var out = ""
        for scalar in folded.lowercased().unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty, !out.hasSuffix("-") {
                out.append("-")
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return String(out.prefix(64))
    }

    static func uniqueName(_ base: String, taken: inout Set<String>) -> String {
        var name = base, n = 2
        while taken.contains(name) { name = "\(base)-\(n)"; n += 1 }
        taken.insert(name)
        return name
    }
}
