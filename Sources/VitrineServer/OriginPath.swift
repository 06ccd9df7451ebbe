// What an HLS origin URL may name, parsed from the raw request target before anything touches
// the disk: /hls/{playbackId}/master.m3u8, /hls/{playbackId}/{rendition}/index.m3u8,
// /hls/{playbackId}/{rendition}/{segment} and a clip's download, /hls/{playbackId}/{playbackId}.mp4. Every component must match the exact shape Vitrine
// writes (PlaybackIDs, Ladder names, RenditionOutput file names), so "..", percent escapes
// (%2e, %00, %2f), hidden temp files and anything else never become part of a file path.
import VitrinePipeline

public struct OriginPath: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case master
        case mediaPlaylist(rendition: String)
        case segment(rendition: String, file: String)
        /// init.mp4, or init-XXXXXXXX.mp4 after a live rendition's init changed.
        case initSegment(rendition: String, file: String)
        /// A live product clip's MP4 (LiveClip.mp4Name): named after its own playback folder.
        case download(file: String)
    }

    public var playbackID: String
    public var kind: Kind

    /// Parses the raw request target (query string ignored); nil for anything Vitrine did not make.
    public init?(target: String) {
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        // Split without dropping empty parts, so "//" or a trailing "/" cannot slip through.
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].isEmpty, parts[1] == "hls", PlaybackIDs.isWellFormed(parts[2]) else { return nil }
        playbackID = String(parts[2])
        switch parts.count {
        case 4 where parts[3] == "master.m3u8":
            kind = .master
        case 4 where parts[3] == parts[2] + ".mp4":
            kind = .download(file: String(parts[3]))
        case 5 where Self.isRenditionName(parts[3]):
            let rendition = String(parts[3])
            let file = parts[4]
            if file == "index.m3u8" {
                kind = .mediaPlaylist(rendition: rendition)
            } else if InitSegmentName.isWellFormed(file) {
                kind = .initSegment(rendition: rendition, file: String(file))
            } else if Self.isSegmentName(file) {
                kind = .segment(rendition: rendition, file: String(file))
            } else {
                return nil
            }
        default:
            return nil
        }
    }

    /// The path under the HLS root, built only from validated components.
    public var relativePath: String {
        switch kind {
        case .master: return "\(playbackID)/master.m3u8"
        case let .mediaPlaylist(rendition): return "\(playbackID)/\(rendition)/index.m3u8"
        case let .segment(rendition, file): return "\(playbackID)/\(rendition)/\(file)"
        case let .initSegment(rendition, file): return "\(playbackID)/\(rendition)/\(file)"
        case let .download(file): return "\(playbackID)/\(file)"
        }
    }

    /// Ladder names: "720p", "360p_800k", "audio"; lower-case letters, digits and "_", starting
    /// with a letter or digit, short.
    static func isRenditionName(_ text: Substring) -> Bool {
        guard let first = text.utf8.first, text.utf8.count <= 32, isLowerAlphanumeric(first) else { return false }
        return text.utf8.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "_") }
    }

    /// "seg_" + at least five decimal digits (the sequence, %05d) + ".ts" or ".m4s"; an LL-HLS part
    /// adds "." and its index (1 to 3 digits) before ".m4s".
    static func isSegmentName(_ text: Substring) -> Bool {
        isWholeSegmentName(segment(ofPart: text) ?? text)
    }

    /// "seg_NNNNN.K.m4s" (K: 1 to 3 digits) gives "seg_NNNNN.m4s"; anything else nil.
    private static func segment(ofPart text: Substring) -> Substring? {
        guard text.hasSuffix(".m4s") else { return nil }
        let stem = text.dropLast(4)
        guard let dot = stem.lastIndex(of: ".") else { return nil }
        let index = stem[stem.index(after: dot)...]
        guard (1...3).contains(index.utf8.count), index.utf8.allSatisfy(isDigit) else { return nil }
        return Substring(stem[..<dot] + ".m4s")
    }

    private static func isWholeSegmentName(_ text: Substring) -> Bool {
        let stem: Substring
        if text.hasSuffix(".ts") {
            stem = text.dropLast(3)
        } else if text.hasSuffix(".m4s") {
            stem = text.dropLast(4)
        } else {
            return false
        }
        guard stem.hasPrefix("seg_") else { return false }
        let digits = stem.dropFirst(4)
        return (5...10).contains(digits.utf8.count) && digits.utf8.allSatisfy(isDigit)
    }

    /// An LL-HLS part: "seg_NNNNN.K.m4s".
    static func isPartName(_ file: String) -> Bool {
        segment(ofPart: Substring(file)).map(isWholeSegmentName) ?? false
    }

    /// The path under the HLS root of `file` in the same rendition folder (nil for the master).
    func besides(_ file: String) -> String? {
        switch kind {
        case .master, .download: return nil
        case let .mediaPlaylist(rendition), let .segment(rendition, _), let .initSegment(rendition, _):
            return "\(playbackID)/\(rendition)/\(file)"
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || isDigit(byte)
    }
}
