import Foundation
import Testing
@testable import VitrineHLS

struct AtomicFileWriterTests {
    @Test func writesAndLeavesNoTempFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vitrine-atomic-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try AtomicFileWriter.write("hello", to: "\(dir)/a.m3u8")
        #expect(try String(contentsOfFile: "\(dir)/a.m3u8", encoding: .utf8) == "hello")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["a.m3u8"])
    }

    @Test func missingFolderNamesThePath() {
        #expect {
            try AtomicFileWriter.write("x", to: "/nonexistent-vitrine/a.ts")
        } throws: { error in
            "\(error)".contains("/nonexistent-vitrine/a.ts") && "\(error)".contains("No such file")
        }
    }
}
