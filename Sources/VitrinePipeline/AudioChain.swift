// Audio is decoded, resampled and AAC-encoded once per job; every rendition muxes the same packets.
import VitrineMedia

final class AudioChain {
    let encoder: Encoder
    private let decoder: Decoder
    private let resampler: Resampler
    private let sampleRate = 48_000
    private let timelineStart: Double
    /// Input time (seconds on the job timeline) where the next decoded sample is expected.
    private var expectedInput: Double?
    /// Seconds added to input times since the last discontinuity (a jump past MediaGap's limit).
    private var shift = 0.0
    /// Discontinuities met so far.
    private(set) var jumps = 0
    /// Silence pushed into gaps, and the input's own audio: MediaGap's filler budget.
    private var silenceFilled = 0.0
    private var contentSeconds = 0.0
    private var failedPackets = 0
    var decodeErrors: Int { failedPackets + decoder.concealedErrors }
    private(set) var lastInputSeconds: Double = 0
    /// Live: while the input is quiet, silence is encoded up to the video's time; this is where
    /// that silence ends, so real audio arriving late for time already filled is dropped.
    private var silenceUntil: Double?
    /// The input is quiet and being filled with silence.
    var isFillingSilence: Bool { silenceUntil != nil }

    convenience init(demuxer: Demuxer, stream: StreamInfo, timelineStart: Double, globalHeader: Bool) throws {
        try self.init(decoder: Decoder(demuxer: demuxer, streamIndex: stream.index, threads: 1),
                      timelineStart: timelineStart, globalHeader: globalHeader)
    }

    /// From a decoder opened any other way (a live job builds it from the RTMP AAC sequence
    /// header); its packets' stamps minus `timelineStart` are seconds on the job timeline.
    init(decoder: Decoder, timelineStart: Double, globalHeader: Bool) throws {
        self.decoder = decoder
        encoder = try Encoder(aacBitrate: 128_000, sampleRate: sampleRate, globalHeader: globalHeader)
        resampler = try Resampler(sampleRate: sampleRate, frameSize: encoder.frameSize)
        self.timelineStart = timelineStart
    }

    /// Decodes one packet and returns the AAC packets that are ready.
    func push(_ packet: Packet) throws -> [Packet] {
        do { try decoder.send(packet) } catch { failedPackets += 1 }
        return try drainDecoder()
    }

    /// Flushes decoder, resampler and encoder at the end of the input.
    func finish() throws -> [Packet] {
        try? decoder.send(nil)
        var packets = try drainDecoder()
        try resampler.flush()
        while let frame = try resampler.pull(final: true) { packets += try encoder.encode(frame) }
        packets += try encoder.encode(nil)
        return packets
    }

    private func drainDecoder() throws -> [Packet] {
        var packets: [Packet] = []
        while true {
            let frame = try Frame()
            let got: Bool
            do { got = try decoder.receive(into: frame) } catch { failedPackets += 1; continue }
            guard got else { break }
            guard try fillGap(before: frame) else { continue }
            try resampler.push(frame)
            packets += try encodeResampled()
        }
        return packets
    }

    /// Encodes every whole frame the resampler holds.
    private func encodeResampled() throws -> [Packet] {
        var packets: [Packet] = []
        while let out = try resampler.pull() { packets += try encoder.encode(out) }
        return packets
    }

    /// Live: audio that has gone quiet while the video goes on (a muted app, a dropped mic).
    /// Once the audio is `bound` seconds behind `videoSeconds`, silence is encoded up to the
    /// video's time, and from then on with every video frame until real audio comes back, so
    /// every segment keeps an audio track that players can follow.
    func fillQuiet(upTo videoSeconds: Double, after bound: Double) throws -> [Packet] {
        let expected = expectedInput ?? 0
        let gap = videoSeconds - expected
        guard gap > 0, silenceUntil != nil || gap > bound else { return [] }
        // Whole encoder frames only, so the silence ends where a frame does.
        let samples = Int(gap * Double(sampleRate)) / encoder.frameSize * encoder.frameSize
        guard samples > 0 else { return [] }
        try resampler.pushSilence(samples)
        let end = expected + Double(samples) / Double(sampleRate)
        silenceUntil = end
        expectedInput = end
        lastInputSeconds = end
        return try encodeResampled()
    }

    /// A gap in the input (or a late start) becomes silence, so audio stays in sync with video
    /// while its timestamps come from the sample count. A jump past MediaGap's limit, either
    /// way, is a discontinuity: audio goes on from where it was. Returns false for a frame that
    /// falls wholly inside silence already filled (it came too late to be heard).
    private func fillGap(before frame: Frame) throws -> Bool {
        let stamp = frame.bestEffortTimestamp
        let duration = Double(frame.sampleCount) / Double(max(1, frame.pointer.pointee.sample_rate))
        guard stamp != noTimestamp else {
            if let expected = expectedInput { expectedInput = expected + duration }
            return true
        }
        let expected = expectedInput ?? 0
        var start = MediaTime(stamp, decoder.timeBase).seconds - timelineStart + shift
        // Also catches a non-finite time: NaN fails every comparison but this one.
        if !(abs(start - expected) <= MediaGap.maxBridgedSeconds)
            || !MediaGap.canBridge(start - expected > 0.1 ? start - expected : 0, filled: silenceFilled, content: contentSeconds) {
            shift += expected - start
            if !shift.isFinite { shift = 0 }
            start = expected
            jumps += 1
        }
        if let filled = silenceUntil {
            if start + duration <= filled { return false }
            silenceUntil = nil
        }
        let gap = start - expected
        if gap > 0.1 {
            try resampler.pushSilence(Int(gap * Double(sampleRate)))
            silenceFilled += gap
        }
        contentSeconds += duration
        expectedInput = max(expected, start) + duration
        lastInputSeconds = expectedInput ?? 0
        return true
    }
}
