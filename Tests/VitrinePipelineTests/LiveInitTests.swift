// A live fMP4 rendition whose init segment changes between publishes (or job processes): the
// segments still listed keep the init they were cut with, the new ones name theirs with a new
// EXT-X-MAP after the discontinuity, and the old init goes once its last segment has.
import Foundation
import Logging
import Testing
import VitrineHLS
@testable import VitrinePipeline

@Suite struct LiveInitTests {
    @Test func aChangedInitGetsItsOwnNameAndTheOldOneGoesWithItsSegments() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vitrine-live-init-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let logger = Logger(label: "test")
        let first: [UInt8] = Array("ftyp-first-init".utf8), second: [UInt8] = Array("ftyp-second-init".utf8)
        var output = try LiveRenditionOutput(name: "360p", root: root, listSize: 2, format: .fmp4, logger: logger)
        var index = 0
        func publish(_ initBytes: [UInt8], segments: Int) throws {
            output.beginSession(anchor: Date(), arrivals: ArrivalClock(), cards: nil, logger: logger)
            try output.writeInit(initBytes)
            for _ in 0..<segments {
                // Tiny segments, so a retired one's safety time passes between writes.
                try output.write(MuxedSegment(index: index, startSeconds: Double(index) * 0.01, durationSeconds: 0.01, bytes: [0]))
                index += 1
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        let folder = (root as NSString).appendingPathComponent("360p")
        let newName = InitSegmentName.forChanged(second)
        func playlist() throws -> String { try String(contentsOfFile: folder + "/index.m3u8", encoding: .utf8) }
        func exists(_ file: String) -> Bool { FileManager.default.fileExists(atPath: folder + "/" + file) }

        try publish(first, segments: 2)
        // A process restarted with the same init: the same name, nothing re-mapped.
        output = try LiveRenditionOutput(name: "360p", root: root, listSize: 2, format: .fmp4, logger: logger)
        try publish(first, segments: 1)
        #expect(try playlist().components(separatedBy: "#EXT-X-MAP").count == 2)
        #expect(!exists(newName))

        try publish(second, segments: 1)
        let text = try playlist()
        #expect(text.hasPrefix("#EXTM3U") && text.contains("#EXT-X-MAP:URI=\"init.mp4\""))
        #expect(text.contains("#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"\(newName)\"\n"), "\(text)")
        #expect(exists("init.mp4") && exists(newName))
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/init.mp4")) == Data(first), "the old init was overwritten")

        // Two more segments push the last one cut with init.mp4 out, then past its safety time.
        try publish(second, segments: 3)
        let later = try playlist()
        #expect(later.components(separatedBy: "#EXT-X-MAP").count == 2 && later.contains("#EXT-X-MAP:URI=\"\(newName)\""), "\(later)")
        #expect(!exists("init.mp4"), "the old init outlived every segment that needed it")
        #expect(exists(newName))
    }
}
