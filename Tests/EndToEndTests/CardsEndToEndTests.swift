// End to end: `vitrine transcode --cards` burns product cards into every rendition on the same
// frames and announces them as EXT-X-DATERANGEs; a bad cards file stops the job before encoding.
// Pixels are checked against the same ladder made without cards (the ffmpeg CLI decodes both).
import Foundation
import Testing

@Suite(.serialized)
struct CardsEndToEndTests {
    static let fps = 30
    static let renditions = [(name: "720p", width: 1280, height: 720), (name: "360p", width: 640, height: 360)]
    /// Where each test card surely covers the frame (fractions), whatever the rung's layout.
    static let shirtRegion = Region(x0: 0.08, x1: 0.30, y0: 0.80, y1: 0.90)
    static let toteRegion = Region(x0: 0.74, x1: 0.93, y0: 0.08, y1: 0.13)
    /// Far from both cards: must stay as the source had it even while a card is up.
    static let clearRegion = Region(x0: 0.40, x1: 0.60, y0: 0.35, y1: 0.60)
    /// Mean absolute luma difference above which a region "differs strongly", and below which it
    /// "matches" (the encoder's rate control drifts a little once a card changed a frame).
    static let strong = 40.0
    static let same = 2.0

    // MARK: - Pixels

    @Test func cardsAppearOnTheSameFramesInEveryRendition() throws {
        let runs = try CardRuns.shared.get()
        // Frames around each edge: shirt on [1 s, 3 s) = frames 30..<90, tote from 4 s = frame 120.
        let around = Array(26...34) + Array(86...94) + Array(116...124)
        for rendition in Self.renditions {
            let with = try LumaFrames("\(runs.withCards)/\(rendition.name)/index.m3u8", indices: around,
                                      width: rendition.width, height: rendition.height)
            let without = try LumaFrames("\(runs.withoutCards)/\(rendition.name)/index.m3u8", indices: around,
                                         width: rendition.width, height: rendition.height)
            let shirt = around.filter { with.meanDifference(to: without, frame: $0, in: Self.shirtRegion) > Self.strong }
            let tote = around.filter { with.meanDifference(to: without, frame: $0, in: Self.toteRegion) > Self.strong }
            #expect(shirt == Array(30...34) + Array(86...89), "\(rendition.name): shirt card on frames \(shirt)")
            #expect(tote == Array(120...124), "\(rendition.name): tote card on frames \(tote)")
            for frame in around {
                let clear = with.meanDifference(to: without, frame: frame, in: Self.clearRegion)
                #expect(clear < Self.same, "\(rendition.name) frame \(frame): card-free region changed by \(clear)")
            }
        }
    }

    @Test func cardRegionDiffersInsideTheIntervalAndMatchesOutside() throws {
        let runs = try CardRuns.shared.get()
        // 0.5 s: nothing yet; 2 s: shirt; 3.5 s: nothing; 5 s and the last frame: tote.
        let samples = [15, 60, 105, 150, 179]
        for rendition in Self.renditions {
            let with = try LumaFrames("\(runs.withCards)/\(rendition.name)/index.m3u8", indices: samples,
                                      width: rendition.width, height: rendition.height)
            let without = try LumaFrames("\(runs.withoutCards)/\(rendition.name)/index.m3u8", indices: samples,
                                         width: rendition.width, height: rendition.height)
            for frame in samples {
                let seconds = Double(frame) / Double(Self.fps)
                let shirtOn = seconds >= 1 && seconds < 3, toteOn = seconds >= 4
                let shirt = with.meanDifference(to: without, frame: frame, in: Self.shirtRegion)
                let tote = with.meanDifference(to: without, frame: frame, in: Self.toteRegion)
                let label = "\(rendition.name) frame \(frame)"
                #expect(shirtOn ? shirt > Self.strong : shirt < Self.same, "\(label): shirt region differs by \(shirt)")
                #expect(toteOn ? tote > Self.strong : tote < Self.same, "\(label): tote region differs by \(tote)")
            }
        }
    }

