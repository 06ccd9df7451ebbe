// A file job's source: demux, note how far the input has reached, and hand video packets and
// the shared AAC chain's packets to the LadderFeed; then judge whether the input was whole.
// Generic over where the lanes' segments go: a file job's RenditionOutput, a dry run's
// SegmentTimingSink.
import Foundation
import VitrineMedia

final class SourceReader<Sink: SegmentSink> {
    private let demuxer: Demuxer
    private let source: SourceAnalysis
    private let audio: AudioChain?
    private let failure: JobFailure
    private let feed: LadderFeed<Sink>
    private var lastPacketSeconds: Double = 0
    /// Seconds of the job timeline to read at most (a dry run's bound; nil: the whole input).
    /// Video stops at that many output frames; reading stops once video or audio reaches it.
    var timelineLimit: Double? {
        didSet { feed.maxOutputFrames = timelineLimit.map { Int64(max(1, ($0 * source.framesPerSecond).rounded(.up))) } ?? .max }
    }
    /// Reading stopped at `timelineLimit`, before the end of the input.
    private(set) var stoppedAtLimit = false
    /// Output frames the lanes may be handed (Int64.max without a `timelineLimit`).
    var frameLimit: Int64 { feed.maxOutputFrames }
    /// Told the time of each frame handed to the lanes (an operator's "now").
    var playhead: Playhead? {
        get { feed.playhead }
        set { feed.playhead = newValue }
    }

    init(demuxer: Demuxer, source: SourceAnalysis, lanes: [EncodingLane<Sink>], audio: AudioChain?, failure: JobFailure) throws {
        self.demuxer = demuxer
        self.source = source
        self.audio = audio
        self.failure = failure
        let decoderThreads = EncoderThreads.decoder(lanes: lanes.count)
        let decoder = try source.video.map { try Decoder(demuxer: demuxer, streamIndex: $0.index, threads: decoderThreads) }
        let timeBase = source.video?.timeBase ?? TimeBase(1, 1000)
        let start = source.timelineStart
        feed = LadderFeed(framesPerSecond: source.framesPerSecond, decoder: decoder, maxFailingSeconds: nil) {
            MediaTime($0, timeBase).seconds - start
        }
        feed.lanes = lanes
    }

    /// Timestamp jumps treated as discontinuities, video and audio.
    var timelineJumps: Int { feed.videoJumps + (audio?.jumps ?? 0) }

    var decodeErrors: Int { feed.decodeErrors + (audio?.decodeErrors ?? 0) }

    /// Reads the whole input; `tick` is called about twice a second with the seconds read.
    func run(tick: (Double) -> Void) throws {
        let packet = try Packet()
        var lastTick = Date()
        while failure.error == nil, try demuxer.read(into: packet) {
            let index = packet.streamIndex
            if let video = source.video, index == video.index {
                note(packet, stream: video)
                try feed.video(packet)
            } else if let stream = source.audio, index == stream.index, let audio {
                note(packet, stream: stream)
                feed.audio(try audio.push(packet))
            }
            if Date().timeIntervalSince(lastTick) >= 0.5 {
                tick(lastPacketSeconds)
                lastTick = Date()
            }
            if reachedLimit {
                stoppedAtLimit = true
                break
            }
        }
        guard failure.error == nil else { return }
        try feed.video(nil)
        if let audio { feed.audio(try audio.finish()) }
        tick(lastPacketSeconds)
    }

    private var reachedLimit: Bool {
        guard let timelineLimit else { return false }
        return feed.isFull || (audio?.lastInputSeconds ?? 0) >= timelineLimit
    }

    /// Fails the job when the input stopped well short of what it declares, or nothing decoded.
    func checkComplete(declaredDuration: Double?) throws {
        let path = demuxer.path
        let (packets, frames, damaged) = (feed.videoPackets, feed.videoFrames, feed.videoDecodeErrors)
        if source.video != nil && frames == 0 {
            throw TranscodeError.damagedInput("\(path): no video frame could be decoded (\(damaged) damaged packets)")
        }
        if packets > 10 && damaged * 2 > packets {
            throw TranscodeError.damagedInput("\(path): \(damaged) of \(packets) video packets are damaged")
        }
        let reached = max(feed.lastVideoSeconds ?? 0, audio?.lastInputSeconds ?? 0, lastPacketSeconds)
        if let declared = declaredDuration, reached < declared * 0.9 - 0.5 {
            throw TranscodeError.damagedInput(String(format: "%@: truncated: media data ends at %.1f s of the %.1f s the container declares", path, reached, declared))
        }
    }

    private func note(_ packet: Packet, stream: StreamInfo) {
        let stamp = packet.pts != noTimestamp ? packet.pts : packet.dts
        guard stamp != noTimestamp else { return }
        // Added as seconds: a stamp near Int64.max plus a duration would trap as integers.
        let end = MediaTime(stamp, stream.timeBase).seconds + MediaTime(max(0, packet.duration), stream.timeBase).seconds - source.timelineStart
        lastPacketSeconds = max(lastPacketSeconds, end)
    }
}
