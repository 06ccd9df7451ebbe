// The RTMP server's publish delegate: knows the static stream keys, starts a live job per
// accepted publish, and hands it (and the optional recorder) every unit. Called on event loops,
// so every method only looks things up and queues; jobs do their work on their own queues.
import Dispatch
import Foundation
import Logging
import VitrineRTMP

public final class LiveIngest: RTMPPublishDelegate, @unchecked Sendable {
    private struct Publish {
        var job: LiveJob
        var recorder: FLVRecorder?
    }

    private let settings: LiveSettings
    private let logger: Logger
    /// Stream key -> its stream; fixed at start (the API will add keys at run time later).
    private let streams: [String: LiveStream]
    private let lock = NSLock()
    private var publishes: [UInt64: Publish] = [:]
    private var janitor: DispatchSourceTimer?

    /// `playbackIDs`: stream key -> playback id (see PlaybackIDs).
    public init(settings: LiveSettings, playbackIDs: [String: String], logger: Logger) {
        self.settings = settings
        self.logger = logger
        streams = playbackIDs.mapValues { LiveStream(playbackID: $0, settings: settings, logger: logger) }
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "vitrine.hls.janitor", qos: .utility))
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.setEventHandler { [streams] in for stream in streams.values { stream.sweep() } }
        timer.resume()
        janitor = timer
    }

    /// Where a key's HLS appears (relative to nothing secret: the playback id only).
    public func masterPlaylist(forKey key: String) -> String? { streams[key]?.masterPath }

    public func rtmpShouldAcceptPublish(_ publication: RTMPPublication) -> RTMPPublishDecision {
        streams[publication.key.value] == nil ? .reject(.unknownKey) : .accept
    }

    public func rtmpPublishDidStart(_ publication: RTMPPublication) {
        guard let stream = streams[publication.key.value] else { return }
        let job = stream.startJob(connectionID: publication.connectionID)
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
    }

    public func rtmpPublication(_ publication: RTMPPublication, didReceiveMetadata metadata: [AMF0Property]) {
        lock.withLock { publishes[publication.connectionID] }?.job.metadata(metadata)
    }

    public func rtmpPublication(_ publication: RTMPPublication, didReceive unit: AccessUnit) {
        guard let publish = lock.withLock({ publishes[publication.connectionID] }) else { return }
        publish.recorder?.enqueue(unit)
        publish.job.enqueue(unit)
    }

    public func rtmpPublishDidEnd(_ publication: RTMPPublication, reason: String) {
        guard let publish = lock.withLock({ publishes.removeValue(forKey: publication.connectionID) }) else { return }
        publish.job.end(reason: reason)
        if let recorder = publish.recorder {
            // Closing syncs the file: not on the event loop.
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
        for publish in open {
            publish.job.end(reason: "server shutting down")
            publish.recorder?.finish()
        }
        for stream in streams.values { stream.shutdown() }
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