    @Test func cardsBlendWithTheMatrixTheOutputIsTaggedWith() throws {
        let runs = try CardRuns.shared.get()
        // Inside the tote card's opaque red background, clear of its text and rounded corners.
        let background = Region(x0: 0.915, x1: 0.935, y0: 0.07, y1: 0.08)
        for rendition in Self.renditions {
            let playlist = "\(runs.withCards)/\(rendition.name)/index.m3u8"
            // The source is HD and untagged, so every rung (360p too) is tagged BT.709.
            let video = try streams(playlist).first { $0["codec_type"] as? String == "video" }
            #expect(video?["color_space"] as? String == "bt709", "\(rendition.name) is tagged \(video?["color_space"] ?? "nothing")")
            let frames = try LumaFrames(playlist, indices: [150], width: rendition.width, height: rendition.height)
            let luma = frames.meanLuma(frame: 150, in: background)
            // #E00000 in limited range: BT.709 Y = 16 + 219/255 * 0.2126 * 224 = 56.9 (BT.601: 73.5).
            #expect(abs(luma - 56.9) < 4, "\(rendition.name): card red has luma \(luma)")
        }
    }

    // MARK: - Timed metadata

    @Test func everyPlaylistCarriesTheSameDateRanges() throws {
        let runs = try CardRuns.shared.get()
        let reference = try PlaylistText(path: "\(runs.withCards)/720p/index.m3u8")
        let ranges = reference.lines.filter { $0.hasPrefix("#EXT-X-DATERANGE:") }
        for rendition in Self.renditions.dropFirst() {
            let other = try PlaylistText(path: "\(runs.withCards)/\(rendition.name)/index.m3u8")
            #expect(other.lines.filter { $0.hasPrefix("#EXT-X-DATERANGE:") } == ranges)
        }
        #expect(ranges.count == 2, "\(ranges)")
        let parsed = ranges.map { parseAttributes(String($0.dropFirst("#EXT-X-DATERANGE:".count))) }
        let firstDate = try #require(ProgramDate.parse(reference.value(of: "#EXT-X-PROGRAM-DATE-TIME") ?? ""))
        // PROGRAM-DATE-TIME dates a segment's first sample: in the first segment that is AAC
        // priming, a little before the first video frame, which is timeline second 0 for cards.
        let firstSegment = try streams("\(runs.withCards)/720p/\(reference.segments[0].uri)")
        let starts = firstSegment.compactMap { stream in (stream["start_time"] as? String).flatMap(Double.init) }
        let videoStart = try #require(firstSegment.first { $0["codec_type"] as? String == "video" }?["start_time"] as? String)
        let priming = (Double(videoStart) ?? 0) - (starts.min() ?? 0)
        #expect(priming >= 0 && priming < 0.05, "first video frame \(priming) s after the first sample")
        let origin = firstDate.addingTimeInterval(priming)
        let mediaEnd = reference.segments.map(\.duration).reduce(0, +) - priming

        let shirt = try #require(parsed.first { $0["ID"] == "shirt" })
        #expect(shirt["CLASS"] == "com.vitrine.card")
        let shirtStart = try #require(ProgramDate.parse(shirt["START-DATE"] ?? ""))
        #expect(abs(shirtStart.timeIntervalSince(origin) - 1.0) < 0.001)
        #expect(shirt["DURATION"] == "2.000")
        #expect(shirt["X-PRODUCT-ID"] == "TEE%2041%2FBLUE")
        #expect(shirt["X-PRICE"] == "129.90")
        #expect(shirt["X-CURRENCY"] == "BRL")
        #expect(shirt["X-CARD-KIND"] == "productCard")

        // No end: the range lasts until the end of the media.
        let tote = try #require(parsed.first { $0["ID"] == "tote" })
        let toteStart = try #require(ProgramDate.parse(tote["START-DATE"] ?? ""))
        #expect(abs(toteStart.timeIntervalSince(origin) - 4.0) < 0.001)
        #expect(abs((Double(tote["DURATION"] ?? "") ?? -1) - (mediaEnd - 4)) < 0.002)
        #expect(tote["X-PRODUCT-ID"] == "BAG-0007" && tote["X-PRICE"] == "19.99" && tote["X-CURRENCY"] == "EUR")
        #expect(tote["X-CARD-KIND"] == "priceTag")
    }

