// A live window read back from the playlist a previous process wrote, so a restarted server can
// continue a show whose process died: same media and discontinuity sequences, the same segments
// still listed, and the next segment after a discontinuity. Only our own playlists are read
// (they are files in our data folder), but every number is still checked: a damaged file gives
// nil, never a trap, and the caller starts a fresh window after it.
import Foundation

public struct LeftoverPlaylist: Equatable, Sendable {
    public var mediaSequence: Int
    public var discontinuitySequence: Int
    public var targetDuration: Int
    public var segments: [MediaPlaylist.Segment]
    public var ended: Bool

    /// The sequence number the next segment would get.
    public var nextSequence: Int { mediaSequence + segments.count }
    public var totalDuration: Double { segments.reduce(0) { $0 + $1.duration } }

    /// Parses a media playlist; nil when it is not one we could have written.
    public init?(text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }
        guard lines.first == "#EXTM3U" else { return nil }
        var media = 0, discontinuities = 0, target = 1
        var segments: [MediaPlaylist.Segment] = []
        var duration: Double?
        var discontinuity = false
        var date: Date?
        var map: String?
        var ended = false
        func number(_ line: String, _ tag: String) -> Int? {
            Int(line.dropFirst(tag.count)).flatMap { (0...Int(Int32.max)).contains($0) ? $0 : nil }
        }
        for line in lines.dropFirst() {
            if line.hasPrefix("#EXT-X-MEDIA-SEQUENCE:") {
                guard let value = number(line, "#EXT-X-MEDIA-SEQUENCE:") else { return nil }
                media = value
            } else if line.hasPrefix("#EXT-X-DISCONTINUITY-SEQUENCE:") {
                guard let value = number(line, "#EXT-X-DISCONTINUITY-SEQUENCE:") else { return nil }
                discontinuities = value
            } else if line.hasPrefix("#EXT-X-TARGETDURATION:") {
                guard let value = number(line, "#EXT-X-TARGETDURATION:"), value <= 3600 else { return nil }
                target = value
            } else if line == "#EXT-X-DISCONTINUITY" {
                discontinuity = true
            } else if line.hasPrefix("#EXT-X-MAP:URI=\""), line.hasSuffix("\"") {
                // Our own init names only: one path component, and short.
                let uri = String(line.dropFirst(16).dropLast())
                guard !uri.isEmpty, !uri.contains("/"), uri.utf8.count <= 255 else { return nil }
                map = uri
            } else if line.hasPrefix("#EXT-X-PROGRAM-DATE-TIME:") {
                date = ProgramDateTime.parse(String(line.dropFirst(25)))
            } else if line.hasPrefix("#EXTINF:") {
                guard let value = Double(line.dropFirst(8).split(separator: ",").first ?? ""), value.isFinite,
                      (0...3600).contains(value) else { return nil }
                duration = value
            } else if line == "#EXT-X-ENDLIST" {
                ended = true
            } else if !line.hasPrefix("#") {
                guard let seconds = duration, !line.contains("/"), line.utf8.count <= 255 else { return nil }
                segments.append(.init(uri: line, duration: seconds, discontinuity: discontinuity, programDateTime: date, map: map))
                duration = nil
                discontinuity = false
                date = nil
            }
        }
        guard segments.count <= 10_000 else { return nil }
        mediaSequence = media
        discontinuitySequence = discontinuities
        targetDuration = target
        self.segments = segments
        self.ended = ended
    }

    /// Larger than any playlist we write; a bigger file is not ours to parse.
    public static let maxBytes = 4 << 20

    public init?(path: String) {
        guard let data = FileManager.default.contents(atPath: path), data.count <= Self.maxBytes else { return nil }
        self.init(text: String(decoding: data, as: UTF8.self))
    }
}

extension LeftoverPlaylist {
    /// A playlist left live, ended for good: its text with EXT-X-ENDLIST after it, so players
    /// stop waiting for a show nobody runs. nil when the text is not a leftover or already ended.
    public static func ending(_ text: String) -> String? {
        guard let leftover = LeftoverPlaylist(text: text), !leftover.ended else { return nil }
        return text + (text.hasSuffix("\n") ? "" : "\n") + "#EXT-X-ENDLIST\n"
    }
}

extension LiveWindow {
    /// The window a dead process left: its segments listed again (the last `listSize`), the
    /// sequences kept, open for the next segment.
    public init(continuing leftover: LeftoverPlaylist, listSize: Int, version: Int = 3) {
        self.init(listSize: listSize, version: version, firstSequence: leftover.mediaSequence)
        restore(discontinuitySequence: leftover.discontinuitySequence)
        for segment in leftover.segments {
            appendRestored(segment)
        }
    }
}

extension LiveWindow {
    /// A fresh window after a playlist that ended: numbering goes on after it, and its
    /// discontinuities count in the discontinuity sequence, as if they had slid out.
    public init(after leftover: LeftoverPlaylist, listSize: Int, version: Int = 3) {
        self.init(listSize: listSize, version: version, firstSequence: leftover.nextSequence)
        restore(discontinuitySequence: leftover.discontinuitySequence + leftover.segments.filter(\.discontinuity).count)
    }
}
