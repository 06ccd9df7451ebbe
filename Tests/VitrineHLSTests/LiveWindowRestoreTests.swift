// A live window read back from the playlist a dead process left: the same text renders again,
// the next segment follows a discontinuity with the sequences kept, and a damaged playlist is
// refused rather than trusted.
import Foundation
import Testing
@testable import VitrineHLS

@Suite struct LiveWindowRestoreTests {
    private let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    private func window(listSize: Int, segments: Int, discontinuityAt: Int? = nil) -> LiveWindow {
        var window = LiveWindow(listSize: listSize)
        for i in 0..<segments {
            if i == discontinuityAt { window.markDiscontinuity() }
            window.append(duration: 2, programDateTime: t0.addingTimeInterval(Double(i) * 2), now: t0) { String(format: "seg_%05d.ts", $0) }
        }
        return window
    }

    @Test func aLeftLivePlaylistIsContinuedAfterADiscontinuity() throws {
        let old = window(listSize: 3, segments: 7, discontinuityAt: 2)
        let text = old.playlist.render()
        let leftover = try #require(LeftoverPlaylist(text: text))
        #expect(leftover.mediaSequence == 4 && leftover.nextSequence == 7 && !leftover.ended)
        var restored = LiveWindow(continuing: leftover, listSize: 3)
        #expect(restored.playlist.render() == text)
        restored.markDiscontinuity()
        restored.append(duration: 2, programDateTime: t0.addingTimeInterval(100), now: t0) { String(format: "seg_%05d.ts", $0) }
        let next = restored.playlist.render()
        #expect(next.contains("#EXT-X-MEDIA-SEQUENCE:5\n"))
        // The discontinuity of segment 2 slid out before the crash: the sequence still counts it.
        #expect(next.contains("#EXT-X-DISCONTINUITY-SEQUENCE:1\n"))
        #expect(next.hasSuffix("#EXT-X-DISCONTINUITY\n#EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:15:00.000Z\n#EXTINF:2.000000,\nseg_00007.ts\n"))
    }

    /// fMP4 segments whose init changed after a discontinuity: EXT-X-MAP again where it changes
    /// (the header names the first listed segment's), and a restored window keeps each map.
    @Test func anInitThatChangesIsMappedAgainAndRestored() throws {
        var window = LiveWindow(listSize: 4, version: 7)
        for i in 0..<5 {
            if i == 3 { window.markDiscontinuity() }
            window.append(duration: 2, programDateTime: t0.addingTimeInterval(Double(i) * 2), map: i < 3 ? "init.mp4" : "init-0a1b2c3d.mp4",
                          now: t0) { String(format: "seg_%05d.m4s", $0) }
        }
        let text = window.playlist.render()
        let maps = text.split(separator: "\n").filter { $0.hasPrefix("#EXT-X-MAP") }
        #expect(maps == ["#EXT-X-MAP:URI=\"init.mp4\"", "#EXT-X-MAP:URI=\"init-0a1b2c3d.mp4\""])
        #expect(text.contains("#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init-0a1b2c3d.mp4\"\n#EXT-X-PROGRAM-DATE-TIME"))
        let restored = LiveWindow(continuing: try #require(LeftoverPlaylist(text: text)), listSize: 4, version: 7)
        #expect(restored.playlist.render() == text)
        // Once the old init's segments have slid out, the header names the new one, once.
        for i in 5..<8 {
            window.append(duration: 2, programDateTime: t0.addingTimeInterval(Double(i) * 2), map: "init-0a1b2c3d.mp4", now: t0) { String(format: "seg_%05d.m4s", $0) }
        }
        #expect(window.playlist.render().split(separator: "\n").filter { $0.hasPrefix("#EXT-X-MAP") } == ["#EXT-X-MAP:URI=\"init-0a1b2c3d.mp4\""])
        #expect(LeftoverPlaylist(text: text.replacingOccurrences(of: "init-0a1b2c3d.mp4", with: "../x.mp4")) == nil)
    }

    @Test func anEndedPlaylistIsFollowedByAFreshWindowNumberedOn() throws {
        var old = window(listSize: 3, segments: 4, discontinuityAt: 3)
        old.end()
        let leftover = try #require(LeftoverPlaylist(text: old.playlist.render()))
        #expect(leftover.ended)
        var fresh = LiveWindow(after: leftover, listSize: 3)
        fresh.markDiscontinuity()
        fresh.append(duration: 2, programDateTime: nil, now: t0) { String(format: "seg_%05d.ts", $0) }
        #expect(fresh.mediaSequence == 4)
        #expect(fresh.playlist.render().contains("#EXT-X-DISCONTINUITY-SEQUENCE:1\n"))
    }

    @Test(arguments: [
        "not a playlist",
        "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:-4\n",
        "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:99999999999999999999\n",
        "#EXTM3U\n#EXTINF:nan,\nseg_00000.ts\n",
        "#EXTM3U\n#EXTINF:2.0,\n../../keys.json\n",
        "#EXTM3U\n#EXT-X-TARGETDURATION:100000\n",
    ])
    func aDamagedPlaylistIsRefused(_ text: String) {
        #expect(LeftoverPlaylist(text: text) == nil)
    }
}
