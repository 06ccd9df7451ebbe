// FLVTag: the FLV audio and video tag headers RTMP messages 8 and 9 carry (Adobe FLV spec 10.1,
// section E.4.2.1 AUDIODATA / AudioTagHeader and E.4.3.1 VIDEODATA / VideoTagHeader), for the
// codecs this ingest accepts: AAC (SoundFormat 10) and H.264/AVC (CodecID 7).

public enum FLVTagError: Error, Equatable, Sendable, CustomStringConvertible {
    case truncated(track: AccessUnit.Track, length: Int)
    case unsupportedAudioFormat(UInt8)
    case unsupportedVideoCodec(UInt8)
    /// Enhanced RTMP (IsExHeader bit set: HEVC, AV1, VP9 by FourCC); not accepted yet.
    case enhancedVideoHeader(fourCC: String)
    case unknownPacketType(track: AccessUnit.Track, UInt8)

    public var description: String {
        switch self {
        case let .truncated(track, length): return "\(track) tag of \(length) bytes is shorter than its header"
        case let .unsupportedAudioFormat(f): return "unsupported FLV SoundFormat \(f) (only 10, AAC)"
        case let .unsupportedVideoCodec(c): return "unsupported FLV video CodecID \(c) (only 7, AVC)"
        case let .enhancedVideoHeader(fourCC): return "enhanced RTMP video \"\(fourCC)\" is not supported (only H.264)"
        case let .unknownPacketType(track, t): return "unknown \(track) packet type \(t)"
        }
    }
}

/// The parsed header plus the codec payload that follows it; timestamps are added by the caller.
public enum FLVTag: Equatable, Sendable {
    /// AVCPacketType 0: the AVCDecoderConfigurationRecord.
    case avcSequenceHeader(record: [UInt8])
    /// AVCPacketType 1: NAL units with the signed 24-bit composition time offset (ms).
    case avcNALUnits(isKeyframe: Bool, compositionTime: Int32, data: [UInt8])
    /// AVCPacketType 2, and frame type 5 (video info/command frames): nothing to decode.
    case avcEndOfSequence
    case videoCommandFrame
    /// AACPacketType 0: AudioSpecificConfig.
    case aacSequenceHeader(config: [UInt8])
    /// AACPacketType 1: one raw AAC frame.
    case aacRaw(data: [UInt8])

    public static func parseVideo(_ payload: [UInt8]) throws(FLVTagError) -> FLVTag {
        guard let first = payload.first else { throw .truncated(track: .video, length: 0) }
        let frameType = first >> 4
        let codecID = first & 0x0F
        // Frame type 5 carries a one-byte command and no picture, whatever the codec.
        if frameType == 5 { return .videoCommandFrame }
        if first & 0x80 != 0 {
            let fourCC = payload.dropFirst().prefix(4).map { $0 >= 0x20 && $0 < 0x7F ? Character(UnicodeScalar($0)) : "?" }
            throw .enhancedVideoHeader(fourCC: String(fourCC))
        }
        guard codecID == 7 else { throw .unsupportedVideoCodec(codecID) }
        guard payload.count >= 5 else { throw .truncated(track: .video, length: payload.count) }
        // SI24 composition time: sign-extend from bit 23.
        let raw = Int32(payload[2]) << 16 | Int32(payload[3]) << 8 | Int32(payload[4])
        let compositionTime = (raw << 8) >> 8
        switch payload[1] {
        case 0:
            return .avcSequenceHeader(record: Array(payload[5...]))
        case 1:
            return .avcNALUnits(isKeyframe: frameType == 1 || frameType == 4,
                                compositionTime: compositionTime, data: Array(payload[5...]))
        case 2:
            return .avcEndOfSequence
        case let other:
            throw .unknownPacketType(track: .video, other)
        }
    }

    public static func parseAudio(_ payload: [UInt8]) throws(FLVTagError) -> FLVTag {
        guard let first = payload.first else { throw .truncated(track: .audio, length: 0) }
        let soundFormat = first >> 4
        guard soundFormat == 10 else { throw .unsupportedAudioFormat(soundFormat) }
        guard payload.count >= 2 else { throw .truncated(track: .audio, length: payload.count) }
        switch payload[1] {
        case 0: return .aacSequenceHeader(config: Array(payload[2...]))
        case 1: return .aacRaw(data: Array(payload[2...]))
        case let other: throw .unknownPacketType(track: .audio, other)
        }
    }
}

/// Fields of an AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.2.4.1) the pipeline may check
/// before opening a decoder.
public struct AVCDecoderConfiguration: Equatable, Sendable {
    public var profile: UInt8
    public var level: UInt8
    /// Bytes in each NAL unit length prefix of the AVCC frames (1, 2 or 4).
    public var nalLengthSize: Int

    public init?(record: [UInt8]) {
        guard record.count >= 7, record[0] == 1 else { return nil }
        profile = record[1]
        level = record[3]
        nalLengthSize = Int(record[4] & 0x03) + 1
        guard nalLengthSize != 3 else { return nil }
    }
}

/// Fields of an AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1) for logs and sanity checks.
public struct AACAudioConfiguration: Equatable, Sendable {
    public var objectType: UInt8
    public var sampleRate: Int
    public var channels: UInt8

    private static let rates = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350]

    public init?(config: [UInt8]) {
        guard config.count >= 2 else { return nil }
        objectType = config[0] >> 3
        let rateIndex = Int((config[0] & 0x07) << 1 | config[1] >> 7)
        guard objectType != 0, rateIndex < Self.rates.count else { return nil }
        sampleRate = Self.rates[rateIndex]
        channels = (config[1] >> 3) & 0x0F
    }
}
