// End to end: `vitrine serve` killed with SIGKILL in the middle of a publish leaves nothing
// half-done for the next start. The playlist the dead process left live gets EXT-X-ENDLIST soon
// after a restart (players never wait on a dead show), no listed segment is missing, temp files
// are gone, and a new publish on the key continues the media sequence after a discontinuity.
import Foundation
import Testing

@Suite(.serialized) struct RestartRecoveryTests {
    @Test func aKilledServerLeavesNoShowHangingAfterARestart() throws {
        let key = "sk-restart-51c2"
        let server = try LiveServer(keys: [key], extra: ["--ladder", "240p:400k", "--grace", "3", "--list-size", "4"])
        let publisher = try Publisher.ffmpeg(server.url(key), loops: 3, scratch: server.data)
        let hls = try server.hls(key)
        let playlistPath = "\(hls)/240p/index.m3u8"
        #expect(waitUntil(seconds: 40) { (livePlaylist(playlistPath)?.segments.count ?? 0) >= 3 }, "\(server.logText().suffix(1500))")
        kill(server.process.processIdentifier, SIGKILL)
        server.process.waitUntilExit()
        publisher.wait(seconds: 10)
        let left = try #require(livePlaylist(playlistPath))
        #expect(!left.isEnded)
        // An interrupted write's temp file, as a power cut would leave it.
        try Data("partial".utf8).write(to: URL(fileURLWithPath: "\(hls)/240p/.seg_99999.ts.tmp"))

        let restarted = try LiveServer(keys: [key], extra: ["--ladder", "240p:400k", "--grace", "3", "--list-size", "4"], data: server.data)
        defer { restarted.stop() }
        let started = Date()
        #expect(waitUntil(seconds: 10) { livePlaylist(playlistPath)?.isEnded == true }, "no ENDLIST: \(restarted.logText().suffix(1500))")
        #expect(Date().timeIntervalSince(started) < 10)
        let ended = try #require(livePlaylist(playlistPath))
        #expect(ended.mediaSequence == left.mediaSequence && ended.segments.map(\.uri) == left.segments.map(\.uri))
        for segment in ended.segments {
            #expect(FileManager.default.fileExists(atPath: "\(hls)/240p/\(segment.uri)"), "\(segment.uri) is listed but missing")
        }
        #expect(!FileManager.default.fileExists(atPath: "\(hls)/240p/.seg_99999.ts.tmp"))
        let read = try run("ffmpeg", ["-v", "error", "-i", playlistPath, "-map", "0", "-f", "null", "-"], timeout: 60)
        #expect(read.status == 0, "\(read.stderr)")

        // A new publish on the key numbers on after what the dead process listed, after a discontinuity.
        let again = try Publisher.ffmpeg(restarted.url(key), loops: 0, scratch: restarted.data)
        let lastOld = left.mediaSequence + left.segments.count - 1
        #expect(waitUntil(seconds: 40) {
            guard let playlist = livePlaylist(playlistPath), !playlist.isEnded else { return false }
            return playlist.mediaSequence + playlist.segments.count - 1 > lastOld
        }, "\(restarted.logText().suffix(1500))")
        let continued = try #require(livePlaylist(playlistPath))
        #expect(continued.lines.contains("#EXT-X-DISCONTINUITY"), "\(continued.lines)")
        #expect(continued.mediaSequence >= left.mediaSequence)
        again.wait(seconds: 60)
    }
}
