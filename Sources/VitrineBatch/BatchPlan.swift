// Turns the command line (inputs, or a manifest) into job records with stable ids, so running the
// same command again finds the same jobs in the queue and skips or redoes them instead of adding
// new ones. Each input gets its own folder under the output root, named after the file.
import Foundation
import VitrinePipeline
import VitrineStore

public struct BatchDefaults: Sendable {
    public var outputRoot: String
    public var ladder: String?
    /// Folder holding one cards file per input, `NAME.json` for `NAME.flv`; an input without one
    /// gets no cards.
    public var cardsDirectory: String?
    public var clips = false
    public var segmentDuration: Double = 2
    public var preset = "veryfast"
    public var segmentFormat = "ts"
    public var threads: Int?

    public init(outputRoot: String) {
        self.outputRoot = outputRoot
    }
}

public enum BatchPlan {
    /// One spec per input with the defaults. Refuses two inputs that would write the same folder.
    public static func specs(inputs: [String], defaults: BatchDefaults) throws -> [BatchJobSpec] {
        let root = absolute(defaults.outputRoot)
        let specs = inputs.map { input -> BatchJobSpec in
            let path = absolute(input)
            let name = folderName(of: path)
            let cards = defaults.cardsDirectory.map { absolute(($0 as NSString).appendingPathComponent(name + ".json")) }
                .flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
            return BatchJobSpec(input: path, output: (root as NSString).appendingPathComponent(name), ladder: defaults.ladder,
                                cards: cards, clips: defaults.clips, segmentDuration: defaults.segmentDuration,
                                preset: defaults.preset, segmentFormat: defaults.segmentFormat, threads: defaults.threads)
        }
        try checkDistinct(specs, root: root)
        return specs
    }

    /// The job records for `specs` in `queue`, in the given order.
    public static func records(_ specs: [BatchJobSpec], queue: String) -> [JobRecord] {
        specs.map { JobRecord(id: jobID(input: $0.input, output: $0.output), kind: .file, source: $0.input,
                              outputDirectory: $0.output, queue: queue, spec: $0.encoded()) }
    }

    /// Stable across runs and machines: FNV-1a (64 bit) of the absolute input path and output
    /// folder. Swift's Hasher is seeded per process, so it cannot be used here.
    public static func jobID(input: String, output: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in Array(input.utf8) + [0] + Array(output.utf8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "batch-" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// `show.flv` -> `show`; a name made only of dots or empty becomes `input`.
    static func folderName(of path: String) -> String {
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return base.isEmpty || base.allSatisfy({ $0 == "." }) ? "input" : base
    }

    /// Two jobs writing one folder would delete each other's segments; the output root itself
    /// holds the queue database and every other job's folder, so no job may write there.
    static func checkDistinct(_ specs: [BatchJobSpec], root: String) throws {
        var seen: [String: String] = [:]
        for spec in specs {
            let folder = URL(fileURLWithPath: spec.output).standardizedFileURL.path
            if folder == URL(fileURLWithPath: root).standardizedFileURL.path {
                throw TranscodeError.invalidArgument("\(spec.input): its output \(spec.output) is the batch output folder itself; give it a folder of its own")
            }
            if let other = seen[folder] {
                throw TranscodeError.invalidArgument("\(other) and \(spec.input) would both write \(folder); rename one or use a manifest with its own output")
            }
            seen[folder] = spec.input
        }
    }

    static func absolute(_ path: String, relativeTo base: String = FileManager.default.currentDirectoryPath) -> String {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : URL(fileURLWithPath: base).appendingPathComponent(path)
        return url.standardizedFileURL.path
    }
}
