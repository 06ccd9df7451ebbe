// POST /v1/jobs for a file: the body checked field by field before anything is queued, so a bad
// request costs nothing and its 400 names the field. The input must resolve (symlinks followed)
// to a file inside one of the configured input folders: the API never reads elsewhere.
import Foundation
import VitrineHLS
import VitrineJobs
import VitrineOverlay
import VitrinePipeline

struct FileJobRequest: Codable, Equatable {
    /// The resolved input path.
    var input: String
    var ladder: String?
    var format: String
    var segmentDuration: Double
    var preset: String
    /// Cards as in a cards file's "cards" array (docs/cards.md), JSON text; nil: none at start.
    var cards: String?

    /// Checks `body`; `inputFolders` are resolved absolute folders.
    init(body: [String: Any], inputFolders: [String], defaults: ServeConfiguration, imagesDirectory: String) throws {
        for key in body.keys where !["input", "ladder", "format", "segmentDuration", "preset", "cards"].contains(key) {
            throw APIError.badRequest("\(key): unknown field", field: key)
        }
        guard let path = body["input"] as? String, !path.isEmpty else {
            throw APIError.badRequest("input: required, the path of a media file inside an input folder", field: "input")
        }
        input = try Self.resolve(path, inside: inputFolders)
        ladder = try JobRequestFields.ladder(body) ?? defaults.ladder
        format = try Self.string(body, "format") ?? "ts"
        guard SegmentFormat(rawValue: format) != nil else { throw APIError.badRequest("format \(format): expected ts or fmp4", field: "format") }
        segmentDuration = try JobRequestFields.segmentDuration(body) ?? defaults.segmentDuration
        preset = try Self.string(body, "preset") ?? defaults.preset
        guard TranscodeSettings.presets.contains(preset) else {
            throw APIError.badRequest("preset \(preset): expected one of \(TranscodeSettings.presets.joined(separator: ", "))", field: "preset")
        }
        cards = try JobRequestFields.cards(body, imagesDirectory: imagesDirectory)
    }

    /// The order a job process runs this job with. Second 0 is when it starts; it always has a
    /// card timeline, since an operator may push cards onto any running job.
    func order(outputDirectory: String, imagesDirectory: String) -> FileJobOrder {
        var order = FileJobOrder(input: input, output: outputDirectory)
        order.ladder = ladder
        order.segmentFormat = format
        order.segmentDuration = segmentDuration
        order.preset = preset
        order.wallClockOrigin = Date()
        order.imagesDirectory = imagesDirectory
        order.cards = cards.map { .inline(json: $0) }
        return order
    }

    static func string(_ body: [String: Any], _ key: String) throws -> String? {
        guard let value = body[key] else { return nil }
        guard let text = value as? String else { throw APIError.badRequest("\(key): expected a string", field: key) }
        return text
    }

    /// The real path of `path` when it is a regular file inside one of `folders`.
    static func resolve(_ path: String, inside folders: [String]) throws -> String {
        guard path.utf8.count < 4096, !path.utf8.contains(0) else { throw APIError.badRequest("input: not a valid path", field: "input") }
        guard let real = realpath(path, nil) else {
            throw APIError.badRequest("input \(path): no such file", field: "input")
        }
        defer { free(real) }
        let resolved = String(cString: real)
        guard folders.contains(where: { resolved.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }) else {
            throw APIError.badRequest("input \(path): not inside an allowed input folder (\(folders.joined(separator: ", ")))", field: "input")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw APIError.badRequest("input \(path): is a folder, not a media file", field: "input")
        }
        guard TranscodeJob.isRegularFile(resolved) else {
            throw APIError.badRequest("input \(path): not a regular file (a FIFO, device or socket cannot be a recording)", field: "input")
        }
        return resolved
    }
}
