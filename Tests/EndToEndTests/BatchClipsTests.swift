// End to end: `vitrine batch --clips` cuts one clip per card interval from the show's own ladder,
// named after the product, with the card burned in (checked on the pixels of a white recording)
// and a playable MP4 beside the clip's HLS ladder.
import Foundation
import Testing

@Suite(.serialized)
struct BatchClipsTests {
    /// Where each card surely covers a 640x360 frame, and where nothing is ever drawn.
    static let shirtRegion = Region(x0: 0.08, x1: 0.30, y0: 0.80, y1: 0.90)
    static let toteRegion = Region(x0: 0.74, x1: 0.93, y0: 0.08, y1: 0.13)
    static let clearRegion = Region(x0: 0.40, x1: 0.60, y0: 0.35, y1: 0.60)

    @Test func oneClipPerCardWithTheCardShownAndAPlayableMP4() throws {
        let dir = try Paths.scratch()
        try FileManager.default.createDirectory(atPath: "\(dir)/timelines", withIntermediateDirectories: true)
        try BatchFixture.recording("\(dir)/show.mp4", seconds: 6, white: true, size: "640x360")
        // The cards file is found by name in --cards-dir: show.mp4 -> show.json.
        try CardFixture.write(to: "\(dir)/timelines", cards: [CardFixture.shirt, CardFixture.tote])
        try FileManager.default.moveItem(atPath: "\(dir)/timelines/cards.json", toPath: "\(dir)/timelines/show.json")
        let result = try vitrine(["batch", "\(dir)/show.mp4", "-o", "\(dir)/out", "--clips", "--cards-dir", "\(dir)/timelines",
                                  "--ladder", "360p:800k,180p:300k", "--preset", "ultrafast"])
        #expect(result.status == 0, "\(result.stderr)")
        try expectValidLadder("\(dir)/out/show", renditions: ["360p", "180p"], duration: 6)
        let clips = try FileManager.default.contentsOfDirectory(atPath: "\(dir)/out/show/clips").sorted()
        // The product card is named after its title, the price tag after its sku.
        #expect(clips == ["bag-0007", "camiseta-azul"])

        // Shirt on [1 s, 3 s): cut on the keyframes at 0 s and 4 s. Tote from 4 s to the end.
        let shirt = "\(dir)/out/show/clips/camiseta-azul"
        let tote = "\(dir)/out/show/clips/bag-0007"
        try expectValidLadder(shirt, renditions: ["360p", "180p"], duration: 4)
        try expectValidLadder(tote, renditions: ["360p", "180p"], duration: 2)
        let shirtPlaylist = try PlaylistText(path: "\(shirt)/360p/index.m3u8")
        #expect(shirtPlaylist.lines.contains { $0.hasPrefix("#EXT-X-DATERANGE:ID=\"shirt\"") })
        #expect(!shirtPlaylist.lines.contains { $0.contains("ID=\"tote\"") })

        for (clip, name, seconds) in [(shirt, "camiseta-azul", 4.0), (tote, "bag-0007", 2.0)] {
            let mp4 = "\(clip)/\(name).mp4"
            let info = try probe(mp4, ["-show_format", "-show_streams"])
            let format = info["format"] as? [String: Any]
            #expect((format?["format_name"] as? String)?.contains("mp4") == true, "\(mp4): \(format ?? [:])")
            let duration = Double(format?["duration"] as? String ?? "") ?? 0
            #expect(abs(duration - seconds) < 0.2, "\(mp4) lasts \(duration) s")
            let codecs = (info["streams"] as? [[String: Any]] ?? []).compactMap { $0["codec_name"] as? String }
            #expect(codecs.sorted() == ["aac", "h264"], "\(mp4): \(codecs)")
            // Decodes from start to end with no error.
            let decode = try run("ffmpeg", ["-v", "error", "-i", mp4, "-f", "null", "-"])
            #expect(decode.status == 0 && decode.stderr.isEmpty, "\(mp4): \(decode.stderr)")
        }

        // Pixels of the MP4s: white where no card is, the card where it is on screen.
        let shirtFrames = try LumaFrames("\(shirt)/camiseta-azul.mp4", indices: [10, 45, 75, 110], width: 640, height: 360)
        #expect(shirtFrames.meanLuma(frame: 10, in: Self.shirtRegion) > 220)   // 0.33 s: before the card
        #expect(shirtFrames.meanLuma(frame: 45, in: Self.shirtRegion) < 150)   // 1.5 s: on
        #expect(shirtFrames.meanLuma(frame: 75, in: Self.shirtRegion) < 150)   // 2.5 s: on
        #expect(shirtFrames.meanLuma(frame: 110, in: Self.shirtRegion) > 220)  // 3.67 s: gone
        let toteFrames = try LumaFrames("\(tote)/bag-0007.mp4", indices: [5, 50], width: 640, height: 360)
        for frame in [5, 50] {
            #expect(toteFrames.meanLuma(frame: frame, in: Self.toteRegion) < 150)
            #expect(toteFrames.meanLuma(frame: frame, in: Self.clearRegion) > 220)
        }
    }
}
