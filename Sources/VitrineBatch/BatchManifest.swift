// `vitrine batch --manifest batch.json`: per-file ladder, cards, output and clips, for a replay
// batch where each show needs something different (another currency, cards removed, clips).
//
//   { "output": "replays",                       optional; default: the -o folder
//     "ladder": "720p:3000k,360p:800k",          optional defaults for every file
//     "clips": false,
//     "files": [ { "input": "rec/a.flv", "output": "replays/a-eur", "ladder": "480p:1400k",
//                  "cards": "timelines/a-eur.json", "clips": true }, ... ] }
//
// Relative paths resolve against the manifest's folder. A file's own field wins over the
// manifest's default, which wins over the command line.
import Foundation
import VitrinePipeline

public enum BatchManifest {
    struct File: Decodable {
        var input: String
        var output: String?
        var ladder: String?
        var cards: String?
        var clips: Bool?
        var segmentFormat: String?
    }

    struct Document: Decodable {
        var output: String?
        var ladder: String?
        var clips: Bool?
        var segmentFormat: String?
        var files: [File]
    }

    /// The specs of the manifest at `path`; every refusal names the manifest and what is wrong.
    public static func specs(path: String, defaults: BatchDefaults, outputGiven: Bool) throws -> (specs: [BatchJobSpec], outputRoot: String) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw TranscodeError.invalidArgument("--manifest \(path): cannot read it: \(error.localizedDescription)")
        }
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch let error as DecodingError {
            throw TranscodeError.invalidArgument("--manifest \(path): \(describe(error))")
        } catch {
            throw TranscodeError.invalidArgument("--manifest \(path): not valid JSON: \(error)")
        }
        guard !document.files.isEmpty else { throw TranscodeError.invalidArgument("--manifest \(path): \"files\" is empty") }
        let base = (BatchPlan.absolute(path) as NSString).deletingLastPathComponent
        let root = outputGiven || document.output == nil
            ? BatchPlan.absolute(defaults.outputRoot)
            : BatchPlan.absolute(document.output!, relativeTo: base)
        var specs: [BatchJobSpec] = []
        for (i, file) in document.files.enumerated() {
            let input = BatchPlan.absolute(file.input, relativeTo: base)
            let output = file.output.map { BatchPlan.absolute($0, relativeTo: base) }
                ?? (root as NSString).appendingPathComponent(BatchPlan.folderName(of: input))
            var cards = file.cards.map { BatchPlan.absolute($0, relativeTo: base) }
            if cards == nil, let dir = defaults.cardsDirectory {
                let candidate = BatchPlan.absolute((dir as NSString).appendingPathComponent(BatchPlan.folderName(of: input) + ".json"))
                if FileManager.default.fileExists(atPath: candidate) { cards = candidate }
            }
            if let cards, !FileManager.default.fileExists(atPath: cards) {
                throw TranscodeError.invalidArgument("--manifest \(path): files[\(i)].cards: \(cards) not found")
            }
            let spec = BatchJobSpec(input: input, output: output, ladder: file.ladder ?? document.ladder ?? defaults.ladder,
                                    cards: cards, clips: file.clips ?? document.clips ?? defaults.clips,
                                    segmentDuration: defaults.segmentDuration, preset: defaults.preset,
                                    segmentFormat: file.segmentFormat ?? document.segmentFormat ?? defaults.segmentFormat,
                                    threads: defaults.threads)
            do {
                try spec.validate()
            } catch let error as TranscodeError {
                throw TranscodeError.invalidArgument("--manifest \(path): files[\(i)]: \(error.description)")
            }
            specs.append(spec)
        }
        try BatchPlan.checkDistinct(specs, root: root)
        return (specs, root)
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let parts = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return parts.hasPrefix(".") ? String(parts.dropFirst()) : parts
        }
        switch error {
        case let .keyNotFound(key, context):
            let at = path(context)
            return "field \(at.isEmpty ? "" : at + ".")\(key.stringValue) is missing"
        case let .typeMismatch(type, context): return "field \(path(context)): expected \(type)"
        case let .valueNotFound(type, context): return "field \(path(context)): expected \(type), found null"
        case let .dataCorrupted(context): return "not valid JSON: \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
