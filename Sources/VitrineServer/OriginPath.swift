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
        case 5 where HLSFileNames.isRenditionName(parts[3]):
            let rendition = String(parts[3])
            let file = parts[4]
            if file == "index.m3u8" {
                kind = .mediaPlaylist(rendition: rendition)
            } else if InitSegmentName.isWellFormed(file) {
                kind = .initSegment(rendition: rendition, file: String(file))
            } else if HLSFileNames.isSegmentName(file) {
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

    /// The path under the HLS root of `file` in the same rendition folder (nil for the master).
    func besides(_ file: String) -> String? {
        switch kind {
        case .master, .download: return nil
        case let .mediaPlaylist(rendition), let .segment(rendition, _), let .initSegment(rendition, _):
            return "\(playbackID)/\(rendition)/\(file)"
        }
    }
}
