// One accepted RTMP publish as a live job: the same pipeline as a file job (decode once, one
// lane per rung on its own queue, AAC once), fed by access units instead of a demuxer. Every
// unit is handed from the connection's event loop through a bounded inbox to this job's own
// serial queue; nothing here runs on an event loop. A failure ends this job alone.
import CFFmpeg
import Dispatch
import Foundation
import Logging
import VitrineMedia
import VitrineOverlay
import VitrineRTMP

public final class LiveJob: LiveJobRunning, @unchecked Sendable {
    /// Unique across restarts: the job's id in the store and the API.
    public let id: String
    public let connectionID: UInt64
    let stream: LiveStream
    let settings: LiveSettings
    /// Left when the job has flushed its lanes (or failed): a reconnect waits for it.
    public let finished = DispatchGroup()
    public internal(set) var logger: Logger
    let queue: DispatchQueue
    let inbox: LiveInbox
    let failure = JobFailure()
    let arrivals = ArrivalClock()
    public let startedAt: Date
    /// The newest frame handed to the lanes, and the operator's cards on this publish.
    public let playhead = Playhead()
    public let cards: CardControl
    /// This publish's show record (ShowRecord), kept from its first picture on.
    var showRecord: ShowRecordWriter?
    let frameRateBox = LockedFramesPerSecond()
    private let lanesLock = NSLock()
    private var lanesForStats: [EncodingLane<LiveRenditionOutput>] = []

    // State below is touched only on `queue`.
    var timeline = LiveTimeline()
    /// Decode once, constant frame rate, fan-out to the lanes (which it holds once made).
    let feed: LadderFeed<LiveRenditionOutput>
    var framesPerSecond: Double { feed.framesPerSecond }
    var lanes: [EncodingLane<LiveRenditionOutput>]? { feed.lanes }
    var videoConfig: [UInt8]?
    var needsKeyframe = true
    /// When the unit being decoded reached the server: the first picture anchors the timeline.
    var latestArrival: UInt64 = 0
    var audioConfig: [UInt8]?
    var audio: AudioChain?
    var audioFramesBeforeStart = 0
    /// The last picture is being repeated because the video stopped (logged once per spell).
    var videoFrozen = false
    var specs: [RenditionSpec] = []
    var decodeErrors: Int { feed.decodeErrors + (audio?.decodeErrors ?? 0) }
    static let maxFailingSeconds = 3.0
    /// Pictures decoded from the publish (frames in); written on `queue`, read by metrics.
    var videoFrames: Int {
        get { lanesLock.withLock { decodedFrames } }
        set { lanesLock.withLock { decodedFrames = newValue } }
    }
    private var decodedFrames = 0
    private var reportedFailure = false
    /// Told once when the job fails, so the publisher can be told and cut off: a failed job
    /// never holds a connection open while producing nothing.
    public var onFailure: (@Sendable (any LiveJobRunning, String) -> Void)?
    /// Units handled on the job queue so far: a job process reports it, so its supervisor can
    /// tell a job that stopped working from one that has nothing to do.
    public var handledUnits: Int { lanesLock.withLock { handled } }
    private var handled = 0
    public var cardCommands: any CardCommands { cards }
    public var onCardApplied: (@Sendable (Double) -> Void)? {
        didSet {
            let hook = onCardApplied
            cards.tracker.onApplied = { applied in hook?(applied.delayMilliseconds) }
        }
    }
    public var restarts: [LiveRestart] { [] }

    /// When the publish's cards clock read zero: the arrival of its first picture. A job process
    /// restarted after a crash is given the first process's, so the cards on screen (configured
    /// and pushed) go on at their times instead of starting over.
    public var cardClockStart: CardClockStart? { lanesLock.withLock { clockStart } }
    private var clockStart: CardClockStart?

    /// Starts the cards clock at this publish's first picture (unless a process before this one
    /// did); returns the clock's start and where timeline zero sits on it, seconds.
    func startCardClock(at arrival: UInt64) -> (start: CardClockStart, offset: Double) {
        let started = lanesLock.withLock { () -> (CardClockStart, Double) in
            guard let start = clockStart else {
                let start = CardClockStart.starting(at: arrival)
                clockStart = start
                return (start, 0)
            }
            return (start, start.seconds(at: arrival))
        }
        playhead.setCardClockOffset(started.1)
        return started
    }

