// Muxes one rendition's video and audio packets with libavformat into a memory buffer and cuts
// it into HLS segments on keyframes. One long-lived muxer per rendition keeps timestamps and
// continuity counters continuous across segments; a flush at each cut closes the segment. With a
// part duration (LL-HLS), the same flush also closes a part every that many seconds of video, on
// a frame boundary: each part is one fMP4 fragment, and a segment is its parts' bytes.
import CFFmpeg
import VitrineMedia

public final class Packager {
    public let format: SegmentFormat
    public let targetDuration: Double
    /// The fMP4 init segment (ftyp + moov); nil for TS.
    public private(set) var initSegment: [UInt8]?

    let context: UnsafeMutablePointer<AVFormatContext>
    private let io: MemoryIO
    private var tracks: [Track] = []
    private var videoTrack: Int?
    private var audioTrack: Int?
    private var segmentIndex = 0
    private var segmentStart: Double?
    private var endSeconds: Double = 0
    /// LL-HLS: seconds of video per part (a whole number of frames); nil: no parts.
    public let partDuration: Double?
    /// Told each part the moment it is complete, before the segment that holds it.
    public var onPart: ((MuxedPart) throws -> Void)?
    private var partStart: Double?
    /// Where the pictures of the part being cut end so far (the largest PTS plus duration).
    private var partEnd: Double?
    private var partIndex = 0
    /// The parts of the segment being cut, so far.
    private var segmentBytes: [UInt8] = []
    private var headerWritten = false
    private var finished = false
    /// In-band metadata (TimedMetadata.swift): asked at each flush for the events from the last
    /// flush up to the new one, so every event goes out once, in the fragment that shows it.
    public var metadataEvents: ((_ from: Double, _ until: Double) -> [TimedMetadataEvent])?
    /// The TS muxer's timed ID3 stream; nil for fMP4 (emsg boxes) or without metadata.
    var metadataStream: UnsafeMutablePointer<AVStream>?
    var metadataUntil = -Double.infinity
    var eventMessages: UInt32 = 0

    /// One muxer stream: which encoder feeds it, and packets waiting to be interleaved.
    private struct Track {
        var encoderTimeBase: TimeBase
        var stream: UnsafeMutablePointer<AVStream>
        var pending: [Packet] = []
        var ended = false
        var isVideo: Bool
        /// DTS of the last packet written, seconds.
        var lastDTS: Double?
    }

    /// `timedMetadata`: carry `metadataEvents` in band (a timed ID3 stream in TS, emsg in fMP4).
    public init(format: SegmentFormat, video: Encoder?, audio: Encoder?, targetDuration: Double, partDuration: Double? = nil,
                timedMetadata: Bool = false) throws {
        self.format = format
        self.targetDuration = targetDuration
        self.partDuration = partDuration.flatMap { $0 > 0 && $0 < targetDuration ? $0 : nil }
        io = try MemoryIO()
        var ctx: UnsafeMutablePointer<AVFormatContext>? = nil
        try check(avformat_alloc_output_context2(&ctx, nil, format == .ts ? "mpegts" : "mp4", nil), "creating the \(format) muxer")
        context = try allocated(ctx, "creating the \(format) muxer")
        context.pointee.pb = io.context
        context.pointee.flags |= AVFMT_FLAG_CUSTOM_IO
        // Let the TS muxer gather audio frames into PES packets of up to 0.7 s, as the ffmpeg CLI
        // does; at 0 every AAC frame gets its own PES and PCR packets, nearly doubling audio's size.
        // The flush at each cut still closes every PES inside its segment.
        if format == .ts { context.pointee.max_delay = 700_000 }
        if let video { videoTrack = try addTrack(video, isVideo: true) }
        if let audio { audioTrack = try addTrack(audio, isVideo: false) }
        guard !tracks.isEmpty else { throw MediaError.unsupported("a rendition needs video or audio") }
        if timedMetadata && format == .ts { try addMetadataStream() }
        try writeHeader()
    }

    deinit {
        if headerWritten && !finished { av_write_trailer(context) }
        context.pointee.pb = nil
        avformat_free_context(context)
    }

