// Drives the packager with a real x264 encoder on synthetic frames.
import CFFmpeg
import Testing
@testable import VitrineHLS
@testable import VitrineMedia

struct PackagerTests {
    func encoder(globalHeader: Bool) throws -> Encoder {
        try Encoder(video: VideoEncoderSettings(width: 64, height: 64, frameRate: AVRational(num: 30, den: 1), bitrate: 200_000,
                                                preset: "ultrafast", profile: "main", gopFrames: 30, threads: 1,
                                                globalHeader: globalHeader, matrix: .bt601))
    }

    /// Frame `i` of a 30 fps picture that changes every frame, a keyframe every second, encoded.
    func encodeFrame(_ i: Int, with video: Encoder) throws -> [Packet] {
        let frame = try Frame.video(width: 64, height: 64, format: AV_PIX_FMT_YUV420P)
        for plane in 0..<3 { frame.plane(plane)!.update(repeating: UInt8(truncatingIfNeeded: i * 7 + plane), count: frame.linesize(plane) * (plane == 0 ? 64 : 32)) }
        frame.pts = Int64(i)
        frame.forceKeyframe(i % 30 == 0)
        let packets = try video.encode(frame)
        for p in packets { p.duration = 1 }
        return packets
    }

    func run(_ format: SegmentFormat, frames: Int, partDuration: Double? = nil,
             onPart: ((MuxedPart) -> Void)? = nil) throws -> (Packager, [MuxedSegment]) {
        FFmpegLog.silent()
        let video = try encoder(globalHeader: format.needsGlobalHeader)
        let packager = try Packager(format: format, video: video, audio: nil, targetDuration: 1, partDuration: partDuration)
        packager.onPart = onPart
        var segments: [MuxedSegment] = []
        for i in 0..<frames {
            let packets = try encodeFrame(i, with: video)
            segments += try packager.writeVideo(packets)
        }
        let tail = try video.encode(nil)
        for p in tail { p.duration = 1 }
        segments += try packager.writeVideo(tail)
        segments += try packager.finish()
        return (packager, segments)
    }

    @Test func cutsOnForcedKeyframes() throws {
        let (_, segments) = try run(.ts, frames: 75)
        #expect(segments.map(\.index) == [0, 1, 2])
        #expect(segments.map { ($0.durationSeconds * 1000).rounded() } == [1000, 1000, 500])
        #expect(segments.allSatisfy { $0.bytes.count % 188 == 0 && $0.bytes.first == 0x47 })
    }

    @Test func fmp4HasInitAndFragments() throws {
        let (packager, segments) = try run(.fmp4, frames: 60)
        let initSegment = try #require(packager.initSegment)
        #expect(String(decoding: initSegment[4..<8], as: UTF8.self) == "ftyp")
        #expect(segments.count == 2)
        // CMAF segments open with styp or moof, and carry no mfra index.
        for segment in segments {
            let type = String(decoding: segment.bytes[4..<8], as: UTF8.self)
            #expect(type == "moof" || type == "styp", "segment starts with \(type)")
        }
    }

    /// LL-HLS parts: every 10 frames (1/3 s at 30 fps) a fragment of its own, on a frame
    /// boundary; the first of each segment starts with its IDR; a segment is its parts' bytes.
    @Test func fmp4PartsEveryTenFramesMakeUpTheSegments() throws {
        var parts: [MuxedPart] = []
        let (_, segments) = try run(.fmp4, frames: 75, partDuration: 10.0 / 30) { parts.append($0) }
        #expect(segments.count == 3)
        // 75 frames: two segments of 3 parts, and a last one of 15 frames (10 + 5).
        #expect(parts.map { "\($0.segmentIndex).\($0.index)" } == ["0.0", "0.1", "0.2", "1.0", "1.1", "1.2", "2.0", "2.1"])
        #expect(parts.map { ($0.durationSeconds * 30).rounded() } == [10, 10, 10, 10, 10, 10, 10, 5], "\(parts.map(\.durationSeconds))")
        #expect(parts.filter(\.independent).map(\.index) == [0, 0, 0])
        // The last part of each segment says so: the segment follows it at once.
        #expect(parts.filter(\.endsSegment).map { "\($0.segmentIndex).\($0.index)" } == ["0.2", "1.2", "2.1"])
        for segment in segments {
            let own = parts.filter { $0.segmentIndex == segment.index }
            #expect(own.flatMap(\.bytes) == segment.bytes)
            #expect(abs(own.reduce(0) { $0 + $1.durationSeconds } - segment.durationSeconds) < 1e-6)
            #expect(own.allSatisfy { String(decoding: $0.bytes[4..<8], as: UTF8.self) == "moof" })
        }
    }

    /// Audio that stops while video goes on (a muted phone, a dropped mic) must not stop the
    /// cutting: once audio has been quiet for `quietAfter` (4 s here), video segments come out.
    @Test func aQuietAudioTrackDoesNotHoldTheSegments() throws {
        FFmpegLog.silent()
        let video = try encoder(globalHeader: false)
        let audio = try Encoder(aacBitrate: 64_000, globalHeader: false)
        let packager = try Packager(format: .ts, video: video, audio: audio, targetDuration: 1)
        var segments: [MuxedSegment] = []
        let resampler = try Resampler(frameSize: audio.frameSize)
        var samples: Int64 = 0
        for i in 0..<300 {
            let packets = try encodeFrame(i, with: video)
            segments += try packager.writeVideo(packets)
            // Audio for the first second only, then nothing.
            while i < 30, samples * 30 < Int64(i + 1) * 48_000 {
                try resampler.pushSilence(1024)
                samples += 1024
                while let silence = try resampler.pull() { segments += try packager.writeAudio(try audio.encode(silence)) }
            }
        }
        // 10 s of video, audio for the first 1 s: the cuts up to about 6 s are made while it runs,
        // not all at the end.
        #expect(segments.count >= 5, "segments cut while the audio was quiet: \(segments.map(\.durationSeconds))")
        let tail = try packager.finish()
        #expect(segments.count + tail.count == 10)
        #expect(packager.quietAfter == 4)
    }
}
