// Clips cut from a finished show's playlists: readable names, and the segments that cover a card.
import Foundation
import Testing
@testable import VitrinePipeline

struct ClipsTests {
    @Test func slugsAreReadableAsciiAndUnique() {
        #expect(Clips.slug("Camiseta Azul") == "camiseta-azul")
        #expect(Clips.slug("  Tênis Ção / 42! ") == "tenis-cao-42")
        var taken = Set<String>()
        #expect([Clips.uniqueName("x", taken: &taken), Clips.uniqueName("x", taken: &taken)] == ["x", "x-2"])
    }

    @Test func clipsTakeTheSegmentsCoveringTheCard() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vitrine-clip-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var text = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n"
        text += "#EXT-X-DATERANGE:ID=\"a\",START-DATE=\"x\"\n#EXT-X-DATERANGE:ID=\"b\",START-DATE=\"y\"\n"
        for i in 0..<4 {
            text += "#EXT-X-PROGRAM-DATE-TIME:2025-01-01T00:00:0\(2 * i).000Z\n#EXTINF:2.000000,\nseg_0000\(i).ts\n"
            try Data("seg\(i)".utf8).write(to: URL(fileURLWithPath: "\(dir)/seg_0000\(i).ts"))
        }
        text += "#EXT-X-ENDLIST\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: "\(dir)/index.m3u8"))
        let playlist = try ShowPlaylist(path: "\(dir)/index.m3u8")
        #expect(playlist.end == 8)
        #expect(playlist.segments(covering: 1, 3) == [0, 1])
        #expect(playlist.segments(covering: 2, 4) == [1])
        #expect(playlist.segments(covering: 5, 8) == [2, 3])
        try playlist.writeClip(segments: 1...2, cardID: "b", into: "\(dir)/clip/360p", playlistName: "index.m3u8")
        let clip = try String(contentsOfFile: "\(dir)/clip/360p/index.m3u8", encoding: .utf8)
        #expect(clip.contains("ID=\"b\"") && !clip.contains("ID=\"a\""))
        #expect(clip.contains("seg_00001.ts\n#EXT-X-PROGRAM-DATE-TIME:2025-01-01T00:00:04.000Z\n#EXTINF:2.000000,\nseg_00002.ts\n#EXT-X-ENDLIST"))
        #expect(!clip.contains("seg_00000.ts") && clip.hasPrefix("#EXTM3U\n"))
        #expect(try String(contentsOfFile: "\(dir)/clip/360p/seg_00002.ts", encoding: .utf8) == "seg2")
    }
}
