// The live window (RFC 8216bis 6.2.2): sliding, sequence numbers, discontinuities, safety time.
import Foundation
import Testing
@testable import VitrineHLS

@Suite struct LiveWindowTests {
    private let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    private func fill(_ window: inout LiveWindow, count: Int, from start: Int = 0) {
        for i in start ..< start + count {
            window.append(duration: 2, programDateTime: t0.addingTimeInterval(Double(i) * 2), now: t0.addingTimeInterval(Double(i) * 2)) {
                String(format: "seg_%05d.ts", $0)
            }
        }
    }

    @Test func slidesAndKeepsCounting() {
        var window = LiveWindow(listSize: 3)
        fill(&window, count: 5)
        #expect(window.entries.map(\.sequence) == [2, 3, 4])
        #expect(window.mediaSequence == 2)
        let text = window.playlist.render()
        #expect(text.contains("#EXT-X-MEDIA-SEQUENCE:2\n"))
        #expect(text.components(separatedBy: "#EXT-X-PROGRAM-DATE-TIME:").count - 1 == 3)
        #expect(!text.contains("ENDLIST") && !text.contains("PLAYLIST-TYPE"))
    }

    @Test func retiredFilesOutliveThePlaylistThatListedThem() {
        var window = LiveWindow(listSize: 2)
        fill(&window, count: 3)
        // seg 0 left the window at t0+4 s; it stays for its 2 s plus the longest playlist (4 s).
        #expect(window.retired.map(\.uri) == ["seg_00000.ts"])
        #expect(window.takeExpired(now: t0.addingTimeInterval(9.9)).isEmpty)
        #expect(window.takeExpired(now: t0.addingTimeInterval(10)) == ["seg_00000.ts"])
        #expect(window.retired.isEmpty)
    }

    @Test func discontinuityIsMarkedThenCountedWhenItSlidesOut() {
        var window = LiveWindow(listSize: 2)
        window.markDiscontinuity()
        fill(&window, count: 2)
        #expect(!window.playlist.render().contains("#EXT-X-DISCONTINUITY\n"), "nothing to be discontinuous with")
        window.end()
        #expect(window.playlist.render().hasSuffix("#EXT-X-ENDLIST\n"))
        window.markDiscontinuity()
        fill(&window, count: 1, from: 2)
        #expect(window.entries.map(\.segment.discontinuity) == [false, true])
        #expect(!window.playlist.render().contains("ENDLIST"))
        fill(&window, count: 2, from: 3)
        #expect(window.discontinuitySequence == 1)
        #expect(window.playlist.render().contains("#EXT-X-DISCONTINUITY-SEQUENCE:1\n"))
        #expect(window.mediaSequence == 3)
    }

    @Test func continuesFromAGivenSequence() {
        var window = LiveWindow(listSize: 4, firstSequence: 40)
        fill(&window, count: 1)
        #expect(window.entries.map(\.sequence) == [40])
        #expect(window.entries.first?.segment.uri == "seg_00040.ts")
    }
}
