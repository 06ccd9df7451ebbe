// A live rendition's SegmentSink: writes each segment atomically, lists it in a sliding window
// with its wall-clock time, rewrites index.m3u8, and deletes files only after they have been
// out of the window for the RFC 8216bis 6.2.2 safety time. One per rendition per stream key; it
// outlives publishes, so a reconnect continues the same playlist after a discontinuity.
import Foundation
import Logging
import VitrineHLS
import VitrineOverlay

final class LiveRenditionOutput: SegmentSink, @unchecked Sendable {
    let name: String
    let directory: String
    private let lock = NSLock()
    private var window: LiveWindow
    private var codec: String?
    private var logger: Logger
    /// Wall-clock time of timeline zero for the current publish, and when its frames arrived.
    private var anchor = Date()
    private var arrivals: ArrivalClock?
    /// Cards drawn into the current publish, announced as EXT-X-DATERANGEs, and the timeline
    /// second the publish has reached (cards that start later are not on screen yet).
    private var cards: Timeline?
    private var reached = 0.0
    private var latencies: [Double] = []
    private var totalBytes = 0
    private var totalSeconds = 0.0
    /// Called after each listed segment (outside the lock), so the stream can write its master.
    var onListed: (() -> Void)?
    /// Told each listed segment's arrival-to-listed seconds (the segment publish lag metric).
    var onLatency: (@Sendable (Double) -> Void)?
    /// Where the origin reads live files first, under "{playbackId}/{rendition}/".
    private let memory: LiveHLSMemory?
    private let memoryPrefix: String

    init(name: String, root: String, listSize: Int, memory: LiveHLSMemory? = nil, logger: Logger) throws {
        self.name = name
        directory = (root as NSString).appendingPathComponent(name)
        self.memory = memory
        memoryPrefix = "\((root as NSString).lastPathComponent)/\(name)/"
        self.logger = logger
        self.logger[metadataKey: "rendition"] = "\(name)"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw TranscodeError.unwritableOutput("cannot create \(directory): \(error.localizedDescription)")
        }
        window = Self.window(continuing: directory, listSize: listSize)
    }

    /// A previous run may have left a playlist here. Left live (its process died), the show goes
    /// on in it: the same segments listed, then a discontinuity. Ended, a new window numbers on
    /// after it. Either way no sequence number ever names different media, and the
    /// discontinuity sequence keeps counting.
    private static func window(continuing directory: String, listSize: Int) -> LiveWindow {
        let path = (directory as NSString).appendingPathComponent("index.m3u8")
        guard let leftover = LeftoverPlaylist(path: path) else { return LiveWindow(listSize: listSize) }
        return leftover.ended ? LiveWindow(after: leftover, listSize: listSize) : LiveWindow(continuing: leftover, listSize: listSize)
    }

    /// A publish starts: its timeline zero is `anchor` on the wall clock. After an earlier
    /// publish the next segment carries EXT-X-DISCONTINUITY.
    func beginSession(anchor: Date, arrivals: ArrivalClock, cards: Timeline?, logger: Logger) {
        lock.withLock {
            self.anchor = anchor
            self.arrivals = arrivals
            self.cards = cards
            reached = 0
            self.logger = logger
            self.logger[metadataKey: "rendition"] = "\(name)"
            window.markDiscontinuity()
        }
    }

    var videoCodec: String? {
        get { lock.withLock { codec } }
        set { lock.withLock { codec = newValue } }
    }

    var hasSegments: Bool { lock.withLock { !window.isEmpty } }

    func writeInit(_ bytes: [UInt8]) throws {
        try store(bytes, as: RenditionOutput.initName)
    }

    func write(_ segment: MuxedSegment) throws {
        try lock.withLock {
            let sequence = window.nextSequence
            let file = String(format: "seg_%05d.ts", sequence)
            try store(segment.bytes, as: file)
            let now = Date()
            window.append(duration: segment.durationSeconds,
                          programDateTime: anchor.addingTimeInterval(segment.startSeconds), now: now) { _ in file }
            reached = max(reached, segment.startSeconds + segment.durationSeconds)
            try writePlaylist()
            totalBytes += segment.bytes.count
            totalSeconds += segment.durationSeconds
            if let arrived = arrivals?.arrival(ofTimeline: segment.startSeconds) {
                let latency = Double(DispatchTime.now().uptimeNanoseconds &- arrived) / 1e9
                latencies.append(latency)
                onLatency?(latency)
                logger.debug("segment listed", metadata: ["sequence": "\(sequence)", "latency": "\(String(format: "%.2f", latency))"])
            }
            deleteExpired(now: now)
        }
        onListed?()
    }

    /// The grace period passed with no publisher: EXT-X-ENDLIST.
    func end() throws {
        try lock.withLock {
            guard !window.ended, !window.isEmpty else { return }
            window.end()
            try writePlaylist()
            // Over: players fetching its last segments now get them from disk.
            memory?.dropSegments(under: memoryPrefix)
        }
    }

    /// Deletes retired segments whose safety time has passed (called on a timer, too, since a
    /// stream that ended lists nothing new).
    func sweep() {
        lock.withLock { deleteExpired(now: Date()) }
    }

    /// Arrival-to-listed latency of the segments since the last call: (mean, max) seconds.
    func takeLatencies() -> (mean: Double, max: Double, count: Int) {
        lock.withLock {
            defer { latencies.removeAll() }
            guard !latencies.isEmpty else { return (0, 0, 0) }
            return (latencies.reduce(0, +) / Double(latencies.count), latencies.max() ?? 0, latencies.count)
        }
    }

    func report(width: Int?, height: Int?, frameRate: Double?, audio: Bool) -> RenditionReport {
        lock.withLock {
            var codecs = codec.map { [$0] } ?? []
            if audio { codecs.append(CodecString.aacLC) }
            let average = totalSeconds > 0 ? Int(Double(totalBytes * 8) / totalSeconds) : 0
            return RenditionReport(name: name, width: width, height: height, segmentCount: window.entries.count,
                                   peakBitrate: average, averageBitrate: average, codecs: codecs,
                                   frameRate: frameRate, durationSeconds: totalSeconds)
        }
    }

    private func writePlaylist() throws {
        var playlist = window.playlist
        if let cards {
            playlist.dateRanges = CardDateRanges.live(cards, origin: anchor, reached: reached,
                                                      windowStart: playlist.segments.first?.programDateTime)
        }
        try store(Array(playlist.render().utf8), as: "index.m3u8")
    }

    private func deleteExpired(now: Date) {
        for file in window.takeExpired(now: now) {
            memory?.remove(memoryPrefix + file)
            unlink((directory as NSString).appendingPathComponent(file))
        }
    }

    private func store(_ bytes: [UInt8], as file: String) throws {
        let path = (directory as NSString).appendingPathComponent(file)
        do {
            try AtomicFileWriter.write(bytes, to: path)
        } catch let error as FileWriteError {
            throw TranscodeError(error)
        }
        // After the disk write: memory never lists what a restart could not serve.
        memory?.put(memoryPrefix + file, bytes)
    }
}
