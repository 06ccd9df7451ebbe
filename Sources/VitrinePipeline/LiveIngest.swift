// The RTMP server's publish delegate: knows the stream keys (fixed at start or added and
// revoked through the API while running), starts a live job per accepted publish, and hands it
// (and the optional recorder) every unit. Called on event loops, so every method only looks
// things up and queues; jobs do their work on their own queues.
import Dispatch
import Foundation
import Logging
import VitrineRTMP

public final class LiveIngest: RTMPPublishDelegate, @unchecked Sendable {
    /// What the owner (vitrine serve) learns about live jobs, and may veto.
    public struct Events: Sendable {
        /// Asked before a publish is accepted: false refuses it (the worker is at its job limit).
        public var mayStart: @Sendable () -> Bool = { true }
        public var didStart: @Sendable (any LiveJobRunning) -> Void = { _ in }
        /// After the job flushed its last segments; `reason` says why the publish ended.
        public var didEnd: @Sendable (any LiveJobRunning, String) -> Void = { _, _ in }
        /// The job bound to a key through the API, taken by the publish that starts on it.
        public var takeBinding: @Sendable (String) -> LiveJobBinding? = { _ in nil }
        /// Bytes of media received from publishers.
        public var didReceive: @Sendable (Int) -> Void = { _ in }
        /// The job failed (disk full, a picture over the limit, ...): its publisher must be told
        /// (onStatus) and cut off; the playlists end when it is gone.
        public var didFail: @Sendable (any LiveJobRunning, String) -> Void = { _, _ in }

        public init() {}
    }

    private struct Publish {
        var job: any LiveJobRunning
        var recorder: FLVRecorder?
    }

    private let settings: LiveSettings
    private let logger: Logger
    private let lock = NSLock()
    /// Stream key -> its stream.
    private var streams: [String: LiveStream]
    /// Streams of revoked keys: still swept and ended, no longer publishable.
    private var retired: [LiveStream] = []
    private var publishes: [UInt64: Publish] = [:]
    private var janitor: DispatchSourceTimer?
    public var events = Events()

