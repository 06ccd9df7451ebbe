// Replays Fixtures/fuzz/live-playlist (Scripts/fuzz.sh live-playlist's seeds and any crasher
// copied in) as Fuzz/Sources/FuzzLivePlaylist does: what parses as a leftover, restored and
// rendered, parses back to the same leftover and renders again to the same text; ended as
// LiveLeftovers ends it, it is the same playlist with EXT-X-ENDLIST.
import Foundation
import Testing
@testable import VitrineHLS

@Suite struct LivePlaylistFuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz/live-playlist")

    static func inputs() throws -> [(name: String, text: String)] {
        try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted().map {
            ($0, String(decoding: try Data(contentsOf: corpus.appendingPathComponent($0)), as: UTF8.self))
        }
    }

    /// What a restarted server lists: the leftover's window rendered (ended when it was).
    static func restoredText(_ leftover: LeftoverPlaylist) -> String {
        var window = LiveWindow(continuing: leftover, listSize: max(1, leftover.segments.count))
        if leftover.ended { window.end() }
        return window.playlist.render()
    }

    @Test func whatParsesRestoresToTheSamePlaylist() throws {
        let inputs = try Self.inputs()
        #expect(inputs.count >= 3, "inputs in \(Self.corpus.path)")
        for input in inputs {
            guard let leftover = LeftoverPlaylist(text: input.text) else {
                #expect(input.name.hasPrefix("crash"), "the seed \(input.name) does not parse")
                continue
            }
            let rendered = Self.restoredText(leftover)
            let again = try #require(LeftoverPlaylist(text: rendered), "\(input.name): the restored playlist does not parse")
            // The target duration is the one thing a restored window works out anew, from its segments.
            var expected = leftover
            expected.targetDuration = again.targetDuration
            #expect(again == expected, "\(input.name)")
            #expect(Self.restoredText(again) == rendered, "\(input.name)")
            if let ended = LeftoverPlaylist.ending(input.text) {
                expected.ended = true
                expected.targetDuration = leftover.targetDuration
                #expect(LeftoverPlaylist(text: ended) == expected, "\(input.name) ended")
            } else {
                #expect(leftover.ended, "\(input.name): a live leftover could not be ended")
            }
        }
    }

    /// The seeds are what a live rendition leaves: TS, fMP4 with its init changing, LL-HLS.
    @Test func theSeedsAreOurOwnPlaylists() throws {
        let seeds = try Self.inputs().filter { !$0.name.hasPrefix("crash") }
        let leftovers = seeds.compactMap { LeftoverPlaylist(text: $0.text) }
        #expect(leftovers.count == seeds.count)
        #expect(leftovers.contains { $0.segments.contains { $0.map == "init-0a1b2c3d.mp4" } && $0.ended })
        #expect(leftovers.contains { $0.discontinuitySequence == 1 && $0.segments.last?.discontinuity == true })
        // The LL-HLS one: parts and hints are memory's, not the leftover's; its segments are whole ones.
        #expect(leftovers.contains { $0.mediaSequence == 10 && $0.segments.map(\.uri) == ["seg_00010.m4s", "seg_00011.m4s"] })
    }
}
