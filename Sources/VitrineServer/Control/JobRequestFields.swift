// The body fields file jobs and key-bound live jobs share, each checked once with the same
// message: ladder, segment duration and a cards timeline.
import Foundation
import VitrineOverlay
import VitrinePipeline

enum JobRequestFields {
    static func ladder(_ body: [String: Any]) throws -> String? {
        guard let ladder = try FileJobRequest.string(body, "ladder") else { return nil }
        do { _ = try Ladder.parse(ladder) } catch { throw APIError.badRequest("ladder: \(error)", field: "ladder") }
        return ladder
    }

    static func segmentDuration(_ body: [String: Any]) throws -> Double? {
        guard let value = body["segmentDuration"] else { return nil }
        guard let number = value as? NSNumber, !(value is Bool), (1...10).contains(number.doubleValue) else {
            throw APIError.badRequest("segmentDuration: expected 1 to 10 seconds", field: "segmentDuration")
        }
        return number.doubleValue
    }

    /// The `cards` array as the JSON text of a cards file, validated (images included).
    static func cards(_ body: [String: Any], imagesDirectory: String) throws -> String? {
        guard let value = body["cards"] else { return nil }
        guard let list = value as? [Any] else { throw APIError.badRequest("cards: expected an array of cards", field: "cards") }
        let data = try JSONSerialization.data(withJSONObject: ["cards": list])
        do {
            _ = try loadCards(String(decoding: data, as: UTF8.self), imagesDirectory: imagesDirectory, origin: Date())
        } catch {
            throw APIError.badRequest("\(error)", field: "cards")
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func loadCards(_ text: String, imagesDirectory: String, origin: Date) throws -> [ResolvedCard] {
        try CardsFile.load(Data(text.utf8), imageDirectory: URL(fileURLWithPath: imagesDirectory), wallClockOrigin: origin)
    }
}
