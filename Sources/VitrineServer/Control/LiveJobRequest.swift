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
        ladder = try JobRequestFields.ladder(body)
        segmentDuration = try JobRequestFields.segmentDuration(body)
        cards = try JobRequestFields.cards(body, imagesDirectory: imagesDirectory)
    }

    func binding(jobID: String, imagesDirectory: String) throws -> LiveJobBinding {
        let cards = try self.cards.map { try JobRequestFields.loadCards($0, imagesDirectory: imagesDirectory, origin: Date()) } ?? []
        return LiveJobBinding(jobID: jobID, rungs: try ladder.map(Ladder.parse), segmentDuration: segmentDuration, cards: cards,
                              cardsFile: self.cards)
    }
}
