// LL-HLS playlist rendering against a golden playlist: server control, part target, parts on the
// recent segments, the pending parts after a discontinuity, the hint and a rendition report.
import Foundation
import Testing
@testable import VitrineHLS

struct LowLatencyPlaylistTests {
    @Test func rendersTheLowLatencyTags() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var old = MediaPlaylist.Segment(uri: "seg_00007.m4s", duration: 2, programDateTime: start)
        old.parts = []
        var recent = MediaPlaylist.Segment(uri: "seg_00008.m4s", duration: 2, programDateTime: start.addingTimeInterval(2))
        recent.parts = (0..<6).map { .init(uri: "seg_00008.\($0).m4s", duration: 1.0 / 3, independent: $0 == 0) }
        var playlist = MediaPlaylist(kind: .live, version: 7, mediaSequence: 7, mapURI: "init.mp4", segments: [old, recent], ended: false)
        var low = MediaPlaylist.LowLatency(partTarget: 1.0 / 3)
        low.pendingParts = [.init(uri: "seg_00009.0.m4s", duration: 1.0 / 3, independent: true)]
        low.pendingDiscontinuity = true
        low.pendingProgramDateTime = start.addingTimeInterval(4)
        low.preloadHint = "seg_00009.1.m4s"
        low.renditionReports = [.init(uri: "../240p/index.m3u8", lastMSN: 9, lastPart: 0)]
        playlist.lowLatency = low
        #expect(playlist.render() == """
        #EXTM3U
        #EXT-X-VERSION:7
        #EXT-X-TARGETDURATION:2
        #EXT-X-MEDIA-SEQUENCE:7
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=12.000,PART-HOLD-BACK=1.002,HOLD-BACK=6.000
        #EXT-X-PART-INF:PART-TARGET=0.334
        #EXT-X-MAP:URI="init.mp4"
        #EXT-X-PROGRAM-DATE-TIME:2027-01-15T08:00:00.000Z
        #EXTINF:2.000000,
        seg_00007.m4s
        #EXT-X-PROGRAM-DATE-TIME:2027-01-15T08:00:02.000Z
        #EXT-X-PART:DURATION=0.33333,URI="seg_00008.0.m4s",INDEPENDENT=YES
        #EXT-X-PART:DURATION=0.33333,URI="seg_00008.1.m4s"
        #EXT-X-PART:DURATION=0.33333,URI="seg_00008.2.m4s"
        #EXT-X-PART:DURATION=0.33333,URI="seg_00008.3.m4s"
        #EXT-X-PART:DURATION=0.33333,URI="seg_00008.4.m4s"
        #EXT-X-PART:DURATION=0.33333,URI="seg_00008.5.m4s"
        #EXTINF:2.000000,
        seg_00008.m4s
        #EXT-X-DISCONTINUITY
        #EXT-X-PROGRAM-DATE-TIME:2027-01-15T08:00:04.000Z
        #EXT-X-PART:DURATION=0.33333,URI="seg_00009.0.m4s",INDEPENDENT=YES
        #EXT-X-PRELOAD-HINT:TYPE=PART,URI="seg_00009.1.m4s"
        #EXT-X-RENDITION-REPORT:URI="../240p/index.m3u8",LAST-MSN=9,LAST-PART=0

        """)
    }

    /// _HLS_skip: the segments ending more than CAN-SKIP-UNTIL (12 s) before the end go, as one
    /// EXT-X-SKIP; the media sequence and everything after stay.
    @Test func aDeltaUpdateSkipsTheOldSegments() throws {
        var playlist = MediaPlaylist(kind: .live, version: 7, mediaSequence: 30,
                                     segments: (30..<40).map { .init(uri: "seg_000\($0).m4s", duration: 2) }, ended: false)
        #expect(playlist.deltaUpdate() == nil)
        playlist.lowLatency = MediaPlaylist.LowLatency(partTarget: 0.5)
        let delta = try #require(playlist.deltaUpdate())
        let lines = delta.render().split(separator: "\n").map(String.init)
        #expect(lines.contains("#EXT-X-VERSION:9") && lines.contains("#EXT-X-MEDIA-SEQUENCE:30"))
        #expect(lines.contains("#EXT-X-SKIP:SKIPPED-SEGMENTS=4"))
        #expect(!lines.contains("seg_00033.m4s") && lines.contains("seg_00034.m4s") && lines.contains("seg_00039.m4s"))
        #expect(lines.filter { $0.hasPrefix("#EXTINF:") }.count == 6)
    }

    /// Ended: no pending parts and no hint, the reports stay.
    @Test func anEndedPlaylistHintsNothing() {
        var playlist = MediaPlaylist(kind: .live, version: 7, segments: [.init(uri: "seg_00000.m4s", duration: 2)], ended: true)
        var low = MediaPlaylist.LowLatency(partTarget: 0.5)
        low.pendingParts = [.init(uri: "seg_00001.0.m4s", duration: 0.5, independent: true)]
        low.preloadHint = "seg_00001.1.m4s"
        playlist.lowLatency = low
        let text = playlist.render()
        #expect(!text.contains("PRELOAD-HINT") && !text.contains("seg_00001.0.m4s") && text.contains("#EXT-X-ENDLIST"))
    }
}
