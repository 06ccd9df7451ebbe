// libswresample plus a sample FIFO: turns decoded audio of any layout and rate into
// 48 kHz stereo planar-float frames of exactly the encoder's frame size.
import CFFmpeg

public final class Resampler {
    private var swr: OpaquePointer? = nil
    private let fifo: OpaquePointer
    private var input: (rate: Int32, format: Int32, channels: Int32) = (0, -1, 0)
    public let sampleRate: Int
    public let frameSize: Int
    /// Samples handed out so far: the next frame's pts in 1/sampleRate units. Audio is re-timed
    /// from this count, never from container stamps (FLV's millisecond stamps jitter).
    public private(set) var samplesOut: Int64 = 0

    public init(sampleRate: Int = 48_000, frameSize: Int) throws {
        self.sampleRate = sampleRate
        self.frameSize = frameSize
        fifo = try allocated(av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, 2, try cInt(frameSize * 4, "audio FIFO size")), "allocating an audio FIFO")
    }

    deinit {
        swr_free(&swr)
        av_audio_fifo_free(fifo)
    }

    /// Starts the output clock at `samples` (to line audio up with the first video frame).
    public func startClock(at samples: Int64) { samplesOut = samples }

    /// Converts a decoded frame and queues its samples.
    public func push(_ frame: Frame) throws {
        let f = frame.pointer
        if swr == nil || input != (f.pointee.sample_rate, f.pointee.format, f.pointee.ch_layout.nb_channels) {
            try configure(for: f)
        }
        try convert(f.pointee.extended_data.map { UnsafePointer($0) }, count: f.pointee.nb_samples)
    }

    /// Queues `count` samples of silence (to fill a gap in the input), a second at a time so
    /// no one buffer gets large; the caller bounds `count`.
    public func pushSilence(_ count: Int) throws {
        var left = count
        while left > 0 {
            let chunk = min(left, sampleRate)
            let frame = try silentFrame(chunk)
            try withFramePlanes(frame) { planes in
                try check(av_audio_fifo_write(fifo, planes, Int32(chunk)), "queueing silence")
            }
            left -= chunk
        }
    }

    /// Drains what swresample still holds (at the end of the input).
    public func flush() throws {
        guard swr != nil else { return }
        try convert(nil, count: 0)
    }

    /// Samples waiting in the FIFO.
    public var buffered: Int { Int(av_audio_fifo_size(fifo)) }

    /// Takes the next full frame (or, with `final`, the padded last partial one).
    public func pull(final: Bool = false) throws -> Frame? {
        let available = buffered
        guard available >= frameSize || (final && available > 0) else { return nil }
        let frame = try silentFrame(frameSize)
        let take = min(available, frameSize)
        try withFramePlanes(frame) { planes in
            try check(av_audio_fifo_read(fifo, planes, Int32(take)), "reading the audio FIFO")
        }
        frame.pointer.pointee.nb_samples = Int32(take)
        frame.pts = samplesOut
        samplesOut += Int64(take)
        return frame
    }

    private func configure(for f: UnsafeMutablePointer<AVFrame>) throws {
        swr_free(&swr)
        var inLayout = AVChannelLayout()
        if f.pointee.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || f.pointee.ch_layout.nb_channels == 0 {
            av_channel_layout_default(&inLayout, max(1, f.pointee.ch_layout.nb_channels))
        } else {
            try check(av_channel_layout_copy(&inLayout, &f.pointee.ch_layout), "copying a channel layout")
        }
        defer { av_channel_layout_uninit(&inLayout) }
        var outLayout = AVChannelLayout()
        av_channel_layout_default(&outLayout, 2)
        defer { av_channel_layout_uninit(&outLayout) }
        try check(swr_alloc_set_opts2(&swr, &outLayout, AV_SAMPLE_FMT_FLTP, try cInt(sampleRate, "sample rate"),
                                      &inLayout, AVSampleFormat(rawValue: f.pointee.format), f.pointee.sample_rate, 0, nil),
                  "setting up the audio resampler")
        try check(swr_init(swr), "starting the audio resampler for \(f.pointee.sample_rate) Hz")
        input = (f.pointee.sample_rate, f.pointee.format, f.pointee.ch_layout.nb_channels)
    }

    private func convert(_ data: UnsafePointer<UnsafeMutablePointer<UInt8>?>?, count: Int32) throws {
        let capacity = try Int(check(swr_get_out_samples(swr, count), "sizing resampled audio")) + 32
        let scratch = try silentFrame(capacity)
        let produced: Int32 = try withFramePlanes(scratch) { planes in
            let out = UnsafeMutablePointer(mutating: planes).withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 2) { $0 }
            let input = data.map { UnsafeMutablePointer(mutating: $0).withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 1) { $0 } }
            return try check(swr_convert(swr, out, Int32(capacity), input, count), "resampling audio")
        }
        guard produced > 0 else { return }
        try withFramePlanes(scratch) { planes in
            try check(av_audio_fifo_write(fifo, planes, produced), "queueing audio")
        }
    }

    private func silentFrame(_ samples: Int) throws -> Frame {
        let frame = try Frame()
        let f = frame.pointer
        f.pointee.nb_samples = try cInt(samples, "audio frame samples")
        f.pointee.format = AV_SAMPLE_FMT_FLTP.rawValue
        f.pointee.sample_rate = try cInt(sampleRate, "sample rate")
        av_channel_layout_default(&f.pointee.ch_layout, 2)
        try check(av_frame_get_buffer(f, 0), "allocating audio samples")
        try check(av_samples_set_silence(f.pointee.extended_data, 0, f.pointee.nb_samples, 2, AV_SAMPLE_FMT_FLTP), "silencing audio")
        return frame
    }

    @discardableResult
    private func withFramePlanes<R>(_ frame: Frame, _ body: (UnsafeMutablePointer<UnsafeMutableRawPointer?>) throws -> R) rethrows -> R {
        try frame.pointer.pointee.extended_data.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: 2) { try body($0) }
    }
}
