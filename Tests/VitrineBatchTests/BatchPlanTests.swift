// Batch planning: stable job ids, one folder per input, cards found by name, manifests with
// per-file settings, and refusals that name what is wrong.
import Foundation
import Testing
@testable import VitrineBatch
import VitrinePipeline

struct BatchPlanTests {
    private func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vitrine-plan-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func jobIDsAreStableAndDistinct() {
        let a = BatchPlan.jobID(input: "/rec/a.flv", output: "/out/a")
        #expect(a == BatchPlan.jobID(input: "/rec/a.flv", output: "/out/a"))
        // FNV-1a is fixed by its constants: the same id on every machine and every run.
        #expect(a == "batch-" + String(a.dropFirst(6)) && a.count == 22)
        #expect(a != BatchPlan.jobID(input: "/rec/a.flv", output: "/out2/a"))
        #expect(a != BatchPlan.jobID(input: "/rec/b.flv", output: "/out/a"))
        // The separator keeps "ab" + "c" apart from "a" + "bc".
        #expect(BatchPlan.jobID(input: "/x/ab", output: "c") != BatchPlan.jobID(input: "/x/a", output: "bc"))
        // FNV-1a 64 of the single separator byte, the published test vector.
        #expect(BatchPlan.jobID(input: "", output: "") == "batch-af63bd4c8601b7df")
    }

    @Test func eachInputGetsAFolderNamedAfterItAndItsCardsFile() throws {
        let dir = try scratch()
        try FileManager.default.createDirectory(atPath: "\(dir)/timelines", withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: URL(fileURLWithPath: "\(dir)/timelines/show1.json"))
        var defaults = BatchDefaults(outputRoot: "\(dir)/out")
        defaults.cardsDirectory = "\(dir)/timelines"
        defaults.ladder = "360p:800k"
        let specs = try BatchPlan.specs(inputs: ["\(dir)/rec/show1.flv", "\(dir)/rec/show2.mp4"], defaults: defaults)
        #expect(specs.map(\.output) == ["\(dir)/out/show1", "\(dir)/out/show2"])
        #expect(specs.map(\.cards) == ["\(dir)/timelines/show1.json", nil])
        #expect(specs.allSatisfy { $0.ladder == "360p:800k" })
        let records = BatchPlan.records(specs, queue: "q")
        #expect(records.map(\.id) == specs.map { BatchPlan.jobID(input: $0.input, output: $0.output) })
        #expect(try records.map { try BatchJobSpec.decode($0.spec, id: $0.id) } == specs)
    }

    @Test func twoInputsWritingOneFolderAreRefused() throws {
        let dir = try scratch()
        #expect {
            try BatchPlan.specs(inputs: ["\(dir)/a/show.flv", "\(dir)/b/show.mp4"], defaults: BatchDefaults(outputRoot: "\(dir)/out"))
        } throws: { error in
            guard case let .invalidArgument(message)? = error as? TranscodeError else { return false }
            return message.contains("\(dir)/a/show.flv") && message.contains("\(dir)/b/show.mp4") && message.contains("both write")
        }
    }

    @Test func manifestGivesEachFileItsOwnSettings() throws {
        let dir = try scratch()
        try Data("{}".utf8).write(to: URL(fileURLWithPath: "\(dir)/eur.json"))
        let manifest = """
        { "output": "replays", "ladder": "480p:1400k",
          "files": [ { "input": "rec/a.flv", "output": "custom/a-eur", "cards": "eur.json", "clips": true },
                     { "input": "rec/b.flv", "ladder": "360p:800k", "segmentFormat": "fmp4" } ] }
        """
        try Data(manifest.utf8).write(to: URL(fileURLWithPath: "\(dir)/batch.json"))
        let planned = try BatchManifest.specs(path: "\(dir)/batch.json", defaults: BatchDefaults(outputRoot: "."), outputGiven: false)
        #expect(planned.outputRoot == "\(dir)/replays")
        let (a, b) = (planned.specs[0], planned.specs[1])
        #expect(a.input == "\(dir)/rec/a.flv" && a.output == "\(dir)/custom/a-eur" && a.cards == "\(dir)/eur.json")
        #expect(a.clips && a.ladder == "480p:1400k" && a.segmentFormat == "ts")
        #expect(b.output == "\(dir)/replays/b" && b.cards == nil && !b.clips && b.ladder == "360p:800k" && b.segmentFormat == "fmp4")
    }

    @Test(arguments: [
        (#"{"files": [{"output": "x"}]}"#, "files[0].input is missing"),
        (#"{"files": [{"input": "a.flv", "ladder": "720x:3k"}]}"#, "files[0]"),
        (#"{"files": [{"input": "a.flv", "cards": "nope.json"}]}"#, "files[0].cards"),
        (#"{"files": []}"#, "\"files\" is empty"),
        (#"{"files": [{"input": 3}]}"#, "files[0].input: expected"),
        ("not json", "not valid JSON"),
    ])
    func badManifestsNameTheField(text: String, expected: String) throws {
        let dir = try scratch()
        try Data(text.utf8).write(to: URL(fileURLWithPath: "\(dir)/batch.json"))
        #expect {
            try BatchManifest.specs(path: "\(dir)/batch.json", defaults: BatchDefaults(outputRoot: dir), outputGiven: true)
        } throws: { error in
            guard case let .invalidArgument(message)? = error as? TranscodeError else { return false }
            return message.hasPrefix("--manifest \(dir)/batch.json: ") && message.contains(expected)
        }
    }

    @Test func jobsAndCoresAreSizedFromTheMachine() {
        #expect(BatchOptions.sized(jobs: nil, cores: 2).jobs == 2)
        #expect(BatchOptions.sized(jobs: nil, cores: 2).coresPerJob == 1)
        #expect(BatchOptions.sized(jobs: 1, cores: 8).coresPerJob == 8)
        #expect(BatchOptions.sized(jobs: 3, cores: 8).coresPerJob == 2)
        #expect(BatchOptions.sized(jobs: 4, cores: 2).coresPerJob == 1)
    }
}