    /// `playbackIDs`: stream key -> playback id (see PlaybackIDs).
    public init(settings: LiveSettings, playbackIDs: [String: String], logger: Logger) {
        self.settings = settings
        self.logger = logger
        streams = playbackIDs.mapValues { LiveStream(playbackID: $0, settings: settings, logger: logger) }
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "vitrine.hls.janitor", qos: .utility))
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.setEventHandler { [weak self] in
            for stream in self?.allStreams ?? [] { stream.sweep() }
        }
        timer.resume()
        janitor = timer
    }

    private var allStreams: [LiveStream] { lock.withLock { Array(streams.values) + retired } }

    /// At start-up: cleans what a stopped server left in the HLS folder and ends the playlists it
    /// left live once their grace period is over, unless their key publishes again first.
    public func recoverLeftovers() {
        LiveLeftovers.recover(hlsDirectory: settings.hlsDirectory, graceSeconds: settings.graceSeconds, logger: logger) { [weak self] id in
            guard let self else { return false }
            return self.lock.withLock { self.streams.values.contains { $0.playbackID == id && $0.hasLadder } }
        }
    }

    /// Where a key's HLS appears (relative to nothing secret: the playback id only).
    public func masterPlaylist(forKey key: String) -> String? { lock.withLock { streams[key]?.masterPath } }

    /// Lets `key` publish from now on, its HLS under `playbackID`.
    public func addKey(_ key: String, playbackID: String) {
        lock.withLock {
            guard streams[key] == nil else { return }
            streams[key] = LiveStream(playbackID: playbackID, settings: settings, logger: logger)
        }
    }

    /// Revokes `key`. Returns the job publishing on it, which the caller stops.
    public func removeKey(_ key: String) -> (any LiveJobRunning)? {
        lock.withLock {
            guard let stream = streams.removeValue(forKey: key) else { return nil }
            retired.append(stream)
            return publishes.values.first { $0.job.playbackID == stream.playbackID }?.job
        }
    }

    /// True when `key` exists and a publish on it has fixed its ladder (a binding cannot change it).
    public func hasLadder(key: String) -> Bool { lock.withLock { streams[key] }?.hasLadder ?? false }

    /// The running live jobs.
    public var jobs: [any LiveJobRunning] { lock.withLock { publishes.values.map(\.job) } }

    public func job(id: String) -> (any LiveJobRunning)? { lock.withLock { publishes.values.first { $0.job.id == id }?.job } }

    public func rtmpShouldAcceptPublish(_ publication: RTMPPublication) -> RTMPPublishDecision {
        guard lock.withLock({ streams[publication.key.value] }) != nil else { return .reject(.unknownKey) }
        return events.mayStart() ? .accept : .reject(.atCapacity)
    }

    public func rtmpPublishDidStart(_ publication: RTMPPublication) {
        guard let stream = lock.withLock({ streams[publication.key.value] }) else { return }
        let job = stream.startJob(connectionID: publication.connectionID, binding: events.takeBinding(publication.key.value))
        let didFail = events.didFail
        job.onFailure = { job, why in didFail(job, why) }
        var recorder: FLVRecorder?
        if settings.record {
            let path = Self.recordingPath(settings.recordingsDirectory, playbackID: stream.playbackID, connection: publication.connectionID)
            do {
                try FileManager.default.createDirectory(atPath: settings.recordingsDirectory, withIntermediateDirectories: true)
                recorder = try FLVRecorder(path: path, logger: job.logger)
                job.logger.info("recording", metadata: ["path": "\(path)"])
            } catch {
                job.logger.error("recording disabled for this publish", metadata: ["error": "\(error)"])
            }
        }
        lock.withLock { publishes[publication.connectionID] = Publish(job: job, recorder: recorder) }
        job.logger.notice("live job started", metadata: ["hls": "\(stream.masterPath)"])
        events.didStart(job)
    }

    public func rtmpPublication(_ publication: RTMPPublication, didReceiveMetadata metadata: [AMF0Property]) {
        lock.withLock { publishes[publication.connectionID] }?.job.metadata(metadata)
    }

    public func rtmpPublication(_ publication: RTMPPublication, didReceive unit: AccessUnit) {
        guard let publish = lock.withLock({ publishes[publication.connectionID] }) else { return }
        events.didReceive(unit.payload.count)
        publish.recorder?.enqueue(unit)
        publish.job.enqueue(unit)
    }

    public func rtmpPublishDidEnd(_ publication: RTMPPublication, reason: String) {
        guard let publish = lock.withLock({ publishes.removeValue(forKey: publication.connectionID) }) else { return }
        end(publish, reason: reason)
    }

    /// `waitForRecorder`: close the recording before returning (shutdown) instead of in the
    /// background (closing syncs the file, which must not happen on an event loop).
    private func end(_ publish: Publish, reason: String, waitForRecorder: Bool = false) {
        publish.job.end(reason: reason)
        let events = events
        publish.job.finished.notify(queue: .global(qos: .utility)) { events.didEnd(publish.job, reason) }
        guard let recorder = publish.recorder else { return }
        if waitForRecorder {
            recorder.finish()
        } else {
            DispatchQueue.global(qos: .utility).async { recorder.finish() }
        }
    }

    /// Graceful stop (SIGTERM, after the server stopped accepting): ends every publish, waits for
    /// the jobs to flush, and ends every playlist now instead of after the grace period.
    public func shutdown() {
        let open = lock.withLock { () -> [Publish] in
            defer { publishes.removeAll() }
            return Array(publishes.values)
        }
        for publish in open { end(publish, reason: "server shutting down", waitForRecorder: true) }
        for stream in allStreams { stream.shutdown() }
        janitor?.cancel()
    }

    static func recordingPath(_ directory: String, playbackID: String, connection: UInt64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss.SSS'Z'"
        // The connection number keeps two publishes within one millisecond apart.
        return (directory as NSString).appendingPathComponent("\(playbackID)-\(formatter.string(from: Date()))-\(connection).flv")
    }
}
