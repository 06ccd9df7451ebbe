// ImageDecoder.swift - decodes a PNG, JPEG or WebP product image with FFmpeg (libavformat's image
// demuxers + libavcodec) into premultiplied BGRA, the layout Cairo's ARGB32 uses on little-endian.
//
// Limits (design.md): at most 4096x4096 and 16 MiB of decoded BGRA, checked before any pixel copy.

import CFFmpeg
import Foundation

/// A decoded product image: premultiplied BGRA, rows packed (stride = width * 4).
public final class ProductImage: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public let pixels: [UInt8]
    /// FNV-1a over the pixels: a cheap identity for render caches.
    public let digest: UInt64

    init(width: Int, height: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in pixels { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        digest = hash
    }

    public static func == (lhs: ProductImage, rhs: ProductImage) -> Bool {
        lhs === rhs || (lhs.digest == rhs.digest && lhs.width == rhs.width && lhs.height == rhs.height && lhs.pixels == rhs.pixels)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(digest)
    }
}

public enum ImageDecoder {
    /// Decodes the first picture of the file at `url`.
    public static func decode(fileAt url: URL) throws(ImageError) -> ProductImage {
        guard FileManager.default.fileExists(atPath: url.path) else { throw .missing }
        if let declared = ImageHeader.size(ofFileAt: url.path) { try checkSize(declared.width, declared.height) }
        let input = try FormatInput(path: url.path)
        guard let format = input.context else { throw .noVideoStream }
        // Probing decodes a picture to learn its size: with max_pixels on the probe's decoders
        // too, a small file that inflates to hundreds of MB (a decompression bomb) is measured
        // from its header and refused below without being decoded.
        try findStreamInfo(format)

        let streamIndex = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        guard streamIndex >= 0, let stream = format.pointee.streams[Int(streamIndex)],
              let parameters = stream.pointee.codecpar else { throw .noVideoStream }
        try checkSize(Int(parameters.pointee.width), Int(parameters.pointee.height))
        guard let codec = avcodec_find_decoder(parameters.pointee.codec_id) else {
            throw .noDecoder(codec: String(cString: avcodec_get_name(parameters.pointee.codec_id)))
        }
        let decoder = try CodecContext(codec: codec, parameters: parameters, input: input)
        let frame = try decodeFirstFrame(format: format, stream: streamIndex, decoder: decoder)
        return try convert(frame)
    }

    private static func findStreamInfo(_ format: UnsafeMutablePointer<AVFormatContext>) throws(ImageError) {
        let count = Int(format.pointee.nb_streams)
        guard count > 0, count <= 16 else { throw .noVideoStream }
        var options = [OpaquePointer?](repeating: nil, count: count)
        for i in 0..<count { av_dict_set(&options[i], "max_pixels", "\(ImageLimits.maxPixels)", 0) }
        defer { for i in 0..<count { av_dict_free(&options[i]) } }
        let code = options.withUnsafeMutableBufferPointer { avformat_find_stream_info(format, $0.baseAddress) }
        try ffCheck(code, "avformat_find_stream_info")
    }

    private static func checkSize(_ width: Int, _ height: Int) throws(ImageError) {
        if width > ImageLimits.maxSide || height > ImageLimits.maxSide { throw .oversized(width: width, height: height) }
        let bytes = width * height * 4
        if bytes > ImageLimits.maxDecodedBytes { throw .tooManyBytes(bytes: bytes) }
    }

    /// Reads packets of `stream` until the decoder yields a frame; flushes at end of file.
    private static func decodeFirstFrame(format: UnsafeMutablePointer<AVFormatContext>, stream: Int32,
                                         decoder: CodecContext) throws(ImageError) -> OwnedFrame {
        guard let codec = decoder.context else { throw .noFrame }
        let packet = try OwnedPacket()
        let frame = try OwnedFrame()
        guard let pkt = packet.packet, let frm = frame.frame else { throw .noFrame }
        var flushing = false
        while true {
            if !flushing {
                let read = av_read_frame(format, pkt)
                if read == vitrine_averror_eof() {
                    flushing = true
                    try ffCheck(avcodec_send_packet(codec, nil), "avcodec_send_packet(flush)")
                } else {
                    try ffCheck(read, "av_read_frame")
                    defer { av_packet_unref(pkt) }
                    guard pkt.pointee.stream_index == stream else { continue }
                    let sent = avcodec_send_packet(codec, pkt)
                    if sent != vitrine_averror_eagain() { try ffCheck(sent, "avcodec_send_packet") }
                }
            }
            let received = avcodec_receive_frame(codec, frm)
            if received >= 0 { return frame }
            if received == vitrine_averror_eof() { throw .noFrame }
            if received != vitrine_averror_eagain() { try ffCheck(received, "avcodec_receive_frame") }
            if flushing && received == vitrine_averror_eagain() { throw .noFrame }
        }
    }

