// A libavcodec decoder for one input stream: send packets, drain frames until EAGAIN.
import CFFmpeg

public final class Decoder {
    private let codec: CodecContext
    public var context: UnsafeMutablePointer<AVCodecContext> { codec.pointer }
    public let timeBase: TimeBase
    /// Counts error messages the decoder logs (damage it concealed); the context points at it.
    private let errorCounter: DecodeErrorCounter

    /// FFmpeg's log callback is process-wide: installed once, before the first decoder opens.
    private static let installLogCallback: Void = vitrine_install_log_callback()

    /// Opens a decoder for the demuxer's stream `index`, with frame threads for speed.
    public convenience init(demuxer: Demuxer, streamIndex index: Int, threads: Int = 0) throws {
        let parameters = demuxer.codecParameters(of: index)
        try self.init(codecID: parameters.pointee.codec_id, timeBase: demuxer.streams[index].timeBase, threads: threads) { context, name in
            try check(avcodec_parameters_to_context(context, parameters), "configuring the \(name) decoder")
        }
    }

    /// Opens a decoder from a codec id and its extradata (an avcC record or AudioSpecificConfig),
    /// for streams that arrive without a container, such as RTMP sequence headers.
    public convenience init(codecID: AVCodecID, extradata: [UInt8], timeBase: TimeBase, threads: Int = 0) throws {
        try self.init(codecID: codecID, timeBase: timeBase, threads: threads) { context, name in
            guard !extradata.isEmpty else { return }
            let count = try cInt(extradata.count, "\(name) extradata size")
            // FFmpeg's bitstream readers may read past the end: the buffer must be padded and owned by FFmpeg.
            let size = extradata.count + Int(AV_INPUT_BUFFER_PADDING_SIZE)
            let buffer = try allocated(av_mallocz(size), "allocating \(name) extradata").assumingMemoryBound(to: UInt8.self)
            extradata.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress!, count: extradata.count) }
            // From here the context owns the buffer and frees it with itself.
            context.pointee.extradata = buffer
            context.pointee.extradata_size = count
        }
    }

    /// Nothing here frees on failure: the counter and the context each free themselves once.
    private init(codecID: AVCodecID, timeBase: TimeBase, threads: Int,
                 configure: (UnsafeMutablePointer<AVCodecContext>, String) throws -> Void) throws {
        let name = String(cString: avcodec_get_name(codecID))
        guard let decoder = avcodec_find_decoder(codecID) else {
            throw MediaError.codecNotFound("decoding \(name)")
        }
        Decoder.installLogCallback
        self.timeBase = timeBase
        errorCounter = try DecodeErrorCounter()
        codec = try CodecContext(decoder, "allocating the \(name) decoder", opaque: errorCounter)
        let context = codec.pointer
        try configure(context, name)
        context.pointee.pkt_timebase = timeBase.rational
        context.pointee.thread_count = try cInt(threads, "\(name) decoder threads")
        // Set before the first packet: a picture past the limit (design.md: 4096x2304) is refused
        // from its header, never allocated, even when a stream switches size mid-way.
        context.pointee.max_pixels = Decoder.maxPixels
        try check(avcodec_open2(context, decoder, nil), "opening the \(name) decoder")
    }

    /// The largest picture a decoder allocates: 4096x2304, in either orientation.
    public static let maxPixels: Int64 = 4096 * 2304

    /// Errors the decoder reported while concealing damage (it still returned pictures).
    public var concealedErrors: Int { errorCounter.value }

    /// Sends one packet (nil to flush). A damaged packet is reported by the thrown error;
    /// callers count it and go on.
    public func send(_ packet: Packet?) throws {
        let code = avcodec_send_packet(context, packet?.pointer)
        if code == AVStatus.endOfFile { return }
        try check(code, "decoding")
    }

    /// Receives the next frame into `frame`; false when the decoder needs more input or is drained.
    public func receive(into frame: Frame) throws -> Bool {
        let code = avcodec_receive_frame(context, frame.pointer)
        if code == AVStatus.again || code == AVStatus.endOfFile { return false }
        try check(code, "decoding")
        return true
    }
}
