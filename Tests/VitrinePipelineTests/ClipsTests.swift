// Clips cut from a finished show's playlists: readable names, and the segments that cover a card.
import Foundation
import Testing
@testable import VitrinePipeline
import VitrineOverlay

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

    /// A live show's master and playlists are written by its job process, and read back by serve
    /// to cut clips: names outside the shapes Vitrine writes are refused, never made into paths.
    @Test func aJobProcessCannotMakeTheClipCutterLeaveTheShow() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vitrine-clip-\(UUID().uuidString.prefix(8))").path
        let show = "\(root)/hls/AAAA"
        try FileManager.default.createDirectory(atPath: "\(show)/240p", withIntermediateDirectories: true)
        try Data("secret".utf8).write(to: URL(fileURLWithPath: "\(root)/keys.json"))
        let card = Card(id: "c", sku: "S", content: .banner(BannerContent(text: "x")), start: 0, end: 4)
        // A readable playlist outside the show, which the cutter must never reach.
        try FileManager.default.createDirectory(atPath: "\(root)/x", withIntermediateDirectories: true)
        try Data("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nseg_00000.ts\n#EXT-X-ENDLIST\n".utf8)
            .write(to: URL(fileURLWithPath: "\(root)/x/index.m3u8"))
        for master in ["../../x/index.m3u8", "240p/../../../x/index.m3u8", "/etc/passwd", "240p/index.m3u8?x"] {
            try Data("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n\(master)\n".utf8).write(to: URL(fileURLWithPath: "\(show)/master.m3u8"))
            do {
                _ = try Clips.make(show: show, cards: [card], origin: nil)
                Issue.record("a master naming \(master) was cut")
            } catch {
                #expect("\(error)".contains("not a rendition playlist"), "\(master): \(error)")
            }
        }
        try Data("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n240p/index.m3u8\n".utf8).write(to: URL(fileURLWithPath: "\(show)/master.m3u8"))
        let playlist = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n../../../keys.json\n#EXTINF:2.0,\n../../../keys.json\n#EXT-X-ENDLIST\n"
        try Data(playlist.utf8).write(to: URL(fileURLWithPath: "\(show)/240p/index.m3u8"))
        #expect(throws: TranscodeError.self) { try Clips.make(show: show, cards: [card], origin: nil) }
        let copied = (try? FileManager.default.subpathsOfDirectory(atPath: "\(show)/clips")) ?? []
        #expect(!copied.contains { $0.hasSuffix("keys.json") }, "\(copied)")
    }
}
