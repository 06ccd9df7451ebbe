// Helpers for the cards end-to-end tests: the two shared transcodes, luma frames decoded by the
// ffmpeg CLI, cards files written into scratch folders, and the bad cards files.
import Foundation
import Testing

/// The bundled show transcoded once with cards and once without, shared by the pixel and playlist
/// tests (each transcode takes seconds in a debug build).
final class CardRuns: Sendable {
    static let shared = Result { try CardRuns() }
    static let ladder = "720p:3000k,360p:800k"

    let withCards: String
    let withoutCards: String

    private init() throws {
        let dir = try Paths.scratch("cardruns")
        try CardFixture.write(to: dir, cards: [CardFixture.shirt, CardFixture.tote])
        withCards = "\(dir)/with"
        withoutCards = "\(dir)/without"
        let common = [Paths.fixture("show-720p.mp4"), "--ladder", Self.ladder, "--preset", "ultrafast", "--json"]
        let with = try vitrine(["transcode"] + common + ["-o", withCards, "--cards", "\(dir)/cards.json"])
        guard with.status == 0 else { throw RunFailed(message: "with cards: \(with.stderr)") }
        let without = try vitrine(["transcode"] + common + ["-o", withoutCards])
        guard without.status == 0 else { throw RunFailed(message: "without cards: \(without.stderr)") }
    }

    struct RunFailed: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

/// A rectangle as fractions of the frame, so one region fits every rung.
struct Region {
    var x0, x1, y0, y1: Double
}

/// Luma planes of some frames (by decode index) of a playlist, decoded by the ffmpeg CLI to
/// yuv420p (not gray, which would stretch limited-range luma to full range).
struct LumaFrames {
    let width: Int
    let height: Int
    private var planes: [Int: ArraySlice<UInt8>] = [:]

    init(_ playlist: String, indices: [Int], width: Int, height: Int) throws {
        self.width = width
        self.height = height
        let sorted = Array(Set(indices)).sorted()
        let select = "select=" + sorted.map { "eq(n\\,\($0))" }.joined(separator: "+") + ",format=yuv420p"
        let raw = FileManager.default.temporaryDirectory.appendingPathComponent("vitrine-luma-\(UUID().uuidString).gray").path
        defer { unlink(raw) }
        let result = try run("ffmpeg", ["-v", "error", "-y", "-i", playlist, "-an", "-vf", select, "-fps_mode", "passthrough",
                                        "-f", "rawvideo", raw])
        #expect(result.status == 0, "ffmpeg could not decode \(playlist): \(result.stderr)")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: raw)))
        let frameSize = width * height * 3 / 2
        #expect(bytes.count == frameSize * sorted.count, "\(playlist): got \(bytes.count / max(1, frameSize)) of \(sorted.count) frames")
        for (i, index) in sorted.enumerated() where (i + 1) * frameSize <= bytes.count {
            planes[index] = bytes[(i * frameSize)..<(i * frameSize + width * height)]
        }
    }

    /// Mean luma of one frame over `region`.
    func meanLuma(frame: Int, in region: Region) -> Double {
        guard let plane = planes[frame] else {
            Issue.record("frame \(frame) was not decoded")
            return .nan
        }
        let xs = Int(region.x0 * Double(width))..<Int(region.x1 * Double(width))
        let ys = Int(region.y0 * Double(height))..<Int(region.y1 * Double(height))
        var sum = 0
        for y in ys { for x in xs { sum += Int(plane[plane.startIndex + y * width + x]) } }
        return Double(sum) / Double(xs.count * ys.count)
    }

    /// Mean absolute luma difference between the same frame of two decodes, over `region`.
    func meanDifference(to other: LumaFrames, frame: Int, in region: Region) -> Double {
        guard let a = planes[frame], let b = other.planes[frame], width == other.width, height == other.height else {
            Issue.record("frame \(frame) was not decoded")
            return .nan
        }
        let xs = Int(region.x0 * Double(width))..<Int(region.x1 * Double(width))
        let ys = Int(region.y0 * Double(height))..<Int(region.y1 * Double(height))
        var sum = 0
        for y in ys {
            for x in xs {
                let offset = y * width + x
                sum += abs(Int(a[a.startIndex + offset]) - Int(b[b.startIndex + offset]))
            }
        }
        return Double(sum) / Double(xs.count * ys.count)
    }
}

/// EXT-X-PROGRAM-DATE-TIME and START-DATE text (ISO 8601 with milliseconds).
enum ProgramDate {
    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}

/// Cards files for the tests, written next to a copy of the fixture image they use.
enum CardFixture {
    /// A product card (no animation, so it is fully there from its first frame) whose sku needs
    /// percent-encoding in the DATERANGE.
    static let shirt: [String: Any] = [
        "id": "shirt", "sku": "TEE 41/BLUE", "kind": "productCard", "title": "Camiseta Azul", "image": "sneaker.png",
        "price": ["amount": "129.90", "currency": "BRL", "locale": "pt-BR"],
        "position": ["anchor": "bottomLeft", "marginX": 0.04, "marginY": 0.06, "width": 0.3],
        "start": 1.0, "end": 3.0,
    ]
    /// An open-ended price tag: its DATERANGE lasts until the end of the media.
    /// The tote as an operator pushes it to a running show: shown from now on.
    static var deal: [String: Any] {
        var deal = tote
        deal["id"] = "deal"
        deal.removeValue(forKey: "start")
        return deal
    }
    static let tote: [String: Any] = [
        "id": "tote", "sku": "BAG-0007", "kind": "priceTag",
        "price": ["amount": "19.99", "currency": "EUR", "locale": "fr-FR"],
        "position": ["anchor": "topRight", "marginX": 0.04, "marginY": 0.06, "width": 0.25],
        // Opaque and saturated red: its luma tells BT.709 (about 57) from BT.601 (about 73).
        "theme": ["background": "#E00000"],
        "start": 4.0,
    ]

