// Blocking reloads wait on the memory-served HLS: progress read from the playlist text, and
// waiters resumed by the put that answers them, never by a thread of their own.
import Foundation
import Testing
@testable import VitrinePipeline

struct PlaylistProgressTests {
    /// `target`: the target duration; a waiter's deadline is three of them.
    static func playlist(sequence: Int, complete: Int, pending: Int, ended: Bool = false, target: Int = 2) -> [UInt8] {
        var lines = ["#EXTM3U", "#EXT-X-TARGETDURATION:\(target)", "#EXT-X-MEDIA-SEQUENCE:\(sequence)", "#EXT-X-PART-INF:PART-TARGET=0.334"]
        for i in 0..<complete {
            lines += ["#EXT-X-PART:DURATION=0.33333,URI=\"seg_\(sequence + i).0.m4s\"", "#EXTINF:2.0,", "seg_\(sequence + i).m4s"]
        }
        lines += (0..<pending).map { "#EXT-X-PART:DURATION=0.33333,URI=\"seg_\(sequence + complete).\($0).m4s\"" }
        if ended { lines.append("#EXT-X-ENDLIST") }
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    @Test func readsWhereThePlaylistIs() throws {
        let progress = try #require(PlaylistProgress(Self.playlist(sequence: 10, complete: 3, pending: 2)))
        #expect(progress.nextMSN == 13 && progress.pendingParts == 2 && progress.targetDuration == 2 && progress.partTarget == 0.334)
        #expect(progress.satisfies(msn: 12, part: nil) && progress.satisfies(msn: 13, part: 1))
        #expect(!progress.satisfies(msn: 13, part: 2) && !progress.satisfies(msn: 13, part: nil))
        #expect(!progress.isTooFarAhead(msn: 14) && progress.isTooFarAhead(msn: 15))
        #expect(PlaylistProgress(Self.playlist(sequence: 0, complete: 1, pending: 0, ended: true))?.satisfies(msn: 99, part: 0) == true)
        #expect(PlaylistProgress(Array("not a playlist".utf8)) == nil)
    }

    /// The suite's end-to-end tests hold Swift's cooperative threads while they wait on child
    /// processes, so this task may be scheduled late: the deadlines are minutes long, and nothing
    /// here is timed. A waiter that the put did not resume would time out, and fail.
    @Test func aWaitingReloadIsAnsweredByThePutThatListsItsPart() async throws {
        let memory = LiveHLSMemory()
        let path = "abc/360p/index.m3u8"
        memory.put(path, Self.playlist(sequence: 0, complete: 2, pending: 1, target: 60))
        #expect(await memory.waitForPlaylist(path, msn: 2, part: 0) == .ready)
        #expect(await memory.waitForPlaylist(path, msn: 9, part: nil) == .tooFarAhead)
        #expect(await memory.waitForPlaylist("abc/720p/index.m3u8", msn: 0, part: nil) == .unknown)
        let waiting = Task { await memory.waitForPlaylist(path, msn: 2, part: 1) }
        while memory.waitingCount == 0 { try await Task.sleep(nanoseconds: 1_000_000) }
        memory.put(path, Self.playlist(sequence: 0, complete: 2, pending: 2, target: 60))
        #expect(await waiting.value == .ready)
        #expect(memory.waitingCount == 0)
    }

    @Test func aHintedPartIsAnsweredWhenItIsCutOrAtItsDeadline() async throws {
        let memory = LiveHLSMemory()
        let part = "abc/360p/seg_00002.1.m4s"
        let waiting = Task { await memory.waitForFile(part, seconds: 180) }
        while memory.waitingCount == 0 { try await Task.sleep(nanoseconds: 1_000_000) }
        memory.put(part, [1, 2, 3])
        #expect(await waiting.value)
        #expect(await memory.waitForFile("abc/360p/seg_00002.2.m4s", seconds: 0.05) == false)
        #expect(memory.waitingCount == 0)
    }
}
