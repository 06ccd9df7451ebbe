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

    func run(_ format: SegmentFormat, frames: Int) throws -> (Packager, [MuxedSegment]) {
        FFmpegLog.silent()
        let video = try encoder(globalHeader: format.needsGlobalHeader)
        let packager = try Packager(format: format, video: video, audio: nil, targetDuration: 1)
        var segments: [MuxedSegment] = []
        for i in 0..<frames {
            let frame = try Frame.video(width: 64, height: 64, format: AV_PIX_FMT_YUV420P)
            for plane in 0..<3 { frame.plane(plane)!.update(repeating: UInt8(truncatingIfNeeded: i * 7 + plane), count: frame.linesize(plane) * (plane == 0 ? 64 : 32)) }
            frame.pts = Int64(i)
            frame.forceKeyframe(i % 30 == 0)
            let packets = try video.encode(frame)
            for p in packets { p.duration = 1 }
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
}
