// FLV 10.1 tag headers (E.4.2.1 AudioTagHeader, E.4.3.1 VideoTagHeader), the codec config
// records they carry, and RTMP timestamp unwrapping (spec 5.3.1: 32-bit ms, modulo 2^32).

import Testing
@testable import VitrineRTMP

@Suite struct FLVTagTests {
    @Test func videoHeaders() throws {
        #expect(try FLVTag.parseVideo(FLVBodies.videoSequenceHeader()) == .avcSequenceHeader(record: FLVBodies.avcRecord))
        #expect(try FLVTag.parseVideo(FLVBodies.videoFrame(key: true, cts: 66)) ==
                .avcNALUnits(isKeyframe: true, compositionTime: 66, data: [0, 0, 0, 2, 0x65, 0x88]))
        // Signed 24-bit composition time: 0xFFFFDF is -33.
        #expect(try FLVTag.parseVideo([0x27, 1, 0xFF, 0xFF, 0xDF, 9]) == .avcNALUnits(isKeyframe: false, compositionTime: -33, data: [9]))
        #expect(try FLVTag.parseVideo([0x27, 1, 0x80, 0x00, 0x00, 9]) == .avcNALUnits(isKeyframe: false, compositionTime: -8_388_608, data: [9]))
        #expect(try FLVTag.parseVideo([0x17, 2, 0, 0, 0]) == .avcEndOfSequence)
        #expect(try FLVTag.parseVideo([0x57, 0]) == .videoCommandFrame)
        #expect(try FLVTag.parseVideo([0x47, 1, 0, 0, 0, 1]) == .avcNALUnits(isKeyframe: true, compositionTime: 0, data: [1]))
    }

    @Test func videoErrors() {
        #expect(throws: FLVTagError.truncated(track: .video, length: 0)) { try FLVTag.parseVideo([]) }
        #expect(throws: FLVTagError.truncated(track: .video, length: 4)) { try FLVTag.parseVideo([0x17, 1, 0, 0]) }
        #expect(throws: FLVTagError.unsupportedVideoCodec(12)) { try FLVTag.parseVideo([0x1C, 1, 0, 0, 0]) }
        #expect(throws: FLVTagError.unknownPacketType(track: .video, 3)) { try FLVTag.parseVideo([0x17, 3, 0, 0, 0]) }
        // Enhanced RTMP HEVC coded frames ("hvc1"), as OBS 29+ and FFmpeg 6.1+ send them.
        #expect(throws: FLVTagError.enhancedVideoHeader(fourCC: "hvc1")) { try FLVTag.parseVideo([0x91, 0x68, 0x76, 0x63, 0x31, 0]) }
    }

    @Test func audioHeaders() throws {
        #expect(try FLVTag.parseAudio(FLVBodies.audioSequenceHeader()) == .aacSequenceHeader(config: FLVBodies.audioConfig))
        #expect(try FLVTag.parseAudio([0xAF, 1, 7, 8]) == .aacRaw(data: [7, 8]))
        #expect(throws: FLVTagError.unsupportedAudioFormat(2)) { try FLVTag.parseAudio([0x2F, 1, 0]) }   // MP3
        #expect(throws: FLVTagError.truncated(track: .audio, length: 1)) { try FLVTag.parseAudio([0xAF]) }
        #expect(throws: FLVTagError.unknownPacketType(track: .audio, 2)) { try FLVTag.parseAudio([0xAF, 2]) }
    }

    @Test func configRecords() {
        let avc = AVCDecoderConfiguration(record: FLVBodies.avcRecord)
        #expect(avc == AVCDecoderConfiguration(record: FLVBodies.avcRecord))
        #expect(avc?.profile == 0x64 && avc?.level == 0x1F && avc?.nalLengthSize == 4)
        #expect(AVCDecoderConfiguration(record: [0, 1, 2, 3, 4, 5, 6]) == nil)
        let aac = AACAudioConfiguration(config: FLVBodies.audioConfig)
        #expect(aac?.objectType == 2 && aac?.sampleRate == 44100 && aac?.channels == 2)
        #expect(AACAudioConfiguration(config: [0x17, 0x80]) == nil)   // rate index 15: explicit rate, unsupported
    }
}

@Suite struct TimestampUnwrapperTests {
    @Test func monotonicStampsPassThrough() {
        var clock = TimestampUnwrapper()
        #expect([0, 33, 66, 100].map { clock.unwrap($0) } ==
                [0, 33, 66, 100].map { TimestampUnwrapper.Result(milliseconds: $0, discontinuity: false) })
    }

    @Test func wrapAt32BitsContinues() {
        var clock = TimestampUnwrapper()
        let stamps: [UInt32] = [0xFFFF_FFF0, 0xFFFF_FFFF, 0x0000_000F, 0x0000_1000]
        #expect(stamps.map { clock.unwrap($0).milliseconds } == [0xFFFF_FFF0, 0xFFFF_FFFF, 0x1_0000_000F, 0x1_0000_1000])
    }

    @Test func pastTheExtendedTimestampBoundary() {
        // 0xFFFFFF ms is 4h39m37s: past it the chunk layer carries the extended field, and the
        // unwrapper sees ordinary 32-bit values.
        var clock = TimestampUnwrapper()
        let stamps: [UInt32] = [0x00FF_FFF0, 0x00FF_FFFF, 0x0100_0010]
        #expect(stamps.map { clock.unwrap($0) }.map(\.discontinuity) == [false, false, false])
        #expect(clock.unwrap(0x0100_0030).milliseconds == 0x0100_0030)
    }

    @Test func backwardsJumpIsFlagged() {
        var clock = TimestampUnwrapper()
        _ = clock.unwrap(5_000)
        let back = clock.unwrap(4_000)
        #expect(back == TimestampUnwrapper.Result(milliseconds: 4_000, discontinuity: true))
        #expect(clock.unwrap(4_033) == TimestampUnwrapper.Result(milliseconds: 4_033, discontinuity: false))
        // Backwards across the wrap point, from just after a wrap.
        var wrapped = TimestampUnwrapper()
        _ = wrapped.unwrap(0xFFFF_FFF0)
        _ = wrapped.unwrap(0x10)
        #expect(wrapped.unwrap(0xFFFF_FF00) == TimestampUnwrapper.Result(milliseconds: 0xFFFF_FF00, discontinuity: true))
    }

    @Test func largeForwardJumpIsFlagged() {
        var clock = TimestampUnwrapper(maxForwardJumpMilliseconds: 10_000)
        _ = clock.unwrap(0)
        #expect(clock.unwrap(10_000).discontinuity == false)
        #expect(clock.unwrap(20_001) == TimestampUnwrapper.Result(milliseconds: 20_001, discontinuity: true))
    }
}
