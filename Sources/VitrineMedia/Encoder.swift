// libavcodec encoders: libx264 for video rungs, FFmpeg's AAC for audio. Send frames, drain packets.
import CFFmpeg

/// How much delay x264 may add. `normal`: frame threads, the preset's lookahead and B-frames.
/// `low` (live conversation): sliced threads (a frame leaves as soon as it is encoded, not
/// after a frame per thread), a 5-frame rate-control lookahead, no B-frames.
public enum EncoderLatency: String, Codable, Sendable, CaseIterable {
    case normal, low
}

/// Settings for one H.264 rung.
public struct VideoEncoderSettings {
    public var width: Int
    public var height: Int
    public var frameRate: AVRational
    public var bitrate: Int
    public var preset: String
    public var profile: String
    /// Frames between forced keyframes; x264 is told the same so it never adds its own.
    public var gopFrames: Int
    public var threads: Int
    public var globalHeader: Bool
    /// The matrix the pixels are in (scaling keeps the source's), and so the one the output is tagged with.
    public var matrix: ColorMatrix
    public var latency: EncoderLatency = .normal

    public init(width: Int, height: Int, frameRate: AVRational, bitrate: Int, preset: String,
                profile: String, gopFrames: Int, threads: Int, globalHeader: Bool, matrix: ColorMatrix) {
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.bitrate = bitrate
        self.preset = preset
        self.profile = profile
        self.gopFrames = gopFrames
        self.threads = threads
        self.globalHeader = globalHeader
        self.matrix = matrix
    }
}

public final class Encoder {
    private let codec: CodecContext
    public var context: UnsafeMutablePointer<AVCodecContext> { codec.pointer }
    public var timeBase: TimeBase { TimeBase(context.pointee.time_base) }

    /// Opens libx264 with a constrained VBR (maxrate 1.07x, 1.5x buffer) and scene-cut off,
    /// so keyframes only land where the pipeline forces them.
    public init(video s: VideoEncoderSettings) throws {
        guard let codec = avcodec_find_encoder_by_name("libx264") else {
            throw MediaError.codecNotFound("libx264 (install an FFmpeg built with it)")
        }
        self.codec = try CodecContext(codec, "allocating libx264")
        let c = self.codec.pointer
        let name = "libx264 \(s.width)x\(s.height)"
        c.pointee.width = try cInt(s.width, "\(name): width")
        c.pointee.height = try cInt(s.height, "\(name): height")
        c.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        c.pointee.time_base = av_inv_q(s.frameRate)
        c.pointee.framerate = s.frameRate
        c.pointee.sample_aspect_ratio = AVRational(num: 1, den: 1)
        c.pointee.bit_rate = Int64(s.bitrate)
        c.pointee.rc_max_rate = Int64(s.bitrate) * 107 / 100
        c.pointee.rc_buffer_size = Int32(clamping: Int64(s.bitrate) * 3 / 2)
        c.pointee.gop_size = try cInt(s.gopFrames, "\(name): keyframe interval")
        c.pointee.keyint_min = c.pointee.gop_size
        c.pointee.thread_count = try cInt(s.threads, "\(name): threads")
        c.pointee.color_range = AVCOL_RANGE_MPEG
        let hd = s.matrix == .bt709
        c.pointee.colorspace = hd ? AVCOL_SPC_BT709 : AVCOL_SPC_SMPTE170M
        c.pointee.color_primaries = hd ? AVCOL_PRI_BT709 : AVCOL_PRI_SMPTE170M
        c.pointee.color_trc = hd ? AVCOL_TRC_BT709 : AVCOL_TRC_SMPTE170M
        if s.globalHeader { c.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        var pairs = [("preset", s.preset), ("profile", s.profile), ("forced-idr", "1"), ("sc_threshold", "0")]
        if s.latency == .low {
            c.pointee.max_b_frames = 0
            pairs += [("rc-lookahead", "5"), ("x264-params", "sliced-threads=1:sync-lookahead=0")]
        }
        let options = OptionDictionary(pairs)
        try Encoder.open(c, codec, options, name)
    }

    /// Opens FFmpeg's AAC-LC encoder: 48 kHz stereo planar float.
    public init(aacBitrate: Int, sampleRate: Int = 48_000, globalHeader: Bool) throws {
        guard let codec = avcodec_find_encoder(AV_CODEC_ID_AAC) else { throw MediaError.codecNotFound("AAC") }
        self.codec = try CodecContext(codec, "allocating the AAC encoder")
        let c = self.codec.pointer
        c.pointee.sample_fmt = AV_SAMPLE_FMT_FLTP
        c.pointee.sample_rate = try cInt(sampleRate, "AAC: sample rate")
        av_channel_layout_default(&c.pointee.ch_layout, 2)
        c.pointee.bit_rate = Int64(aacBitrate)
        c.pointee.time_base = AVRational(num: 1, den: c.pointee.sample_rate)
        c.pointee.profile = FF_PROFILE_AAC_LOW
        if globalHeader { c.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        try Encoder.open(c, codec, OptionDictionary([]), "AAC")
    }

    /// On failure the context is left to its CodecContext, which frees it once.
    private static func open(_ c: UnsafeMutablePointer<AVCodecContext>, _ codec: UnsafePointer<AVCodec>,
                             _ options: OptionDictionary, _ name: String) throws {
        try check(avcodec_open2(c, codec, &options.pointer), "opening \(name)")
        let unused = options.leftoverKeys
        if !unused.isEmpty { throw MediaError.unsupported("\(name) ignored options: \(unused.joined(separator: ", "))") }
    }

    /// Samples per audio frame the encoder wants (1024 for AAC).
    public var frameSize: Int { Int(context.pointee.frame_size) }

    /// Sends a frame (nil to flush) and returns every packet now ready.
    public func encode(_ frame: Frame?) throws -> [Packet] {
        try check(avcodec_send_frame(context, frame?.pointer), "encoding")
        var packets: [Packet] = []
        while true {
            let packet = try Packet()
            let code = avcodec_receive_packet(context, packet.pointer)
            if code == AVStatus.again || code == AVStatus.endOfFile { break }
            try check(code, "encoding")
            packets.append(packet)
        }
        return packets
    }

    /// Codec extradata (SPS/PPS or AudioSpecificConfig) when the global-header flag was set.
    public var extradata: [UInt8] {
        guard let data = context.pointee.extradata, context.pointee.extradata_size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(context.pointee.extradata_size)))
    }
}