    init(stream: LiveStream, connectionID: UInt64, settings: LiveSettings, previous: (any LiveJobRunning)?,
         id: String? = nil, initialCards: [ResolvedCard] = [], startedAt: Date = Date(), cardClockStart: CardClockStart? = nil, logger: Logger) {
        clockStart = cardClockStart
        self.id = id ?? "live-" + PlaybackIDs.makeID()
        self.startedAt = startedAt
        self.connectionID = connectionID
        self.stream = stream
        // Each publish has its own cards: the configured ones (times from the publish's start)
        // plus whatever an operator pushes while it runs.
        let timeline = Timeline(imageDirectory: URL(fileURLWithPath: settings.cardImagesDirectory), wallClockOrigin: startedAt)
        try? timeline.replaceAll(with: (settings.cards?.allCards ?? []) + initialCards)
        let rate = frameRateBox
        cards = CardControl(timeline: timeline, playhead: playhead, framesPerSecond: rate.read)
        self.settings = settings
        var logger = logger
        logger[metadataKey: "job"] = "\(self.id)"
        logger[metadataKey: "rtmp.connection"] = "\(connectionID)"
        self.logger = logger
        queue = DispatchQueue(label: "vitrine.live.\(self.id)", qos: .userInitiated)
        feed = LadderFeed(framesPerSecond: 30, decoder: nil, maxFailingSeconds: Self.maxFailingSeconds) { Double($0) / 1000 }
        inbox = LiveInbox(capacity: settings.inboxCapacity)
        feed.playhead = playhead
        feed.makeLanes = { [unowned self] in try makeLanes(firstPicture: $0) }
        finished.enter()
        // The previous publish on this key flushes its last segments first, so the playlist gets
        // them before this publish's discontinuity.
        if let previous { queue.async { previous.finished.wait() } }
    }

    // MARK: - Called on the connection's event loop: hand over and return at once.

    public func metadata(_ properties: [AMF0Property]) {
        let rate = properties.first { $0.key == "framerate" || $0.key == "fps" }?.value.numberValue
        queue.async { [self] in
            guard lanes == nil, let rate, rate.isFinite, rate >= 1 else { return }
            feed.setFrameRate(min(60, rate))
            frameRateBox.write(framesPerSecond)
            timeline.stepMilliseconds = Int64(1000 / framesPerSecond)
        }
    }

    public func enqueue(_ unit: AccessUnit) {
        enqueue(unit, arrival: DispatchTime.now().uptimeNanoseconds)
    }

    /// `arrival`: when the unit reached the server (CLOCK_MONOTONIC ns), which for a job process
    /// is earlier than when it reached the process: latency counts from the publisher.
    public func enqueue(_ unit: AccessUnit, arrival: UInt64) {
        switch inbox.offer(isVideo: unit.track == .video, isKeyframe: unit.isKeyframe, isSequenceHeader: unit.isSequenceHeader,
                            bytes: unit.payload.count) {
        case .drop:
            return
        case .startDropping:
            let counts = inbox.counts
            logger.warning("job degraded: lagging behind the publisher, dropping until the next keyframe",
                           metadata: ["droppedGOPs": "\(counts.gops)", "droppedUnits": "\(counts.units)"])
            return
        case .admit:
            queue.async { [self] in
                defer { inbox.done(bytes: unit.payload.count) }
                guard failure.error == nil else { return }
                do { try handle(unit, arrival: arrival) } catch { fail(error) }
                lanesLock.withLock { handled += 1 }
            }
        }
    }

    /// The publisher left: flush everything into the playlists, then tell the stream.
    public func end(reason: String) {
        queue.async { [self] in
            if failure.error == nil {
                do { try flush() } catch { fail(error) }
            }
            logSummary(reason: reason)
            // The show report ends where the pictures did.
            showRecord?.write(mediaEnd: playhead.seconds)
            feed.lanes = nil
            feed.discardDecoder()
            audio = nil
            finished.leave()
            stream.jobDidFinish(self)
        }
    }

    public var degraded: Bool { inbox.counts.gops > 0 }

    /// Whole GOPs dropped because the job lagged.
    public var droppedGOPs: Int { inbox.counts.gops }

    public var playbackID: String { stream.playbackID }

    /// Pictures decoded so far.
    public var framesIn: Int { videoFrames }

    /// Access units (video and audio) dropped because the job lagged.
    public var droppedUnits: Int { inbox.counts.units }

    /// The error that stopped this job, if one did.
    public var error: Error? { failure.error }