    private func addTrack(_ encoder: Encoder, isVideo: Bool) throws -> Int {
        let stream = try allocated(avformat_new_stream(context, nil), "adding a muxer stream")
        try check(avcodec_parameters_from_context(stream.pointee.codecpar, encoder.context), "describing a muxer stream")
        stream.pointee.time_base = encoder.context.pointee.time_base
        tracks.append(Track(encoderTimeBase: encoder.timeBase, stream: stream, isVideo: isVideo))
        return tracks.count - 1
    }

    private func writeHeader() throws {
        let options: OptionDictionary
        switch format {
        case .ts: options = OptionDictionary([])
        case .fmp4: options = OptionDictionary([("movflags", "frag_custom+empty_moov+default_base_moof+cmaf")])
        }
        try check(avformat_write_header(context, &options.pointer), "writing the \(format) header")
        headerWritten = true
        if format == .fmp4 { initSegment = io.take() }
    }

    /// Queues encoded video packets; returns the segments they completed.
    public func writeVideo(_ packets: [Packet]) throws -> [MuxedSegment] {
        guard let videoTrack else { return [] }
        tracks[videoTrack].pending.append(contentsOf: packets)
        return try drain()
    }

    /// Queues encoded audio packets; returns the segments they completed.
    public func writeAudio(_ packets: [Packet]) throws -> [MuxedSegment] {
        guard let audioTrack else { return [] }
        tracks[audioTrack].pending.append(contentsOf: packets)
        return try drain()
    }

    /// Writes everything still queued, the trailer, and returns the last segments.
    public func finish() throws -> [MuxedSegment] {
        for i in tracks.indices { tracks[i].ended = true }
        var segments = try drain()
        let messages = try emitMetadata(until: endSeconds)
        try check(av_write_frame(context, nil), "flushing the \(format) muxer")
        try check(av_write_trailer(context), "finishing the \(format) muxer")
        finished = true
        var tail = io.take()
        if !tail.isEmpty { tail = messages + tail }
        if format == .fmp4 { tail = trimTrailingIndex(tail) }
        if let start = segmentStart, !tail.isEmpty || !segmentBytes.isEmpty {
            if !tail.isEmpty { try closePart(tail, end: endSeconds, endsSegment: true) }
            segments.append(MuxedSegment(index: segmentIndex, startSeconds: start, durationSeconds: endSeconds - start,
                                         bytes: takeSegmentBytes(tail)))
            segmentIndex += 1
        }
        return segments
    }

    /// Writes queued packets in DTS order across tracks, as long as every live track has one
    /// waiting, or has gone quiet: a track with nothing for `quietAfter` seconds behind the others'
    /// packets is passed over, so segments keep being cut when a publisher's audio (or video)
    /// stops, and a file whose audio ends early is not held in memory to the end.
    private func drain() throws -> [MuxedSegment] {
        var segments: [MuxedSegment] = []
        while true {
            let heads = tracks.map { track in track.pending.first.map { dts(of: $0, track) } }
            // The newest packet waiting on any track: how far the others have got.
            guard let newest = tracks.compactMap({ track in track.pending.last.map { dts(of: $0, track) } }).max() else { return segments }
            var best: (track: Int, dts: Double)?
            for (i, track) in tracks.enumerated() {
                guard let dts = heads[i] else {
                    if track.ended { continue }
                    // Quiet since its last packet (or since the segment began) for longer than a
                    // segment behind what the other tracks have waiting: do not wait for it.
                    let since = track.lastDTS ?? segmentStart ?? newest
                    if newest - since > quietAfter { continue }
                    return segments
                }
                if best == nil || dts < best!.dts { best = (i, dts) }
            }
            guard let best else { return segments }
            let packet = tracks[best.track].pending.removeFirst()
            tracks[best.track].lastDTS = best.dts
            if let segment = try write(packet, track: best.track) { segments.append(segment) }
        }
    }

    /// Two segments, and at least 4 s: longer than any encoder's own delay (x264's lookahead at
    /// veryslow holds about 2.3 s), so a track that is merely behind is never mistaken for quiet.
    var quietAfter: Double { max(2 * targetDuration, 4) }

    private func dts(of packet: Packet, _ track: Track) -> Double {
        seconds(packet.dts == noTimestamp ? packet.pts : packet.dts, track.encoderTimeBase)
    }

