// AudienceFile.swift - the viewers an origin counted for a stream, saved beside its HLS output
// (audience.json) so a report read offline (`vitrine report FOLDER`) has them too.
import Foundation

public enum AudienceFile {
    public static let fileName = "audience.json"
    /// A saved audience is at most the origin's own caps (sessions x spans) of small entries.
    static let maxBytes = 64 << 20

    /// How report JSON is encoded (ISO 8601 dates, sorted keys), for whoever prints one.
    public static var encoder: JSONEncoder { ReportJSONFile.encoder }

    public static func write(_ presence: [ViewerPresence], to path: String) throws {
        try ReportJSONFile.write(presence, to: path)
    }

    /// The saved audience, or none when the folder has no file.
    public static func read(_ path: String) throws -> [ViewerPresence] {
        try ReportJSONFile.read([ViewerPresence].self, at: path, what: "an audience file", maxBytes: maxBytes) ?? []
    }
}
