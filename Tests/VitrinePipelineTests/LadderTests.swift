import Testing
@testable import VitrinePipeline

struct LadderTests {
    @Test func parsesSizesAndBitrates() throws {
        let rungs = try Ladder.parse("720p:3000k, 1280x720:3M,360p:800000")
        #expect(rungs == [
            Rung(size: .shortSide(720), bitrate: 3_000_000),
            Rung(size: .exact(width: 1280, height: 720), bitrate: 3_000_000),
            Rung(size: .shortSide(360), bitrate: 800_000),
        ])
    }

    @Test(arguments: ["", "720p", "720p:", ":3000k", "719p:3000k", "720p:3000x", "720p:10k", "720p:3000k,", "99999p:1M", "720p:1e300k", "720p:-1e300M", "720p:nanM"])
    func rejectsBadLadders(text: String) {
        #expect(throws: TranscodeError.self) { try Ladder.parse(text) }
    }

    @Test func errorNamesTheRungAndThePiece() {
        do {
            _ = try Ladder.parse("720p:3000k,480p:lots")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("rung 2 '480p:lots'"))
            #expect("\(error)".contains("bitrate 'lots'"))
        }
    }

    @Test func defaultRungsStopAtTheSourceSize() {
        let sizes = Ladder.defaultRungs(displayWidth: 1280, displayHeight: 720).map(\.size)
        #expect(sizes == [.shortSide(720), .shortSide(480), .shortSide(360), .shortSide(240)])
        let portrait = Ladder.defaultRungs(displayWidth: 1080, displayHeight: 1920).map(\.size)
        #expect(portrait.first == .shortSide(1080))
        #expect(Ladder.defaultRungs(displayWidth: 200, displayHeight: 150).count == 1)
    }

    @Test func resolvesToEvenSizesKeepingTheAspect() {
        let specs = Ladder.resolve(Ladder.defaultRungs(displayWidth: 1920, displayHeight: 1080), displayWidth: 1920, displayHeight: 1080)
        #expect(specs.map { "\($0.width)x\($0.height)" } == ["1920x1080", "1280x720", "854x480", "640x360", "426x240"])
        #expect(specs.map(\.profile) == ["high", "high", "high", "main", "main"])
        let portrait = Ladder.resolve([Rung(size: .shortSide(720), bitrate: 1)], displayWidth: 1080, displayHeight: 1920)
        #expect(portrait.map { "\($0.width)x\($0.height)" } == ["720x1280"])
        #expect(specs.allSatisfy { $0.width % 2 == 0 && $0.height % 2 == 0 })
    }

    @Test func neverUpscales() {
        let specs = Ladder.resolve([Rung(size: .shortSide(1080), bitrate: 5_000_000), Rung(size: .shortSide(720), bitrate: 3_000_000)],
                                   displayWidth: 1280, displayHeight: 720)
        // 1080p clamps to the source size, which 720p then duplicates.
        #expect(specs.map(\.height) == [720])
    }
}

struct FrameRateConverterTests {
    @Test func steadyInputMapsOneToOne() {
        var c = FrameRateConverter(framesPerSecond: 30)
        let out = (0..<5).map { c.indices(forFrameAt: Double($0) / 30).count }
        #expect(out == [1, 1, 1, 1, 1])
        #expect(c.nextIndex == 5)
    }

    @Test func gapsRepeatAndBunchesDrop() {
        var c = FrameRateConverter(framesPerSecond: 10)
        #expect(c.indices(forFrameAt: 0) == 0..<1)
        #expect(c.indices(forFrameAt: 0.4) == 1..<5)     // 0.3 s gap filled
        #expect(c.indices(forFrameAt: 0.21) == 5..<5)    // far behind: dropped
        #expect(c.indices(forFrameAt: 0.5) == 5..<6)
    }

