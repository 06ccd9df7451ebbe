import CFFmpeg
import Foundation
import Testing
@testable import VitrineMedia

struct MediaTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func fixture(_ name: String) -> String { root.appendingPathComponent("Fixtures/media/\(name)").path }

    @Test func errorsCarryFFmpegText() throws {
        #expect(throws: MediaError.ffmpeg(operation: "opening x", code: AVStatus.posix(ENOENT), message: "No such file or directory")) {
            try check(AVStatus.posix(ENOENT), "opening x")
        }
        #expect(try check(5, "fine") == 5)
    }

    @Test func demuxerDescribesStreams() throws {
        let demuxer = try Demuxer(path: Self.fixture("show-720p.mp4"))
        let video = try #require(demuxer.bestStream(.video))
        #expect(video.width == 1280 && video.height == 720 && video.codecName == "h264")
        #expect(video.frameRate.num == 30 && video.frameRate.den == 1)
        #expect(demuxer.bestStream(.audio)?.channels == 2)
        #expect(abs((demuxer.durationSeconds ?? 0) - 6) < 0.1)
        // Tagged rotate=90 by the fixture script; FFmpeg's display matrix reads as a quarter turn
        // that its own CLI undoes counter-clockwise, i.e. 270 degrees clockwise.
        #expect(try Demuxer(path: Self.fixture("phone-rotated.mp4")).bestStream(.video)?.rotation == 270)
    }

    @Test func demuxerRefusesNonMedia() {
        #expect { try Demuxer(path: "/etc/hostname") } throws: { "\($0)".contains("opening /etc/hostname") }
    }

    @Test func decodesScalesAndRotates() throws {
        FFmpegLog.silent()
        let demuxer = try Demuxer(path: Self.fixture("show-720p.mp4"))
        let stream = try #require(demuxer.bestStream(.video))
        let decoder = try Decoder(demuxer: demuxer, streamIndex: stream.index)
        let packet = try Packet()
        var decoded: Frame?
        while decoded == nil, try demuxer.read(into: packet) {
            guard packet.streamIndex == stream.index else { continue }
            try decoder.send(packet)
            let frame = try Frame()
            if try decoder.receive(into: frame) { decoded = frame }
        }
        let frame = try #require(decoded)
        let small = try Scaler(width: 64, height: 36).scale(frame)
        #expect(small.width == 64 && small.height == 36 && small.pixelFormat == AV_PIX_FMT_YUV420P)
        let turned = try Rotator.rotate(small, clockwise: 90)
        #expect(turned.width == 36 && turned.height == 64)
        // Top-left of the source lands top-right after a clockwise turn.
        #expect(turned.plane(0)![35] == small.plane(0)![0])
        let back = try Rotator.rotate(try Rotator.rotate(turned, clockwise: 180), clockwise: 90)
        for y in 0..<36 { for x in 0..<64 { #expect(back.plane(0)![y * back.linesize(0) + x] == small.plane(0)![y * small.linesize(0) + x]) } }
    }

    @Test func resamplerMakesWholeAACFrames() throws {
        let resampler = try Resampler(sampleRate: 48_000, frameSize: 1024)
        try resampler.pushSilence(2500)
        let a = try #require(try resampler.pull())
        let b = try #require(try resampler.pull())
        #expect(a.sampleCount == 1024 && a.pts == 0 && b.pts == 1024)
        #expect(try resampler.pull() == nil)
        let last = try #require(try resampler.pull(final: true))
        #expect(last.sampleCount == 452)
    }

    @Test func timeRescalesWithoutOverflow() {
        #expect(MediaTime(90_000, .mpegTS).rescaled(to: .microseconds).value == 1_000_000)
        #expect(rescale(noTimestamp, from: .mpegTS, to: .microseconds) == noTimestamp)
        #expect(MediaTime(Int64(1) << 40, .mpegTS).rescaled(to: TimeBase(1, 1_000_000_000)).value == ((Int64(1) << 40) * 100_000 + 4) / 9)
    }
}
