// A product image sent with a card (`imageBase64`), kept in DATA/images under a fresh name so the
// card's `image` field can name it. Size and picture limits are checked when the card is
// validated (413 past them); here only the transport: valid base64 of a PNG, JPEG or WebP. A card
// that is refused takes its upload with it, so refused pictures never pile up on disk.
import Foundation
import Hummingbird
import VitrineHLS
import VitrinePipeline

struct CardImageUpload: Sendable {
    let path: String

    /// Removes the stored picture (its card was refused).
    func discard() { unlink(path) }

    /// Stores `imageBase64` and names it in `body`; nil when the body carries no picture.
    @discardableResult
    static func store(_ body: inout [String: Any], in directory: String) async throws -> CardImageUpload? {
        guard let value = body.removeValue(forKey: "imageBase64") else { return nil }
        guard let text = value as? String else { throw APIError.badRequest("imageBase64: not valid base64", field: "imageBase64") }
        // Decoding megabytes of base64 and writing the file are blocking work.
        let upload = try await OffPool.run { try decodeAndKeep(text, in: directory) }
        body["image"] = (upload.path as NSString).lastPathComponent
        return upload
    }

    private static func decodeAndKeep(_ text: String, in directory: String) throws -> CardImageUpload {
        guard let bytes = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
            throw APIError.badRequest("imageBase64: not valid base64", field: "imageBase64")
        }
        guard let ext = kind(of: bytes) else {
            throw APIError.badRequest("imageBase64: not a PNG, JPEG or WebP picture", field: "imageBase64")
        }
        let name = "upload-\(PlaybackIDs.makeID()).\(ext)"
        let path = (directory as NSString).appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try AtomicFileWriter.write(Array(bytes), to: path)
        } catch {
            throw APIError(HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage"), "cannot keep the card image: \(error)")
        }
        return CardImageUpload(path: path)
    }

    /// The file type from its first bytes.
    static func kind(of bytes: Data) -> String? {
        let head = Array(bytes.prefix(12))
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "png" }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return "jpg" }
        if head.count == 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8) { return "webp" }
        return nil
    }
}
