// Files a job process could have written are read back bounded: a FIFO is refused at once
// instead of blocking serve, a link is not followed, a file past the limit is not read.
import Foundation
import Testing
import VitrineHLS

struct BoundedReadTests {
    @Test func onlyRegularFilesWithinTheLimitAreRead() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vitrine-bounded-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("#EXTM3U\n".utf8).write(to: URL(fileURLWithPath: "\(dir)/index.m3u8"))
        #expect(try BoundedRead.data("\(dir)/index.m3u8", maxBytes: 8) == Data("#EXTM3U\n".utf8))
        #expect(throws: BoundedRead.Refusal.tooLarge(8)) { try BoundedRead.data("\(dir)/index.m3u8", maxBytes: 7) }
        #expect(try BoundedRead.data("\(dir)/missing.m3u8", maxBytes: 8) == nil)
        #expect(mkfifo("\(dir)/fifo.m3u8", 0o600) == 0)
        #expect(throws: BoundedRead.Refusal.notRegular) { try BoundedRead.data("\(dir)/fifo.m3u8", maxBytes: 1 << 20) }
        #expect(LeftoverPlaylist(path: "\(dir)/fifo.m3u8") == nil)
        try FileManager.default.createSymbolicLink(atPath: "\(dir)/link.m3u8", withDestinationPath: "\(dir)/index.m3u8")
        #expect(throws: BoundedRead.Refusal.notRegular) { try BoundedRead.data("\(dir)/link.m3u8", maxBytes: 1 << 20) }
    }
}