    /// sws_scale to BGRA, then premultiply (swscale keeps straight alpha).
    private static func convert(_ owned: OwnedFrame) throws(ImageError) -> ProductImage {
        guard let frame = owned.frame else { throw .noFrame }
        let width = Int(frame.pointee.width)
        let height = Int(frame.pointee.height)
        guard width > 0, height > 0 else { throw .noFrame }
        try checkSize(width, height)

        var source = AVPixelFormat(rawValue: frame.pointee.format)
        var fullRange = frame.pointee.color_range == AVCOL_RANGE_JPEG
        // The deprecated "J" formats mean full range: use the plain format and say so to swscale.
        switch source {
        case AV_PIX_FMT_YUVJ420P: source = AV_PIX_FMT_YUV420P; fullRange = true
        case AV_PIX_FMT_YUVJ422P: source = AV_PIX_FMT_YUV422P; fullRange = true
        case AV_PIX_FMT_YUVJ444P: source = AV_PIX_FMT_YUV444P; fullRange = true
        case AV_PIX_FMT_YUVJ440P: source = AV_PIX_FMT_YUV440P; fullRange = true
        default: break
        }
        let scaler = try OwnedScaler(width: Int32(width), height: Int32(height), source: source, destination: AV_PIX_FMT_BGRA)
        if fullRange {
            let table = sws_getCoefficients(SWS_CS_DEFAULT)
            try ffCheck(sws_setColorspaceDetails(scaler.context, table, 1, table, 1, 0, 1 << 16, 1 << 16),
                        "sws_setColorspaceDetails")
        }

        // swscale's SIMD paths write whole vectors: give it an aligned stride and a padded tail,
        // then pack the rows tightly.
        let packedStride = width * 4
        let scaledStride = (packedStride + 63) & ~63
        var scaledPixels = [UInt8](repeating: 0, count: scaledStride * height + 256)
        let sourceData = withUnsafeBytes(of: frame.pointee.data) { raw in
            Array(raw.bindMemory(to: UnsafePointer<UInt8>?.self))
        }
        let sourceStrides = withUnsafeBytes(of: frame.pointee.linesize) { raw in Array(raw.bindMemory(to: Int32.self)) }
        let scaled = scaledPixels.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var destination: [UnsafeMutablePointer<UInt8>?] = [buffer.baseAddress, nil, nil, nil]
            var destinationStrides: [Int32] = [Int32(scaledStride), 0, 0, 0]
            return sws_scale(scaler.context, sourceData, sourceStrides, 0, Int32(height), &destination, &destinationStrides)
        }
        try ffCheck(scaled, "sws_scale")
        guard scaled == Int32(height) else { throw .noFrame }
        var pixels = [UInt8](repeating: 0, count: packedStride * height)
        pixels.withUnsafeMutableBufferPointer { dst in
            scaledPixels.withUnsafeBufferPointer { src in
                for row in 0..<height {
                    (dst.baseAddress! + row * packedStride).update(from: src.baseAddress! + row * scaledStride, count: packedStride)
                }
            }
        }
        premultiply(&pixels)
        return ProductImage(width: width, height: height, pixels: pixels)
    }

    private static func premultiply(_ pixels: inout [UInt8]) {
        pixels.withUnsafeMutableBufferPointer { p in
            var i = 0
            while i + 3 < p.count {
                let a = UInt32(p[i + 3])
                if a != 255 {
                    for c in 0..<3 { p[i + c] = UInt8((UInt32(p[i + c]) * a + 127) / 255) }
                }
                i += 4
            }
        }
    }
}
