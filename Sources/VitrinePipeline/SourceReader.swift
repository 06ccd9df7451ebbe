// The job's reading side: demux, decode video once, make the frame rate constant and hand each
// frame to every lane; feed audio through the shared AAC chain.
import Foundation
import VitrineMedia

final class SourceReader {
    private let demuxer: Demuxer
    private let source: SourceAnalysis
    private let lanes: [RenditionLane]
    private let audio: AudioChain?
    private let failure: JobFailure
    private let videoDecoder: Decoder?
    private var rate: FrameRateConverter
    private var videoPackets = 0
    private var videoFrames = 0
    private var videoDecodeErrors = 0
    private var lastVideoSeconds: Double?
    private var lastPacketSeconds: Double = 0
    /// Told the time of each frame handed to the lanes (an operator's "now").
    var playhead: Playhead?

    init(demuxer: Demuxer, source: SourceAnalysis, lanes: [RenditionLane], audio: AudioChain?, failure: JobFailure) throws {
        self.demuxer = demuxer
        self.source = source
        self.lanes = lanes
        self.audio = audio
        self.failure = failure
        let decoderThreads = EncoderThreads.decoder(lanes: lanes.count)
        videoDecoder = try source.video.map { try Decoder(demuxer: demuxer, streamIndex: $0.index, threads: decoderThreads) }
        rate = FrameRateConverter(framesPerSecond: source.framesPerSecond)
    }

    /// Timestamp jumps treated as discontinuities, video and audio.
    var timelineJumps: Int { rate.jumps + (audio?.jumps ?? 0) }

    var decodeErrors: Int { videoDecodeErrors + (videoDecoder?.concealedErrors ?? 0) + (audio?.decodeErrors ?? 0) }

    /// Reads the whole input; `tick` is called about twice a second with the seconds read.
    func run(tick: (Double) -> Void) throws {
        let packet = try Packet()
        var lastTick = Date()
        while failure.error == nil, try demuxer.read(into: packet) {
            let index = packet.streamIndex
            if index == source.video?.index {
                try decodeVideo(packet)
            } else if index == source.audio?.index, let audio {
                note(packet, stream: source.audio!)
                distribute(try audio.push(packet))
            }
            if Date().timeIntervalSince(lastTick) >= 0.5 {
                tick(lastPacketSeconds)
                lastTick = Date()
            }
        }
        guard failure.error == nil else { return }
        if videoDecoder != nil { try decodeVideo(nil) }
        if let audio { distribute(try audio.finish()) }
        tick(lastPacketSeconds)
    }

    /// Fails the job when the input stopped well short of what it declares, or nothing decoded.
    func checkComplete(declaredDuration: Double?) throws {
        let path = demuxer.path
        if source.video != nil && videoFrames == 0 {
            throw TranscodeError.damagedInput("\(path): no video frame could be decoded (\(videoDecodeErrors) damaged packets)")
        }
        if videoPackets > 10 && videoDecodeErrors * 2 > videoPackets {
            throw TranscodeError.damagedInput("\(path): \(videoDecodeErrors) of \(videoPackets) video packets are damaged")
        }
        let reached = max(lastVideoSeconds ?? 0, audio?.lastInputSeconds ?? 0, lastPacketSeconds)
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

    private func decodeVideo(_ packet: Packet?) throws {
        guard let decoder = videoDecoder, let stream = source.video else { return }
        if let packet {
            videoPackets += 1
            note(packet, stream: stream)
            do { try decoder.send(packet) } catch { videoDecodeErrors += 1 }
        } else {
            try? decoder.send(nil)
        }
        while true {
            let frame = try Frame()
            let got: Bool
            do { got = try decoder.receive(into: frame) } catch { videoDecodeErrors += 1; continue }
            guard got else { break }
            if frame.hasDecodeErrors { videoDecodeErrors += 1 }
            videoFrames += 1
            let stamp = frame.bestEffortTimestamp
            let seconds = stamp == noTimestamp
                ? (lastVideoSeconds ?? -1 / source.framesPerSecond) + 1 / source.framesPerSecond
                : MediaTime(stamp, stream.timeBase).seconds - source.timelineStart
            lastVideoSeconds = seconds
            let indices = rate.indices(forFrameAt: seconds)
            guard !indices.isEmpty else { continue }
            for lane in lanes { lane.submit(frame, indices: indices) }
            playhead?.advance(to: Double(indices.upperBound - 1) / source.framesPerSecond)
        }
    }

    private func distribute(_ packets: [Packet]) {
        RenditionLane.fanOut(packets, to: lanes)
    }
}
