// A demuxer over bytes in memory (MemoryInput) sees what one over the same file sees, refuses
// what is not media, and frees what it allocated once, however its opening fails.
import Foundation
import Testing
@testable import VitrineMedia

struct MemoryInputTests {
    static let seeds = MediaTests.root.appendingPathComponent("Fixtures/fuzz/demux")

    @Test(arguments: ["tiny.mp4", "tiny.mkv", "tiny.ts", "tiny.flv"])
    func aFileInMemoryDemuxesAsTheFileDoes(name: String) throws {
        FFmpegLog.silent()
        let path = Self.seeds.appendingPathComponent(name).path
        let fromFile = try Demuxer(path: path)
        let fromMemory = try Demuxer(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))), name: name)
        #expect(fromMemory.formatName == fromFile.formatName)
        #expect(fromMemory.streams.map(\.codecName) == fromFile.streams.map(\.codecName))
        #expect(fromMemory.durationSeconds == fromFile.durationSeconds)
        func packets(_ demuxer: Demuxer) throws -> [Int64] {
            let packet = try Packet()
            var stamps: [Int64] = []
            while try demuxer.read(into: packet) { stamps.append(packet.pts) }
            return stamps
        }
        #expect(try packets(fromMemory) == packets(fromFile))
    }

    @Test func whatIsNotAnAllowedFormatIsRefused() {
        FFmpegLog.silent()
        let playlist = Array("#EXTM3U\n#EXTINF:2.0,\nfile:///etc/hostname\n".utf8)
        // Repeated, so a double free on a failed open shows up even when one happens not to fault.
        for _ in 0..<20 {
            #expect(throws: MediaError.self) { try Demuxer(bytes: [], name: "empty") }
            #expect(throws: MediaError.self) { try Demuxer(bytes: [UInt8](repeating: 0x47, count: 3), name: "three bytes") }
            #expect(throws: MediaError.self) { try Demuxer(bytes: playlist, name: "a playlist") }
        }
    }
}