    /// Hours either way (video starting 3 h after audio, a timestamp reset) is a discontinuity,
    /// not 270000 repeated frames, and extreme times never trap.
    @Test func jumpsPastTheGapLimitContinue() {
        var c = FrameRateConverter(framesPerSecond: 25)
        #expect(c.indices(forFrameAt: 10_800) == 0..<1)
        #expect(c.indices(forFrameAt: 10_800.04) == 1..<2)
        #expect(c.indices(forFrameAt: 10_800.2) == 2..<6)       // a short gap is still filled
        #expect(c.indices(forFrameAt: 3) == 6..<7)               // backwards by hours
        #expect(c.indices(forFrameAt: 3.04) == 7..<8)
        #expect(c.indices(forFrameAt: 9.2e18) == 8..<9)
        #expect(c.indices(forFrameAt: -.infinity) == 9..<10)
        #expect(c.indices(forFrameAt: .nan) == 10..<11)
        #expect(c.jumps == 5)
    }
}

struct EncoderThreadsTests {
    @Test func topRungGetsMoreThreads() {
        let specs = Ladder.resolve(try! Ladder.parse("720p:3000k,480p:1400k,360p:800k"), displayWidth: 1920, displayHeight: 1080)
        #expect(EncoderThreads.perRung(specs, override: nil, cores: 2) == [2, 1, 1])
        #expect(EncoderThreads.perRung(specs, override: nil, cores: 8) == [7, 3, 2])
        // One rung alone gets what x264 itself would pick: 1.5 threads per core.
        #expect(EncoderThreads.perRung(Array(specs.prefix(1)), override: nil, cores: 2) == [3])
        #expect(EncoderThreads.perRung(specs, override: 3, cores: 2) == [3, 3, 3])
        #expect(EncoderThreads.decoder(lanes: 3, cores: 2) == 1)
        #expect(EncoderThreads.decoder(lanes: 3, cores: 8) == 6)
    }

    @Test func absurdShapesFitTheEncoder() {
        // What a 320x240 picture with a 100:1 pixel aspect ratio would be shown at, and the reverse.
        for (w, h) in [(32_000, 240), (320, 1), (1, 2304), (0, 0), (Int(Int32.max), 2), (Int.max, 1), (1, Int.max)] {
            let specs = Ladder.resolve(Ladder.defaultRungs(displayWidth: w, displayHeight: h) + [Rung(size: .exact(width: 4096, height: 4096), bitrate: 1_000_000)],
                                       displayWidth: w, displayHeight: h)
            #expect(!specs.isEmpty)
            for spec in specs {
                #expect(max(spec.width, spec.height) <= Ladder.maxSide && min(spec.width, spec.height) >= 2, "\(w)x\(h): \(spec)")
                #expect(spec.width % 2 == 0 && spec.height % 2 == 0)
            }
        }
    }
}

/// The filler a track may add in all (MediaGap): gaps just under the limit on every frame stop
/// being bridged once two minutes of filler outgrow the track's own content.
@Suite struct FillerBudgetTests {
    @Test func repeatedJumpsJustUnderTheLimitDoNotBecomeHoursOfFrames() {
        var converter = FrameRateConverter(framesPerSecond: 30)
        var output: Int64 = 0
        // 1000 frames, each 59 s after the last: bridged, that is 16 hours of repeated frames.
        for index in 0..<1000 { output += Int64(converter.indices(forFrameAt: Double(index) * 59).count) }
        let seconds = Double(output) / 30
        #expect(seconds <= MediaGap.fillerAllowanceSeconds + 60 + 1000.0 / 30, "\(seconds) s of output from 1000 frames")
        #expect(converter.jumps > 900, "past the budget, each jump is a discontinuity")
    }

    @Test func ordinaryGapsAreStillBridged() {
        var converter = FrameRateConverter(framesPerSecond: 30)
        // Ten minutes at 30 fps with a 2 s hole every minute: all bridged, in sync.
        var output: Int64 = 0
        for index in 0..<(30 * 600) where index % 1800 >= 60 { output += Int64(converter.indices(forFrameAt: Double(index) / 30).count) }
        #expect(converter.jumps == 0)
        #expect(abs(Double(output) / 30 - 600) < 0.1)
        #expect(MediaGap.canBridge(30, filled: 100, content: 10) && !MediaGap.canBridge(30, filled: 100, content: 0))
    }
}