    private func write(_ packet: Packet, track index: Int) throws -> MuxedSegment? {
        let track = tracks[index]
        let pts = seconds(packet.pts, track.encoderTimeBase)
        let duration = packet.duration > 0 ? seconds(packet.duration, track.encoderTimeBase) : 0
        var completed: MuxedSegment?
        if let start = segmentStart, isCutPoint(packet, track: track, pts: pts, start: start) {
            completed = try cut(at: pts, start: start)
        } else if let partDuration, let start = partStart, let end = partEnd, track.isVideo || videoTrack == nil,
                  end > start, pts + duration > start + partDuration + 1e-6 {
            // Cut before the frame that would make the part longer than its target. With B-frames
            // packets come in decode order, and a reference frame's PTS runs ahead of the frames
            // before it: the part ends where its pictures end, not at that frame's PTS.
            let messages = try emitMetadata(until: end)
            try check(av_write_frame(context, nil), "flushing a \(format) part")
            try closePart(messages + io.take(), end: end)
        }
        if segmentStart == nil { segmentStart = pts }
        if partStart == nil { partStart = pts }
        if track.isVideo || videoTrack == nil { partEnd = max(partEnd ?? pts + duration, pts + duration) }
        // Video drives segment timing; audio only when there is no video.
        if track.isVideo || videoTrack == nil { endSeconds = max(endSeconds, pts + duration) }
        packet.pointer.pointee.stream_index = track.stream.pointee.index
        packet.rescaleTimestamps(from: track.encoderTimeBase, to: TimeBase(track.stream.pointee.time_base))
        try check(av_write_frame(context, packet.pointer), "muxing a \(format) packet")
        return completed
    }

    /// Segments start on a video keyframe (the pipeline forces them on the same PTS in every
    /// rendition); audio-only renditions cut on the target duration.
    private func isCutPoint(_ packet: Packet, track: Track, pts: Double, start: Double) -> Bool {
        if videoTrack != nil {
            return track.isVideo && packet.isKeyframe && pts >= start + targetDuration * 0.5
        }
        return pts >= start + targetDuration - 1e-6
    }

    private func cut(at pts: Double, start: Double) throws -> MuxedSegment {
        let messages = try emitMetadata(until: pts)
        try check(av_write_frame(context, nil), "flushing a \(format) segment")
        let last = messages + io.take()
        try closePart(last, end: pts, endsSegment: true)
        let segment = MuxedSegment(index: segmentIndex, startSeconds: start, durationSeconds: pts - start, bytes: takeSegmentBytes(last))
        segmentIndex += 1
        segmentStart = pts
        partIndex = 0
        if format == .ts {
            // Every TS segment must start with PAT/PMT so it decodes on its own.
            av_opt_set(context.pointee.priv_data, "mpegts_flags", "resend_headers", 0)
        }
        return segment
    }

    /// Hands out the part that ends at `end` (nothing without parts) and keeps its bytes for its
    /// segment.
    private func closePart(_ bytes: [UInt8], end: Double, endsSegment: Bool = false) throws {
        guard let partDuration, let start = partStart else { return }
        segmentBytes += bytes
        var part = MuxedPart(segmentIndex: segmentIndex, index: partIndex, startSeconds: start, durationSeconds: end - start,
                             independent: partIndex == 0 || videoTrack == nil, targetSeconds: partDuration, bytes: bytes)
        part.endsSegment = endsSegment
        partIndex += 1
        partStart = end
        partEnd = nil
        try onPart?(part)
    }

    /// The segment's bytes: its parts' (the last one included), or `last` alone without parts.
    private func takeSegmentBytes(_ last: [UInt8]) -> [UInt8] {
        guard partDuration != nil else { return last }
        defer { segmentBytes = [] }
        return segmentBytes
    }

    /// The mp4 trailer appends an mfra index after the last fragment; it belongs to no segment.
    private func trimTrailingIndex(_ bytes: [UInt8]) -> [UInt8] {
        var offset = 0
        var kept = 0
        while offset + 8 <= bytes.count {
            let size = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let type = String(decoding: bytes[offset + 4 ..< offset + 8], as: UTF8.self)
            guard size >= 8, offset + size <= bytes.count else { break }
            if type != "mfra" { kept = offset + size }
            offset += size
        }
        return Array(bytes[0 ..< kept])
    }

    private func seconds(_ value: Int64, _ base: TimeBase) -> Double {
        MediaTime(value, base).seconds
    }
}
