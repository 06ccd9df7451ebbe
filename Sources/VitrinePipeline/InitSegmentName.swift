// The names an fMP4 rendition's init segment is stored under, made and recognised in one place:
// RenditionSink names them, the origin serves only what matches.
import Foundation

public enum InitSegmentName {
    /// A rendition's first init segment.
    public static let primary = "init.mp4"

    /// A later init whose bytes differ: "init-" and 8 lower-case hex digits of the bytes' FNV-1a
    /// hash, so the same init always gets the same name.
    public static func forChanged(_ bytes: [UInt8]) -> String {
        var hash: UInt32 = 0x811C_9DC5
        for byte in bytes { hash = (hash ^ UInt32(byte)) &* 0x0100_0193 }
        return String(format: "init-%08x.mp4", hash)
    }

    /// Whether `file` is a name this type makes.
    public static func isWellFormed(_ file: Substring) -> Bool {
        if file == primary { return true }
        guard file.utf8.count == 17, file.hasPrefix("init-"), file.hasSuffix(".mp4") else { return false }
        return file.dropFirst(5).prefix(8).utf8.allSatisfy {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
        }
    }
}