    static func banner(start: Double) -> [String: Any] {
        ["id": "coupon", "sku": "CPN-10", "kind": "banner", "text": "VITRINE10", "start": start]
    }

    /// Writes `dir/cards.json` (one field per line) and copies the fixture images beside it.
    @discardableResult
    static func write(to dir: String, cards: [[String: Any]]) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: ["cards": cards], options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: "\(dir)/cards.json"))
        let image = Paths.root.appendingPathComponent("Fixtures/cards/sneaker.png").path
        if !FileManager.default.fileExists(atPath: "\(dir)/sneaker.png") {
            try FileManager.default.copyItem(atPath: image, toPath: "\(dir)/sneaker.png")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Every kind of bad cards file the issue lists, and what its one error line must say.
enum BadCards: String, CaseIterable, CustomTestStringConvertible {
    case notJSON, wrongType, unknownCurrency, missingImage, corruptImage, endBeforeStart, positionOutsideFrame, noFile

    var testDescription: String { rawValue }

    /// The card each case breaks, with one field changed.
    private var card: [String: Any] {
        var card = CardFixture.shirt
        switch self {
        case .wrongType: card["price"] = ["amount": 129.9, "currency": "BRL", "locale": "pt-BR"]
        case .unknownCurrency: card["price"] = ["amount": "19.99", "currency": "EUX", "locale": "fr-FR"]
        case .missingImage: card["image"] = "nope.png"
        case .corruptImage: card["image"] = "broken.png"
        case .endBeforeStart: card["start"] = 3.0; card["end"] = 2.0
        case .positionOutsideFrame: card["position"] = ["anchor": "bottomLeft", "marginX": 1.5]
        case .notJSON, .noFile: break
        }
        return card
    }

    /// Writes the bad file into `dir`; returns the line the error must name, if it can name one.
    func write(to dir: String) throws -> Int? {
        switch self {
        case .noFile:
            return nil
        case .notJSON:
            // A presenter's hand edit: a trailing comma and a missing bracket on line 4.
            let text = "{\n  \"cards\": [\n    { \"id\": \"shirt\", \"sku\": \"TEE-41\",\n      \"kind\": \"banner\" \"text\": \"x\" }\n  ]\n}\n"
            try Data(text.utf8).write(to: URL(fileURLWithPath: "\(dir)/cards.json"))
            return 4
        default:
            let text = try CardFixture.write(to: dir, cards: [card])
            if self == .corruptImage {
                // A PNG signature followed by junk: the decoder, not the file check, refuses it.
                let bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array("not really a picture".utf8)
                try Data(bytes).write(to: URL(fileURLWithPath: "\(dir)/broken.png"))
            }
            // Validation errors name the line of the offending field too.
            guard let field = lineField else { return nil }
            return text.split(separator: "\n", omittingEmptySubsequences: false)
                .firstIndex { $0.contains("\"\(field)\"") }.map { $0 + 1 }
        }
    }

    /// The key whose line the error must name (the JSON is written with one field per line).
    private var lineField: String? {
        switch self {
        case .wrongType: return "amount"
        case .unknownCurrency: return "currency"
        case .missingImage, .corruptImage: return "image"
        case .endBeforeStart: return "end"
        case .positionOutsideFrame: return "marginX"
        case .notJSON, .noFile: return nil
        }
    }

    /// Substrings of the error line (besides the file's path).
    func expected(line number: Int?) -> [String] {
        let line = number.map { ["line \($0)"] } ?? []
        switch self {
        case .notJSON: return ["not valid JSON"] + line
        case .wrongType: return ["cards[0].price.amount", "expected a string"] + line
        case .unknownCurrency: return ["cards[0].price.currency", "unknown currency \"EUX\""] + line
        case .missingImage: return ["cards[0].image", "nope.png", "file not found"] + line
        case .corruptImage: return ["cards[0].image", "broken.png"] + line
        case .endBeforeStart: return ["cards[0].end", "not after start"] + line
        case .positionOutsideFrame: return ["cards[0].position.marginX", "outside the frame"] + line
        case .noFile: return ["file not found"]
        }
    }
}
