// One rung of the ladder on its own serial DispatchQueue: scale -> paint cards -> encode ->
// package -> hand to a SegmentSink. A semaphore bounds the frames waiting for it, so memory stays
// flat and a file job's reader blocks instead of racing ahead (a live job drops GOPs upstream).
import Dispatch
import Foundation
import VitrineHLS
import VitrineMedia

/// The file job's lane: segments go to a VOD RenditionOutput.
typealias RenditionLane = EncodingLane<RenditionOutput>

final class EncodingLane<Sink: SegmentSink> {
    struct Video {
        var spec: RenditionSpec
        var scaler: Scaler
        var rotation: Int
        var encoder: Encoder
        var painter: FramePainter?
    }

    let output: Sink
    private var video: Video?
    private let framesPerSecond: Double
    private let gopFrames: Int64
    private let packager: Packager
    private let queue: DispatchQueue
    private let slots: DispatchSemaphore
    private let failure: JobFailure
    private let hasAudio: Bool
    private let counterLock = NSLock()
    private var encodedFrames = 0
    private var busyNanoseconds: UInt64 = 0

    /// `partDuration`: LL-HLS parts of that many seconds (nil: none).
    init(name: String, video: Video?, audio: Encoder?, framesPerSecond: Double, gopFrames: Int,
         format: SegmentFormat, segmentDuration: Double, partDuration: Double? = nil, output: Sink, queueDepth: Int, failure: JobFailure) throws {
        self.video = video
        self.framesPerSecond = framesPerSecond
        self.gopFrames = Int64(gopFrames)
        self.failure = failure
        hasAudio = audio != nil
        self.output = output
        packager = try Packager(format: format, video: video?.encoder, audio: audio, targetDuration: segmentDuration,
                                partDuration: partDuration, timedMetadata: video?.painter != nil)
        if let painter = video?.painter {
            packager.metadataEvents = { [weak painter] from, until in painter?.timedMetadata(from: from, until: until) ?? [] }
        }
        packager.onPart = { [output] in try output.writePart($0) }
        if let initSegment = packager.initSegment { try output.writeInit(initSegment) }
        if let extradata = video?.encoder.extradata, !extradata.isEmpty {
            output.videoCodec = CodecString.avc1(fromH264: extradata)
        }
        queue = DispatchQueue(label: "vitrine.lane.\(name)", qos: .userInitiated)
        slots = DispatchSemaphore(value: queueDepth)
    }

    var framesEncoded: Int {
        counterLock.lock()
        defer { counterLock.unlock() }
        return encodedFrames
    }

    /// Seconds this lane spent scaling, painting and encoding: encode speed is media time over this.
    var busySeconds: Double {
        counterLock.lock()
        defer { counterLock.unlock() }
        return Double(busyNanoseconds) / 1e9
    }

    /// Hands a decoded source frame to this lane for the output indices it fills. Blocks while
    /// the lane is `queueDepth` frames behind.
    func submit(_ frame: Frame, indices: Range<Int64>) {
        slots.wait()
        queue.async { [self] in
            defer { slots.signal() }
            guard failure.error == nil else { return }
            let started = DispatchTime.now().uptimeNanoseconds
            do { try encode(frame, indices: indices) } catch { failure.record(error) }
            let spent = DispatchTime.now().uptimeNanoseconds - started
            counterLock.lock()
            busyNanoseconds += spent
            counterLock.unlock()
        }
    }

    /// Queues audio packets (this lane's own references) for muxing beside the video.
    /// Takes a queue slot like a frame does, so an audio-only job's reader cannot race ahead
    /// of its muxer either.
    func submitAudio(_ packets: [Packet]) {
        slots.wait()
        queue.async { [self] in
            defer { slots.signal() }
            guard failure.error == nil else { return }
            do { try store(packager.writeAudio(packets)) } catch { failure.record(error) }
        }
    }

    /// Waits for every queued task (used before cleaning up after a failure).
    func waitUntilIdle() { queue.sync {} }

    /// Drains the encoder and muxer and returns what was produced. Blocks until done.
    func finish() throws -> RenditionReport {
        try queue.sync {
            if let error = failure.error { throw error }
            if let encoder = video?.encoder {
                try mux(encoder.encode(nil))
            }
            try store(packager.finish())
            let spec = video?.spec
            return output.report(width: spec?.width, height: spec?.height,
                                 frameRate: spec == nil ? nil : framesPerSecond, audio: hasAudio)
        }
    }

    private func encode(_ source: Frame, indices: Range<Int64>) throws {
        guard let video, let first = indices.first else { return }
        var picture = try video.scaler.scale(source)
        if video.rotation != 0 { picture = try Rotator.rotate(picture, clockwise: video.rotation) }
        try video.painter?.paint(picture, at: Double(first) / framesPerSecond)
        for index in indices {
            picture.pts = index
            // Keyframes by output index: the same PTS in every lane, so segments line up.
            picture.forceKeyframe(index % gopFrames == 0)
            try mux(video.encoder.encode(picture))
            counterLock.lock()
            encodedFrames += 1
            counterLock.unlock()
        }
    }

    private func mux(_ packets: [Packet]) throws {
        guard !packets.isEmpty else { return }
        // x264 leaves durations unset; one tick of 1/fps lets the last segment end on time.
        for packet in packets where packet.duration <= 0 { packet.duration = 1 }
        if output.videoCodec == nil, let key = packets.first(where: { $0.isKeyframe }) {
            output.videoCodec = CodecString.avc1(fromH264: Array(key.data))
        }
        try store(packager.writeVideo(packets))
    }

    private func store(_ segments: [MuxedSegment]) throws {
        for segment in segments { try output.write(segment) }
    }
}
