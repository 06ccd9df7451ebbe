// A live job's video side: an H.264 decoder built from the RTMP sequence header (rebuilt when a
// new one arrives, e.g. a publisher switching resolution; the ladder and lanes stay), constant
// frame rate, and the lanes, made once the first picture gives the source's size.
import CFFmpeg
import Dispatch
import Foundation
import VitrineMedia
import VitrineRTMP

extension LiveJob {
    func videoSequenceHeader(_ record: [UInt8]) throws {
        guard record != videoConfig else { return }
        if videoDecoder != nil {
            // Pictures still inside the old decoder belong to the old configuration: drain them.
            try decodeVideo(nil)
            videoDecoder = nil
            needsKeyframe = true
            logger.info("video configuration changed; decoder re-initialised, ladder kept")
        }
        guard AVCDecoderConfiguration(record: record) != nil else {
            throw MediaError.unsupported("video sequence header is not an AVCDecoderConfigurationRecord (\(record.count) bytes)")
        }
        videoConfig = record
    }

    func videoFrame(_ unit: AccessUnit, arrival: UInt64) throws {
        guard let config = videoConfig else { return }
        if needsKeyframe {
            // Decoding must start on a keyframe; what comes before it cannot be shown.
            guard unit.isKeyframe else { return }
            needsKeyframe = false
        }
        if !timeline.isStarted { timeline.start(at: unit.dts) }
        let (dts, pts) = timeline.place(isVideo: unit.track == .video, dts: unit.dts, pts: unit.pts, discontinuity: unit.discontinuity)
        if videoDecoder == nil {
            videoDecoder = try Decoder(codecID: AV_CODEC_ID_H264, extradata: config, timeBase: TimeBase(1, 1000), threads: 2)
        }
        arrivals.record(timeline: Double(pts) / 1000, uptime: arrival)
        let packet = try Packet(copying: unit.payload, pts: pts, dts: dts, keyframe: unit.isKeyframe)
        try decodeVideo(packet, arrival: arrival)
    }

    /// Sends a packet (nil to drain) and hands every picture to the lanes at constant frame rate.
    func decodeVideo(_ packet: Packet?, arrival: UInt64 = DispatchTime.now().uptimeNanoseconds) throws {
        guard let decoder = videoDecoder else { return }
        if let packet {
            do {
                try decoder.send(packet)
            } catch {
                decodeErrors += 1
                failedInARow += 1
                if failedInARow == 1 { failingSince = Date() }
                // A stream that does not decode for seconds (damage, or a picture past
                // max_pixels) fails the job, so its publisher is told instead of held while
                // nothing comes out.
                if failedInARow >= 5, Date().timeIntervalSince(failingSince) >= Self.maxFailingSeconds {
                    throw TranscodeError.damagedInput("\(failedInARow) video packets in a row do not decode (a damaged stream, or a picture over \(SourceAnalysis.maxLongSide)x\(SourceAnalysis.maxShortSide))")
                }
            }
        } else {
            try? decoder.send(nil)
        }
        while true {
            let frame = try Frame()
            let got: Bool
            do { got = try decoder.receive(into: frame) } catch { decodeErrors += 1; continue }
            guard got else { break }
            guard max(frame.width, frame.height) <= SourceAnalysis.maxLongSide,
                  min(frame.width, frame.height) <= SourceAnalysis.maxShortSide else {
                throw TranscodeError.unreadableInput("picture \(frame.width)x\(frame.height) is over the \(SourceAnalysis.maxLongSide)x\(SourceAnalysis.maxShortSide) limit")
            }
            if frame.hasDecodeErrors { decodeErrors += 1 }
            failedInARow = 0
            videoFrames += 1
            if lanes == nil {
                try makeLanes(width: PixelAspect.displayWidth(frame.width, sar: frame.sampleAspectRatio, logger: logger), height: frame.height,
                              matrix: ColorMatrix.of(colorspace: frame.pointer.pointee.colorspace, height: frame.height),
                              arrival: arrival)
            }
            let stamp = frame.bestEffortTimestamp
            let seconds = stamp == noTimestamp ? (lastVideoSeconds ?? -1 / framesPerSecond) + 1 / framesPerSecond : Double(stamp) / 1000
            lastVideoSeconds = seconds
            let indices = rate.indices(forFrameAt: seconds)
            guard !indices.isEmpty else { continue }
            // Blocks while a lane is queueDepth frames behind: the inbox then drops GOPs.
            for lane in lanes ?? [] { lane.submit(frame, indices: indices) }
            playhead.advance(to: Double(indices.upperBound - 1) / framesPerSecond)
        }
    }

    /// Builds one lane per rung of the stream's ladder (fixed by its first publish), starts a
    /// session on each rendition's live output, and releases the audio that waited for them.
    func makeLanes(width: Int?, height: Int?, matrix: ColorMatrix, arrival: UInt64) throws {
        let proposed: [RenditionSpec]
        if let width, let height {
            let rungs = settings.rungs ?? Ladder.defaultRungs(displayWidth: width, displayHeight: height)
            proposed = Ladder.resolve(rungs, displayWidth: width, displayHeight: height)
        } else {
            proposed = []
        }
        let renditions = try stream.renditions(proposed: proposed, audioOnly: width == nil)
        specs = renditions.compactMap(\.spec)
        let fps = framesPerSecond
        let gop = EncodingLane<LiveRenditionOutput>.gopFrames(segmentDuration: settings.segmentDuration, framesPerSecond: fps)
        let frameRate = av_d2q(fps, 1001)
        let threads = EncoderThreads.perRung(specs, override: settings.encoderThreads)
        // Timeline zero on the wall clock: when the first unit of this publish arrived.
        let anchor = Date().addingTimeInterval(-Double(DispatchTime.now().uptimeNanoseconds &- arrival) / 1e9)
        var made: [EncodingLane<LiveRenditionOutput>] = []
        var threadIndex = 0
        for rendition in renditions {
            var video: EncodingLane<LiveRenditionOutput>.Video?
            if let spec = rendition.spec {
                video = try .make(spec: spec, frameRate: frameRate, gopFrames: gop, threads: threads[threadIndex], preset: settings.preset,
                                  globalHeader: false, matrix: matrix, rotation: 0, scalerFlags: settings.scalerFlags,
                                  painter: CardPainter(timeline: cards.timeline, width: spec.width, height: spec.height, matrix: matrix,
                                                       rendition: spec.name, tracker: cards.tracker))
                threadIndex += 1
            }
            rendition.output.beginSession(anchor: anchor, arrivals: arrivals, cards: cards.timeline, logger: logger)
            made.append(try EncodingLane(name: rendition.output.name, video: video, audio: audio?.encoder,
                                         framesPerSecond: fps, gopFrames: gop, format: .ts,
                                         segmentDuration: settings.segmentDuration, output: rendition.output,
                                         queueDepth: settings.laneQueueDepth, failure: failure))
        }
        lanes = made
        publishLanes(made)
        frameRateBox.write(fps)
        stream.describe(audio: audio != nil, framesPerSecond: fps)
        logger.info("live ladder", metadata: [
            "rungs": "\(specs.map { "\($0.name) \($0.width)x\($0.height)@\($0.bitrate / 1000)k" })",
            "fps": "\(fps)", "audio": "\(audio != nil)",
        ])
        let waiting = pendingAudio
        pendingAudio = []
        distributeAudio(waiting)
    }
}
