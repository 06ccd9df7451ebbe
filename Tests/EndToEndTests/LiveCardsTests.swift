// End to end: `vitrine serve --cards` burns the cards into every live rendition and announces
// them in the live playlists as EXT-X-DATERANGEs, with times counted from the publish's start.
import Foundation
import Testing

@Suite(.serialized)
struct LiveCardsTests {
    @Test func cardsAreBurnedInAndAnnouncedLive() throws {
        let scratch = try Paths.scratch()
        try CardFixture.write(to: scratch, cards: [CardFixture.shirt, CardFixture.tote])
        let server = try LiveServer(keys: ["cardshow"], extra: [
            "--ladder", CardRuns.ladder, "--preset", "ultrafast", "--grace", "1", "--list-size", "10",
            "--cards", "\(scratch)/cards.json",
        ])
        defer { server.stop() }
        let publisher = try Publisher.ffmpeg(server.url("cardshow"), loops: 0, scratch: scratch)
        #expect(publisher.wait(seconds: 30) == 0, "publish failed: \(publisher.output)")
        let hls = try server.hls("cardshow")
        #expect(waitUntil(seconds: 15) { livePlaylist("\(hls)/360p/index.m3u8")?.isEnded == true }, "\(server.logText().suffix(600))")

        // The same DATERANGEs in every rendition: the shirt with its 2 s, the open-ended tote with none yet.
        var texts: [String] = []
        for name in ["720p", "360p"] {
            let playlist = try #require(livePlaylist("\(hls)/\(name)/index.m3u8"))
            let ranges = playlist.lines.filter { $0.hasPrefix("#EXT-X-DATERANGE:") }
            texts.append(ranges.joined(separator: "\n"))
            let shirt = try #require(ranges.first { $0.contains("ID=\"shirt\"") }.map { parseAttributes(String($0.dropFirst(17))) })
            #expect(shirt["CLASS"] == "com.vitrine.card")
            #expect(shirt["DURATION"] == "2.000")
            #expect(shirt["X-PRODUCT-ID"] == "TEE%2041%2FBLUE")
            #expect(shirt["X-PRICE"] == "129.90" && shirt["X-CURRENCY"] == "BRL")
            let tote = try #require(ranges.first { $0.contains("ID=\"tote\"") }.map { parseAttributes(String($0.dropFirst(17))) })
            #expect(tote["DURATION"] == nil)
            // START-DATE is the first PROGRAM-DATE-TIME (timeline zero, give or take the audio
            // priming) plus the card's start.
            let first = try #require(playlist.lines.first { $0.hasPrefix("#EXT-X-PROGRAM-DATE-TIME:") }.flatMap { ProgramDate.parse(String($0.dropFirst(25))) })
            let shirtStart = try #require(shirt["START-DATE"].flatMap(ProgramDate.parse))
            #expect(abs(shirtStart.timeIntervalSince(first) - 1.0) < 0.1)
        }
        #expect(texts[0] == texts[1])

        // The pixels: inside the shirt's interval the live 360p picture matches the file job that
        // drew the same card, and differs from the file job without cards.
        let runs = try CardRuns.shared.get()
        let live = try LumaFrames("\(hls)/360p/index.m3u8", indices: [60], width: 640, height: 360)
        let drawn = try LumaFrames("\(runs.withCards)/360p/index.m3u8", indices: [60], width: 640, height: 360)
        let plain = try LumaFrames("\(runs.withoutCards)/360p/index.m3u8", indices: [60], width: 640, height: 360)
        let region = CardsEndToEndTests.shirtRegion
        #expect(live.meanDifference(to: drawn, frame: 60, in: region) < 12)
        #expect(live.meanDifference(to: plain, frame: 60, in: region) > 40)
    }
}
