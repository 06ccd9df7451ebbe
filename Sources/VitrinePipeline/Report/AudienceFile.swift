// AudienceFile.swift - the viewers an origin counted for a stream, saved beside its HLS output
// (audience.json) so a report read offline (`vitrine report FOLDER`) has them too.
import Foundation
import VitrineHLS

public enum AudienceFile {
    public static let fileName = "audience.json"
    /// A saved audience is at most the origin's own caps (sessions x spans) of small entries.
    static let maxBytes = 64 << 20

    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    public static func write(_ presence: [ViewerPresence], to path: String) throws {
        try AtomicFileWriter.write([UInt8](try encoder.encode(presence)), to: path)
    }

    /// The saved audience, or none when the folder has no file.
    public static func read(_ path: String) throws -> [ViewerPresence] {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return [] }
        guard attributes[.type] as? FileAttributeType == .typeRegular, let size = attributes[.size] as? Int, size <= maxBytes else {
            throw TranscodeError.internalFailure("\(path) is not an audience file (not a regular file of at most \(maxBytes) bytes)")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode([ViewerPresence].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
