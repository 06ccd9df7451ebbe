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
        // Lines end at every LF (RFC 8216bis 4.1), split as Unicode scalars: as Characters, a CR
        // before the LF, or a combining mark after it, would join two lines into one. A CR
        // ending a line (CRLF) is trimmed with the spaces; blank lines are ignored.
        let lines = text.unicodeScalars.split(separator: "\n").map { String(String.UnicodeScalarView($0)).trimmingCharacters(in: Self.padding) }
            .filter { !$0.isEmpty }
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
                let uri = String(line.dropFirst(16).dropLast())
                guard Self.isOwnName(uri) else { return nil }
                map = uri
            } else if line.hasPrefix("#EXT-X-PROGRAM-DATE-TIME:") {
                date = ProgramDateTime.parse(String(line.dropFirst(25)))
            } else if line.hasPrefix("#EXTINF:") {
                guard let value = Double(line.dropFirst(8).split(separator: ",").first ?? ""), value.isFinite,
                      (0...3600).contains(value) else { return nil }
                // To the microsecond, as MediaPlaylist renders it: a restored window lists what it read.
                duration = (value * 1e6).rounded() / 1e6
            } else if line == "#EXT-X-ENDLIST" {
                ended = true
            } else if !line.hasPrefix("#") {
                guard let seconds = duration, Self.isOwnName(line) else { return nil }
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

    private static let padding = CharacterSet.whitespaces.union(CharacterSet(charactersIn: "\r"))

    /// A segment or init file name as we write them: one path component, short, and printable
    /// ASCII only, so it renders back on a line of its own.
    static func isOwnName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 255 && !name.contains("/") && name.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// Larger than any playlist we write; a bigger file is not ours to parse.
    public static let maxBytes = 4 << 20

    public init?(path: String) {
        guard let data = try? BoundedRead.data(path, maxBytes: Self.maxBytes) else { return nil }
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