    @Test func everySegmentCarriesItsProgramDateTime() throws {
        let runs = try CardRuns.shared.get()
        for root in [runs.withCards, runs.withoutCards] {
            for rendition in Self.renditions {
                let playlist = try PlaylistText(path: "\(root)/\(rendition.name)/index.m3u8")
                var dates: [Date] = []
                for (i, line) in playlist.lines.enumerated() where line.hasPrefix("#EXT-X-PROGRAM-DATE-TIME:") {
                    #expect(playlist.lines[i + 1].hasPrefix("#EXTINF:"), "a date not right before a segment")
                    dates.append(try #require(ProgramDate.parse(String(line.dropFirst("#EXT-X-PROGRAM-DATE-TIME:".count)))))
                }
                #expect(dates.count == playlist.segments.count)
                // Each date is the previous one plus the previous segment's duration.
                for i in dates.indices.dropFirst() {
                    #expect(abs(dates[i].timeIntervalSince(dates[i - 1]) - playlist.segments[i - 1].duration) < 0.002)
                }
            }
        }
        let plain = try PlaylistText(path: "\(runs.withoutCards)/720p/index.m3u8")
        #expect(!plain.lines.contains { $0.hasPrefix("#EXT-X-DATERANGE") })
    }

    @Test func programDateTimeStartsAtTheInputsCreationTime() throws {
        let dir = try Paths.scratch()
        try makeMedia("\(dir)/dated.mp4", ["-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30:duration=1",
                                           "-c:v", "libx264", "-preset", "ultrafast", "-metadata", "creation_time=2025-11-22T20:00:00.000000Z"])
        try CardFixture.write(to: dir, cards: [CardFixture.banner(start: 0.5)])
        let result = try vitrine(["transcode", "\(dir)/dated.mp4", "-o", "\(dir)/hls", "--cards", "\(dir)/cards.json"])
        #expect(result.status == 0, "\(result.stderr)")
        let playlist = try PlaylistText(path: "\(dir)/hls/180p/index.m3u8")
        #expect(playlist.value(of: "#EXT-X-PROGRAM-DATE-TIME") == "2025-11-22T20:00:00.000Z")
        let range = parseAttributes(String(playlist.value(of: "#EXT-X-DATERANGE") ?? ""))
        #expect(range["START-DATE"] == "2025-11-22T20:00:00.500Z")
        // A banner has no price: only the product id and kind.
        #expect(range["X-PRICE"] == nil && range["X-CARD-KIND"] == "banner" && range["X-PRODUCT-ID"] == "CPN-10")
    }

    // MARK: - Bad cards files

    @Test(arguments: BadCards.allCases)
    func badCardsFileStopsTheJobBeforeEncoding(_ bad: BadCards) throws {
        let dir = try Paths.scratch("bad\(bad)")
        let line = try bad.write(to: dir)
        let result = try vitrine(["transcode", Paths.fixture("show-720p.mp4"), "-o", "\(dir)/hls", "--cards", "\(dir)/cards.json"])
        #expect(result.status == 64, "\(bad): exit \(result.status): \(result.stderr)")
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("vitrine: error:") }
        #expect(errors.count == 1 && result.stderr.split(separator: "\n").count == 1, "\(bad): \(result.stderr)")
        let message = String(errors.first ?? "")
        #expect(message.contains("\(dir)/cards.json"), "\(bad): does not name the file: \(message)")
        for part in bad.expected(line: line) { #expect(message.contains(part), "\(bad): \(message) lacks \"\(part)\"") }
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/hls"), "\(bad): output folder created")
    }
}
