// Writes the synthetic fuzz seeds under Fixtures/rtmp (RTMP spec 1.0 5.2 handshakes, 5.3 chunk
// streams, a full 7.2 publish exchange). Runs only when VITRINE_WRITE_RTMP_SEEDS=1, so normal
// test runs never touch the tree; the files are committed.

import Foundation
import Testing
@testable import VitrineRTMP

@Suite struct SeedWriter {
    static var enabled: Bool { ProcessInfo.processInfo.environment["VITRINE_WRITE_RTMP_SEEDS"] == "1" }

    @Test(.enabled(if: SeedWriter.enabled)) func writeSeeds() throws {
        var client = FakePublisher()
        var extended = FakePublisher()
        var chunked = FakePublisher.handshake() + extended.publishSequence(key: "ext")
        for i in 0..<4 {
            chunked += extended.video(FLVBodies.videoFrame(key: i == 0, cts: 40, nalu: [UInt8](repeating: UInt8(i), count: 300)),
                                      timestamp: 0x00FF_FFF0 &+ UInt32(i * 33))
        }
        let seeds: [(String, [UInt8])] = [
            ("handshake_simple.bin", FakePublisher.handshake(digest: false)),
            ("handshake_digest.bin", FakePublisher.handshake(digest: true)),
            ("publish_flow.bin", SessionTests.publisherBytes()),
            ("connect_only.bin", FakePublisher.handshake() + client.connect()),
            ("extended_timestamps.bin", chunked),
        ]
        try FileManager.default.createDirectory(at: Fixtures.directory, withIntermediateDirectories: true)
        for (name, bytes) in seeds {
            try Data(bytes).write(to: Fixtures.directory.appendingPathComponent(name))
        }
    }
}
