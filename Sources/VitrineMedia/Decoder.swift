// A libavcodec decoder for one input stream: send packets, drain frames until EAGAIN.
import CFFmpeg

public final class Decoder {
    public let context: UnsafeMutablePointer<AVCodecContext>
    public let timeBase: TimeBase
    /// Counts error messages the decoder logs (damage it concealed); see shim.h.
    private let errorCounter: UnsafeMutableRawPointer

    /// FFmpeg's log callback is process-wide: installed once, before the first decoder opens.
    private static let installLogCallback: Void = vitrine_install_log_callback()

    /// Opens a decoder for the demuxer's stream `index`, with frame threads for speed.
    public init(demuxer: Demuxer, streamIndex index: Int, threads: Int = 0) throws {
        let parameters = demuxer.codecParameters(of: index)
        let name = String(cString: avcodec_get_name(parameters.pointee.codec_id))
        guard let codec = avcodec_find_decoder(parameters.pointee.codec_id) else {
            throw MediaError.codecNotFound("decoding \(name)")
        }
        Decoder.installLogCallback
        context = try allocated(avcodec_alloc_context3(codec), "allocating the \(name) decoder")
        timeBase = demuxer.streams[index].timeBase
        guard let counter = vitrine_counter_new() else {
            var p: UnsafeMutablePointer<AVCodecContext>? = context
            avcodec_free_context(&p)
            throw MediaError.outOfMemory("allocating a decoder error counter")
        }
        errorCounter = counter
        context.pointee.opaque = counter
        do {
            try check(avcodec_parameters_to_context(context, parameters), "configuring the \(name) decoder")
            context.pointee.pkt_timebase = timeBase.rational
            context.pointee.thread_count = Int32(threads)
            try check(avcodec_open2(context, codec, nil), "opening the \(name) decoder")
        } catch {
            var p: UnsafeMutablePointer<AVCodecContext>? = context
            avcodec_free_context(&p)
            vitrine_counter_free(counter)
            throw error
        }
    }

    deinit {
        var p: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&p)
        vitrine_counter_free(errorCounter)
    }

    /// Errors the decoder reported while concealing damage (it still returned pictures).
    public var concealedErrors: Int { Int(vitrine_counter_load(errorCounter)) }

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
