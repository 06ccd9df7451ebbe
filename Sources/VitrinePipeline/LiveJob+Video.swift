// A live job's video side: an H.264 decoder for the LadderFeed, built from the RTMP sequence
// header (rebuilt when a new one arrives, e.g. a publisher switching resolution; the ladder and
// lanes stay), and the lanes, made once the first picture gives the source's size.
import CFFmpeg
import Dispatch
import Foundation
import VitrineMedia
import VitrineRTMP

extension LiveJob {
    func videoSequenceHeader(_ record: [UInt8]) throws {
        guard record != videoConfig else { return }
        if feed.decoder != nil {
            // Pictures still inside the old decoder belong to the old configuration: drained.
            try feed.replaceDecoder(nil)
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
        if feed.decoder == nil {
            try feed.replaceDecoder(Decoder(codecID: AV_CODEC_ID_H264, extradata: config, timeBase: TimeBase(1, 1000), threads: 2))
        }
        arrivals.record(timeline: Double(pts) / 1000, uptime: arrival)
        let packet = try Packet(copying: unit.payload, pts: pts, dts: dts, keyframe: unit.isKeyframe)
        latestArrival = arrival
        // Blocks while a lane is queueDepth frames behind: the inbox then drops GOPs.
        try feed.video(packet)
        videoFrames = feed.videoFrames
        videoFrozen = false
        // A publish with audio whose audio has gone quiet: silence after one segment's worth.
        if let audio, feed.lanes != nil, let seconds = feed.lastVideoSeconds {
            let wasQuiet = audio.isFillingSilence
            feed.audio(try audio.fillQuiet(upTo: seconds, after: settings.segmentDuration))
            if audio.isFillingSilence, !wasQuiet {
                logger.warning("audio went quiet while video goes on; filling it with silence",
                               metadata: ["after": "\(settings.segmentDuration) s", "at": "\(seconds) s"])
            }
        }
    }

    /// The feed's first picture: the ladder is sized from it.
    func makeLanes(firstPicture frame: Frame) throws {
        try makeLanes(width: PixelAspect.displayWidth(frame.width, sar: frame.sampleAspectRatio, logger: logger), height: frame.height,
                      matrix: ColorMatrix.of(colorspace: frame.pointer.pointee.colorspace, height: frame.height),
                      arrival: latestArrival)
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
        // Timeline zero on the wall clock: when the first unit of this session arrived, measured
        // from the cards clock's zero on the monotonic clock (a restart does not re-read the
        // wall clock, so the cards' dates and the segments' stay as the first process had them).
        let (clock, clockOffset) = startCardClock(at: arrival)
        let anchor = clock.date.addingTimeInterval(clockOffset)
        // The show report's record of this publish's cards, kept beside its playlists.
        let record = ShowRecordWriter(path: (stream.directory as NSString).appendingPathComponent(ShowRecord.fileName(jobID: id)),
                                      jobID: id, timeline: cards.timeline, origin: clock.date)
        cards.onChange = { record.write() }
        record.write()
        showRecord = record
        for rendition in renditions {
            rendition.output.beginSession(anchor: anchor, arrivals: arrivals, cards: cards.timeline,
                                          cardClock: (origin: clock.date, offset: clockOffset), logger: logger)
        }
        let made = try EncodingLane.ladder(renditions.map { ($0.spec, $0.output) }, encoding: settings.encoding, framesPerSecond: fps,
                                           frameRate: av_d2q(fps, 1001), matrix: matrix, rotation: 0, audio: audio?.encoder,
                                           painter: { [cards] spec in
                                               CardPainter(timeline: cards.timeline, width: spec.width, height: spec.height, matrix: matrix,
                                                           rendition: spec.name, tracker: cards.tracker, clockOffset: clockOffset)
                                           }, failure: failure)
        publishLanes(made)
        // Releases the audio that waited for them.
        feed.lanes = made
        frameRateBox.write(fps)
        stream.describe(audio: audio != nil, framesPerSecond: fps)
        logger.info("live ladder", metadata: [
            "rungs": "\(specs.map { "\($0.name) \($0.width)x\($0.height)@\($0.bitrate / 1000)k" })",
            "fps": "\(fps)", "audio": "\(audio != nil)",
        ])
    }
}
