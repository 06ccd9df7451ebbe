// One media playlist of a finished show, read back as lines, to cut clips from it: the header, and
// per segment the tag lines before its URI (PROGRAM-DATE-TIME, EXTINF). Works on the text the
// pipeline wrote rather than on the pipeline's values, so clips need nothing from a running job.
import Foundation
import VitrineHLS

struct ShowPlaylist {
    /// A three-hour show of 2 s segments lists about 1 MiB; what a job process wrote is bounded.
    static let maxBytes = 16 << 20
    let path: String
    /// Everything before the first segment: version, target duration, map, DATERANGEs.
    private(set) var header: [String] = []
    /// Per segment: its tag lines and, last, its URI.
    private(set) var blocks: [[String]] = []
    private(set) var durations: [Double] = []
    private(set) var starts: [Double] = []

    /// `origin` is the date of timeline second 0 (cards count from it): segment starts are then
    /// read from PROGRAM-DATE-TIME, which places the first segment before 0 by the AAC priming;
    /// without it, from the sum of the durations.
    init(path: String, origin: Date? = nil) throws {
        self.path = path
        let text = try BoundedFile.text(at: path, what: "a media playlist", maxBytes: Self.maxBytes)
        var pending: [String] = []
        var duration: Double?
        var clock = 0.0
        var date: Date?
        for line in text.split(separator: "\n").map(String.init) where line != "#EXT-X-ENDLIST" {
            if line.hasPrefix("#EXTINF:") {
                duration = Double(line.dropFirst(8).split(separator: ",").first ?? "")
                pending.append(line)
            } else if line.hasPrefix("#EXT-X-PROGRAM-DATE-TIME:") {
                date = ProgramDateTime.parse(String(line.dropFirst("#EXT-X-PROGRAM-DATE-TIME:".count)))
                pending.append(line)
            } else if line == "#EXT-X-DISCONTINUITY" {
                pending.append(line)
            } else if line.hasPrefix("#") {
                if blocks.isEmpty && pending.isEmpty { header.append(line) } else { pending.append(line) }
            } else if let d = duration {
                blocks.append(pending + [line])
                durations.append(d)
                if let origin, let date { clock = date.timeIntervalSince(origin) }
                starts.append(clock)
                clock += d
                pending = []
                duration = nil
                date = nil
            }
        }
        guard !blocks.isEmpty else { throw TranscodeError.internalFailure("clips: \(path) lists no segment") }
    }

    var end: Double { (starts.last ?? 0) + (durations.last ?? 0) }

    /// Indices of the segments overlapping [start, end): the clip starts on the keyframe at or
    /// before `start` and ends at the first segment boundary at or after `end`.
    func segments(covering start: Double, _ end: Double) -> [Int] {
        // Dates have millisecond precision; segments last whole frames, far more than this.
        let epsilon = 0.01
        return starts.indices.filter { starts[$0] < end - epsilon && starts[$0] + durations[$0] > start + epsilon }
    }

    /// Links (or copies) the picked segments and the init section into `folder` and writes their
    /// playlist there, keeping only the DATERANGE of `cardID`.
    func writeClip(segments range: ClosedRange<Int>, cardID: String, into folder: String, playlistName: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let source = (path as NSString).deletingLastPathComponent
        // A live window names its init section where it changes: the clip's is the one in effect
        // at its first segment.
        let map = (header + Array(blocks[..<range.lowerBound].joined())).last { $0.hasPrefix("#EXT-X-MAP:") }
        var lines: [String] = []
        for line in header where !Self.liveOnly(line) {
            if line.hasPrefix("#EXT-X-DATERANGE:") {
                // The card's ranges: its own and its revisions' (ID~r2) and states' (ID~ended).
                guard line.contains("ID=\"\(cardID)\"") || line.contains("ID=\"\(cardID)~") else { continue }
            }
            if line.hasPrefix("#EXT-X-MAP:") {
                try placeMap(map ?? line, from: source, to: folder)
                lines.append(map ?? line)
                continue
            }
            lines.append(line.hasPrefix("#EXT-X-MEDIA-SEQUENCE:") ? "#EXT-X-MEDIA-SEQUENCE:0" : line)
        }
        for index in range {
            let block = blocks[index].filter { !Self.liveOnly($0) }
            try Self.place(block.last!, from: source, to: folder)
            for line in block where line.hasPrefix("#EXT-X-MAP:") { try placeMap(line, from: source, to: folder) }
            // A clip starts on a fresh timeline: a discontinuity (or the map already in its
            // header) before its first segment means nothing.
            lines += index == range.lowerBound ? block.filter { $0 != "#EXT-X-DISCONTINUITY" && !$0.hasPrefix("#EXT-X-MAP:") } : block
        }
        lines.append("#EXT-X-ENDLIST")
        try AtomicFileWriter.write(lines.joined(separator: "\n") + "\n", to: (folder as NSString).appendingPathComponent(playlistName))
    }

    /// Tags that make sense only in a live window (a clip is a finished VOD): where to start
    /// near the live edge, parts and their hints, blocking reloads, other renditions' edges.
    static func liveOnly(_ line: String) -> Bool {
        ["#EXT-X-START:", "#EXT-X-SERVER-CONTROL:", "#EXT-X-PART-INF:", "#EXT-X-PART:", "#EXT-X-PRELOAD-HINT:",
         "#EXT-X-RENDITION-REPORT:", "#EXT-X-SKIP:"].contains { line.hasPrefix($0) }
    }

    private func placeMap(_ line: String, from source: String, to folder: String) throws {
        guard let uri = line.split(separator: "\"").dropFirst().first else { return }
        try Self.place(String(uri), from: source, to: folder)
    }

    /// Hard link when the clip sits on the same file system as the show (it always does unless
    /// someone mounted clips/ elsewhere), else a copy. Only a name Vitrine writes: the playlist
    /// came from a job process, and a name like "../../keys.json" must not become a path.
    private static func place(_ name: String, from source: String, to folder: String) throws {
        guard HLSFileNames.isRenditionFile(Substring(name)) else {
            throw TranscodeError.internalFailure("clips: unexpected segment name \(name) in \(source)")
        }
        let from = (source as NSString).appendingPathComponent(name)
        let to = (folder as NSString).appendingPathComponent(name)
        if link(from, to) == 0 { return }
        do {
            try FileManager.default.copyItem(atPath: from, toPath: to)
        } catch {
            throw TranscodeError.unwritableOutput("clips: cannot copy \(from) to \(to): \(error.localizedDescription)")
        }
    }
}
