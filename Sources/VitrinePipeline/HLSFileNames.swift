// The shapes of every name Vitrine writes under DATA/hls, in one place: the origin parses request
// targets with them, and the job supervisor confines the files a job process names with them, so
// neither a viewer nor a child can make a path out of anything else ("..", "/", escapes, hidden
// temp files).
public enum HLSFileNames {
    public static let master = "master.m3u8"
    public static let mediaPlaylist = "index.m3u8"
    /// A live rendition's delta update (_HLS_skip), kept beside its index.m3u8.
    public static let deltaPlaylist = "index.delta.m3u8"

    /// Ladder names: "720p", "360p_800k", "audio"; lower-case letters, digits and "_", starting
    /// with a letter or digit, short.
    public static func isRenditionName<S: StringProtocol>(_ text: S) -> Bool {
        guard let first = text.utf8.first, text.utf8.count <= 32, isLowerAlphanumeric(first) else { return false }
        return text.utf8.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "_") }
    }

    /// "seg_" + at least five decimal digits (the sequence, %05d) + ".ts" or ".m4s"; an LL-HLS part
    /// adds "." and its index (1 to 3 digits) before ".m4s".
    public static func isSegmentName(_ text: Substring) -> Bool {
        isWholeSegmentName(segment(ofPart: text) ?? text)
    }

    /// An LL-HLS part: "seg_NNNNN.K.m4s".
    public static func isPartName(_ file: String) -> Bool {
        segment(ofPart: Substring(file)).map(isWholeSegmentName) ?? false
    }

    /// A file Vitrine writes in a rendition's folder: its playlists, init segments, segments and parts.
    public static func isRenditionFile(_ file: Substring) -> Bool {
        file == mediaPlaylist || file == deltaPlaylist || InitSegmentName.isWellFormed(file) || isSegmentName(file)
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

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || isDigit(byte)
    }
}
