// ReportJSONFile.swift - the JSON files a job leaves beside its HLS for the report (show record,
// audience, live clips): written atomically with ISO 8601 dates and sorted keys, read back only
// when they are regular files within a size bound.
import Foundation
import VitrineHLS

enum ReportJSONFile {
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    static func write<T: Encodable>(_ value: T, to path: String) throws {
        try AtomicFileWriter.write([UInt8](try encoder.encode(value)), to: path)
    }

    /// The decoded file, or nil when there is none; `what` names it in the error for anything
    /// else than a regular file of at most `maxBytes`.
    static func read<T: Decodable>(_ type: T.Type, at path: String, what: String, maxBytes: Int) throws -> T? {
        guard let data = try BoundedFile.data(at: path, what: what, maxBytes: maxBytes) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: data)
    }
}
