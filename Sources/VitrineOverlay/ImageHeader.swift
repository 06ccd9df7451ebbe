// The picture size a PNG, JPEG or WebP file declares in its first bytes, read before FFmpeg sees
// the file: a small file can declare a picture of hundreds of megapixels (a decompression bomb),
// and this says so without inflating a single row. FFmpeg's max_pixels is the second guard.
import Foundation

enum ImageHeader {
    /// The declared width and height, or nil when the header is not one of the three (FFmpeg
    /// then decides, under max_pixels).
    static func size(of data: [UInt8]) -> (width: Int, height: Int)? {
        png(data) ?? webp(data) ?? jpeg(data)
    }

    static func size(ofFileAt path: String) -> (width: Int, height: Int)? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        // SOF markers come after the EXIF and colour profile segments, within the first 256 KiB.
        guard let bytes = try? handle.read(upToCount: 256 << 10) else { return nil }
        return size(of: [UInt8](bytes))
    }

    private static func be32(_ d: [UInt8], _ i: Int) -> Int { Int(d[i]) << 24 | Int(d[i + 1]) << 16 | Int(d[i + 2]) << 8 | Int(d[i + 3]) }
    private static func be16(_ d: [UInt8], _ i: Int) -> Int { Int(d[i]) << 8 | Int(d[i + 1]) }
    private static func le16(_ d: [UInt8], _ i: Int) -> Int { Int(d[i]) | Int(d[i + 1]) << 8 }
    private static func le24(_ d: [UInt8], _ i: Int) -> Int { Int(d[i]) | Int(d[i + 1]) << 8 | Int(d[i + 2]) << 16 }

    /// PNG: the signature, then IHDR's width and height.
    private static func png(_ d: [UInt8]) -> (Int, Int)? {
        guard d.count >= 24, d.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
              d[12...15].elementsEqual("IHDR".utf8) else { return nil }
        return (be32(d, 16), be32(d, 20))
    }

    /// WebP: RIFF....WEBP, then a VP8X canvas, a lossless VP8L or a lossy VP8 frame header.
    private static func webp(_ d: [UInt8]) -> (Int, Int)? {
        guard d.count >= 30, d[0...3].elementsEqual("RIFF".utf8), d[8...11].elementsEqual("WEBP".utf8) else { return nil }
        switch String(decoding: d[12...15], as: UTF8.self) {
        case "VP8X": return (le24(d, 24) + 1, le24(d, 27) + 1)
        case "VP8L":
            let bits = Int(d[21]) | Int(d[22]) << 8 | Int(d[23]) << 16 | Int(d[24]) << 24
            return ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
        case "VP8 ": return (le16(d, 26) & 0x3FFF, le16(d, 28) & 0x3FFF)
        default: return nil
        }
    }

    /// JPEG: walk the marker segments to the first start-of-frame.
    private static func jpeg(_ d: [UInt8]) -> (Int, Int)? {
        guard d.count >= 4, d[0] == 0xFF, d[1] == 0xD8 else { return nil }
        var i = 2
        while i + 9 < d.count {
            guard d[i] == 0xFF else { return nil }
            let marker = d[i + 1]
            if marker == 0xFF { i += 1; continue }
            let length = be16(d, i + 2)
            guard length >= 2 else { return nil }
            // SOF0...SOF15, except DHT (C4), JPG (C8) and DAC (CC).
            if (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker) {
                return (be16(d, i + 7), be16(d, i + 5))
            }
            i += 2 + length
        }
        return nil
    }
}
