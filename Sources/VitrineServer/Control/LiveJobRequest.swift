// POST /v1/jobs for a stream key: a job waiting for the key's next publish, with its own ladder,
// segment duration and starting cards. Checked like a file job: each refusal names its field.
import Foundation
import VitrineMedia
import VitrineOverlay
import VitrinePipeline

struct LiveJobRequest: Codable, Equatable {
    var streamKey: String
    var ladder: String?
    var segmentDuration: Double?
    /// "low" or "normal": x264's share of the delay for this job.
    var latency: String?
    /// Cards as in a cards file's "cards" array, JSON text; their times count from the publish.
    var cards: String?

    init(body: [String: Any], imagesDirectory: String) throws {
        for key in body.keys where !["streamKey", "ladder", "segmentDuration", "cards", "format", "latency"].contains(key) {
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
        if let value = body["latency"] {
            guard let text = value as? String, EncoderLatency(rawValue: text) != nil else {
                throw APIError.badRequest("latency: expected low or normal", field: "latency")
            }
            latency = text
        }
        cards = try JobRequestFields.cards(body, imagesDirectory: imagesDirectory)
    }

    func binding(jobID: String, imagesDirectory: String) throws -> LiveJobBinding {
        let cards = try self.cards.map { try JobRequestFields.loadCards($0, imagesDirectory: imagesDirectory, origin: Date()) } ?? []
        var binding = LiveJobBinding(jobID: jobID, rungs: try ladder.map(Ladder.parse), segmentDuration: segmentDuration, cards: cards,
                                     cardsFile: self.cards)
        binding.latency = latency.flatMap(EncoderLatency.init(rawValue:))
        return binding
    }
}
