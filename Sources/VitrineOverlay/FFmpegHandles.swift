// FFmpegHandles.swift - one owning Swift type per FFmpeg allocation used to decode overlay images,
// each freed exactly once in deinit with the `_free(&p)` form, plus the one error-checking function.

import CFFmpeg

/// Converts a negative FFmpeg return code into an ImageError carrying av_strerror's text.
@discardableResult
func ffCheck(_ code: Int32, _ call: String) throws(ImageError) -> Int32 {
    guard code < 0 else { return code }
    throw .ffmpeg(call: call, code: code, message: ffErrorText(code))
}

func ffErrorText(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard av_strerror(code, &buffer, buffer.count) == 0 else { return "unknown FFmpeg error \(code)" }
    return String(cString: buffer)
}

/// An opened input file (avformat_open_input ... avformat_close_input).
final class FormatInput {
    private(set) var context: UnsafeMutablePointer<AVFormatContext>?

    /// Local files only, and only the image demuxers: a card image is never a playlist or a URL.
    init(path: String) throws(ImageError) {
        var ctx: UnsafeMutablePointer<AVFormatContext>?
        var options: OpaquePointer?
        av_dict_set(&options, "protocol_whitelist", "file", 0)
        av_dict_set(&options, "format_whitelist", "image2,png_pipe,jpeg_pipe,webp_pipe", 0)
        defer { av_dict_free(&options) }
        try ffCheck(avformat_open_input(&ctx, path, nil, &options), "avformat_open_input")
        context = ctx
    }

    deinit { avformat_close_input(&context) }
}

/// A decoder context (avcodec_alloc_context3 ... avcodec_free_context).
final class CodecContext {
    private(set) var context: UnsafeMutablePointer<AVCodecContext>?
    /// The parameters came from the input's stream: keep the input alive while decoding.
    private let input: FormatInput

    init(codec: UnsafePointer<AVCodec>, parameters: UnsafePointer<AVCodecParameters>, input: FormatInput) throws(ImageError) {
        self.input = input
        guard let ctx = avcodec_alloc_context3(codec) else {
            throw .ffmpeg(call: "avcodec_alloc_context3", code: vitrine_averror(ENOMEM), message: ffErrorText(vitrine_averror(ENOMEM)))
        }
        context = ctx
        try ffCheck(avcodec_parameters_to_context(ctx, parameters), "avcodec_parameters_to_context")
        // One picture: threads would only add start-up cost.
        ctx.pointee.thread_count = 1
        // A picture past the limit is refused before its pixels are allocated.
        ctx.pointee.max_pixels = Int64(ImageLimits.maxPixels)
        try ffCheck(avcodec_open2(ctx, codec, nil), "avcodec_open2")
    }

    deinit { avcodec_free_context(&context) }
}

/// A packet (av_packet_alloc ... av_packet_free).
final class OwnedPacket {
    private(set) var packet: UnsafeMutablePointer<AVPacket>?

    init() throws(ImageError) {
        guard let p = av_packet_alloc() else {
            throw .ffmpeg(call: "av_packet_alloc", code: vitrine_averror(ENOMEM), message: ffErrorText(vitrine_averror(ENOMEM)))
        }
        packet = p
    }

    deinit { av_packet_free(&packet) }
}

/// A frame (av_frame_alloc ... av_frame_free).
final class OwnedFrame {
    private(set) var frame: UnsafeMutablePointer<AVFrame>?

    init() throws(ImageError) {
        guard let f = av_frame_alloc() else {
            throw .ffmpeg(call: "av_frame_alloc", code: vitrine_averror(ENOMEM), message: ffErrorText(vitrine_averror(ENOMEM)))
        }
        frame = f
    }

    deinit { av_frame_free(&frame) }
}

/// A swscale context (sws_getContext ... sws_freeContext; no `&p` form exists for it).
final class OwnedScaler {
    let context: OpaquePointer

    init(width: Int32, height: Int32, source: AVPixelFormat, destination: AVPixelFormat) throws(ImageError) {
        guard let ctx = sws_getContext(width, height, source, width, height, destination,
                                       Int32(SWS_BICUBIC), nil, nil, nil) else {
            let name = av_get_pix_fmt_name(source).map { String(cString: $0) } ?? "\(source.rawValue)"
            throw .ffmpeg(call: "sws_getContext(\(name) -> bgra)", code: vitrine_averror(EINVAL),
                          message: ffErrorText(vitrine_averror(EINVAL)))
        }
        context = ctx
    }

    deinit { sws_freeContext(context) }
}
