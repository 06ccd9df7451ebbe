// POST /v1/jobs for a stream key: a job waiting for the key's next publish, with its own ladder,
// segment duration and starting cards. Checked like a file job: each refusal names its field.
import Foundation
import VitrineOverlay
import VitrinePipeline

struct LiveJobRequest: Codable, Equatable {
    var streamKey: String
    var ladder: String?
    var segmentDuration: Double?
    /// Cards as in a cards file's "cards" array, JSON text; their times count from the publish.
    var cards: String?

    init(body: [String: Any], imagesDirectory: String) throws {
        for key in body.keys where !["streamKey", "ladder", "segmentDuration", "cards", "format"].contains(key) {
            throw APIError.badRequest("\(key): unknown field for a live job", field: key)
        }
        guard let key = body["streamKey"] as? String, !key.isEmpty else {
            throw APIError.badRequest("streamKey: expected a string", field: "streamKey")
        }
        streamKey = key
        if let format = body["format"] {
            guard format as? String == "ts" else { throw APIError.badRequest("format: live output is ts only", field: "format") }
        }
        ladder = try FileJobRequest.string(body, "ladder")
        if let ladder {
            do { _ = try Ladder.parse(ladder) } catch { throw APIError.badRequest("ladder: \(error)", field: "ladder") }
        }
        if let value = body["segmentDuration"] {
            guard let number = value as? NSNumber, !(value is Bool), (1...10).contains(number.doubleValue) else {
                throw APIError.badRequest("segmentDuration: expected 1 to 10 seconds", field: "segmentDuration")
            }
            segmentDuration = number.doubleValue
        }
        if let value = body["cards"] {
            guard let list = value as? [Any] else { throw APIError.badRequest("cards: expected an array of cards", field: "cards") }
            let data = try JSONSerialization.data(withJSONObject: ["cards": list])
            do {
                _ = try CardsFile.load(data, imageDirectory: URL(fileURLWithPath: imagesDirectory), wallClockOrigin: Date())
            } catch {
                throw APIError.badRequest("\(error)", field: "cards")
            }
            cards = String(decoding: data, as: UTF8.self)
        }
    }

    func binding(jobID: String, imagesDirectory: String) throws -> LiveJobBinding {
        let cards = try self.cards.map {
            try CardsFile.load(Data($0.utf8), imageDirectory: URL(fileURLWithPath: imagesDirectory), wallClockOrigin: Date())
        } ?? []
        return LiveJobBinding(jobID: jobID, rungs: try ladder.map(Ladder.parse), segmentDuration: segmentDuration, cards: cards)
    }
}
