// The ABR ladder: rungs parsed from `720p:3000k,...` or chosen from the source, then sized to
// the source's displayed shape (rotation and pixel aspect applied), never upscaled, always even.
import Foundation

/// A requested rung: a short-side size ("720p") or an exact size, and a target bitrate.
public struct Rung: Equatable, Sendable, Codable {
    public enum Size: Equatable, Sendable, Codable {
        case shortSide(Int)
        case exact(width: Int, height: Int)
    }

    public var size: Size
    public var bitrate: Int

    public init(size: Size, bitrate: Int) {
        self.size = size
        self.bitrate = bitrate
    }
}

/// A rung fitted to a source: what one rendition encodes.
public struct RenditionSpec: Equatable, Sendable, Codable {
    public var name: String
    public var width: Int
    public var height: Int
    public var bitrate: Int
    /// High for 480p and up; Main for small rungs, which older devices need.
    public var profile: String

    public init(name: String, width: Int, height: Int, bitrate: Int, profile: String) {
        self.name = name
        self.width = width
        self.height = height
        self.bitrate = bitrate
        self.profile = profile
    }
}

public enum Ladder {
    /// The longest side a rung may have, given or fitted: what x264 and players take everywhere.
    public static let maxSide = 4096

    /// The standard rungs, largest first: short side and bitrate.
    public static let standard: [(shortSide: Int, bitrate: Int)] = [
        (1080, 5_000_000), (720, 3_000_000), (480, 1_400_000), (360, 800_000), (240, 400_000),
    ]

    /// Parses `720p:3000k,480p:1400k` or `1280x720:3M`; throws naming the piece that is wrong.
    public static func parse(_ text: String) throws -> [Rung] {
        let pieces = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw TranscodeError.invalidArgument("--ladder is empty: expected e.g. 720p:3000k,480p:1400k")
        }
        return try pieces.enumerated().map { index, piece in
            let parts = piece.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw TranscodeError.invalidArgument("--ladder rung \(index + 1) '\(piece)': expected SIZE:BITRATE such as 720p:3000k")
            }
            guard let size = parseSize(String(parts[0])) else {
                throw TranscodeError.invalidArgument("--ladder rung \(index + 1) '\(piece)': size '\(parts[0])' is not like 720p or 1280x720 (even numbers from 16 to 4096)")
            }
            guard let bitrate = parseBitrate(String(parts[1])) else {
                throw TranscodeError.invalidArgument("--ladder rung \(index + 1) '\(piece)': bitrate '\(parts[1])' is not like 3000k or 3M (100k to 50M)")
            }
            return Rung(size: size, bitrate: bitrate)
        }
    }

    static func parseSize(_ text: String) -> Rung.Size? {
        let lower = text.lowercased()
        if lower.hasSuffix("p"), let value = Int(lower.dropLast()), valid(value) {
            return .shortSide(value)
        }
        let wh = lower.split(separator: "x")
        if wh.count == 2, let w = Int(wh[0]), let h = Int(wh[1]), valid(w), valid(h) {
            return .exact(width: w, height: h)
        }
        return nil
    }

    private static func valid(_ value: Int) -> Bool { value >= 16 && value <= maxSide && value % 2 == 0 }

    static func parseBitrate(_ text: String) -> Int? {
        let lower = text.lowercased()
        let multiplier: Double
        var digits = Substring(lower)
        if lower.hasSuffix("k") { multiplier = 1_000; digits = digits.dropLast() }
        else if lower.hasSuffix("m") { multiplier = 1_000_000; digits = digits.dropLast() }
        else { multiplier = 1 }
        // The range is checked on the Double: Int() of "1e300k" would trap.
        guard let value = Double(digits), (100_000...50_000_000).contains(value * multiplier) else { return nil }
        return Int(value * multiplier)
    }

    /// Standard rungs at or below the source's short side; a source smaller than the smallest
    /// rung gets one rung at its own size.
    public static func defaultRungs(displayWidth: Int, displayHeight: Int) -> [Rung] {
        let short = min(displayWidth, displayHeight)
        let fitting = standard.filter { $0.shortSide <= short }
        if fitting.isEmpty {
            return [Rung(size: .shortSide(max(16, short / 2 * 2)), bitrate: 300_000)]
        }
        return fitting.map { Rung(size: .shortSide($0.shortSide), bitrate: $0.bitrate) }
    }

    /// Fits rungs to the displayed size: short-side rungs keep the display aspect ratio (portrait
    /// stays portrait); nothing is scaled up; a very wide or tall shape is scaled down to fit
    /// `maxSide`; duplicates after clamping are dropped.
    public static func resolve(_ rungs: [Rung], displayWidth: Int, displayHeight: Int) -> [RenditionSpec] {
        let displayWidth = max(1, displayWidth), displayHeight = max(1, displayHeight)
        let aspect = Double(displayWidth) / Double(displayHeight)
        var specs: [RenditionSpec] = []
        for rung in rungs {
            // Sized as Doubles and fitted to maxSide before Int(): an extreme aspect would trap.
            var (wd, hd): (Double, Double)
            switch rung.size {
            case let .shortSide(short):
                let s = Double(min(short, min(displayWidth, displayHeight)))
                (wd, hd) = aspect >= 1 ? (s * aspect, s) : (s, s / aspect)
            case let .exact(width, height):
                let scale = min(1, Double(displayWidth) / Double(width), Double(displayHeight) / Double(height))
                (wd, hd) = (Double(width) * scale, Double(height) * scale)
            }
            let fit = min(1, Double(maxSide) / max(wd, hd))
            let (w, h) = (min(maxSide, even(wd * fit)), min(maxSide, even(hd * fit)))
            let short = min(w, h)
            var name = "\(short)p"
            if specs.contains(where: { $0.width == w && $0.height == h }) { continue }
            if specs.contains(where: { $0.name == name }) { name += "_\(rung.bitrate / 1000)k" }
            specs.append(RenditionSpec(name: name, width: w, height: h, bitrate: rung.bitrate,
                                       profile: short >= 480 ? "high" : "main"))
        }
        return specs
    }

    private static func even(_ value: Double) -> Int { max(2, Int((value / 2).rounded()) * 2) }
}