    /// Per-rendition figures, readable from any thread.
    public func renditionProgress() -> [RenditionProgress] {
        let lanes = lanesLock.withLock { lanesForStats }
        let dropped = inbox.counts.units
        return lanes.map {
            RenditionProgress(name: $0.output.name, framesEncoded: $0.framesEncoded, busySeconds: $0.busySeconds, framesDropped: dropped)
        }
    }

    func publishLanes(_ lanes: [EncodingLane<LiveRenditionOutput>]) {
        lanesLock.withLock { lanesForStats = lanes }
    }

    // MARK: - On the job queue

    private func fail(_ error: Error) {
        failure.record(error)
        guard !reportedFailure else { return }
        reportedFailure = true
        logger.error("live job failed; the publisher is disconnected", metadata: ["error": "\(error)"])
        onFailure?(self, "\(error)")
    }

    private func handle(_ unit: AccessUnit, arrival: UInt64) throws {
        switch (unit.track, unit.isSequenceHeader) {
        case (.video, true):
            try videoSequenceHeader(unit.payload)
        case (.audio, true):
            try audioSequenceHeader(unit.payload)
        case (.video, false):
            try videoFrame(unit, arrival: arrival)
        case (.audio, false):
            try audioFrame(unit)
        }
    }

    private func audioSequenceHeader(_ config: [UInt8]) throws {
        guard config != audioConfig else { return }
        guard audio == nil, lanes == nil else {
            // The AAC encoder is already muxed into every rendition; a new input format only
            // needs a new decoder, which AudioChain does not offer mid-stream yet.
            logger.warning("audio configuration changed mid-publish; keeping the first one")
            return
        }
        audioConfig = config
        let decoder = try Decoder(codecID: AV_CODEC_ID_AAC, extradata: config, timeBase: TimeBase(1, 1000), threads: 1)
        audio = try AudioChain(decoder: decoder, timelineStart: 0, globalHeader: false)
    }

    private func audioFrame(_ unit: AccessUnit) throws {
        guard let audio else { return }
        if !timeline.isStarted {
            // Audio-only publish: no video configuration after about two seconds of audio.
            audioFramesBeforeStart += 1
            guard videoConfig == nil, audioFramesBeforeStart > 90 else { return }
            timeline.start(at: unit.dts)
            try makeLanes(width: nil, height: nil, matrix: .bt709, arrival: DispatchTime.now().uptimeNanoseconds)
        }
        let (dts, pts) = timeline.place(isVideo: unit.track == .video, dts: unit.dts, pts: unit.pts, discontinuity: unit.discontinuity)
        guard dts >= 0 else { return }
        let packet = try Packet(copying: unit.payload, pts: pts, dts: dts, keyframe: true)
        feed.audio(try audio.push(packet))
        // Video that has stopped while audio goes on: the last picture again after a segment.
        if feed.repeatLastFrame(upTo: audio.lastInputSeconds, after: settings.segmentDuration), !videoFrozen {
            videoFrozen = true
            logger.warning("video stopped while audio goes on; repeating the last picture", metadata: ["after": "\(settings.segmentDuration) s"])
        }
    }

    private func flush() throws {
        try feed.video(nil)
        videoFrames = feed.videoFrames
        if let audio, lanes != nil { feed.audio(try audio.finish()) }
        for lane in lanes ?? [] { _ = try lane.finish() }
    }

    private func logSummary(reason: String) {
        let elapsed = Date().timeIntervalSince(startedAt)
        let counts = inbox.counts
        var metadata: Logger.Metadata = [
            "reason": "\(reason)", "seconds": "\(String(format: "%.1f", elapsed))", "videoFrames": "\(videoFrames)",
            "droppedGOPs": "\(counts.gops)", "droppedUnits": "\(counts.units)", "decodeErrors": "\(decodeErrors)",
            "rebases": "\(timeline.rebases)",
        ]
        for lane in lanes ?? [] {
            let media = Double(lane.framesEncoded) / framesPerSecond
            let speed = lane.busySeconds > 0 ? media / lane.busySeconds : 0
            let latency = lane.output.takeLatencies()
            metadata["rendition.\(lane.output.name)"] = .string(String(
                format: "frames=%d speed=%.2fx latency.mean=%.2fs latency.max=%.2fs segments=%d",
                lane.framesEncoded, speed, latency.mean, latency.max, latency.count))
        }
        logger.notice(counts.gops > 0 ? "live job ended (degraded)" : "live job ended", metadata: metadata)
    }
}
