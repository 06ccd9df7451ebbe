// One rendition's segments, file or live: each stored atomically in its folder (and, live, in the
// memory the origin serves first), measured for the master playlist, and listed by a playlist
// policy. VODPlaylist lists every segment and is written once the job is done; LivePlaylist keeps
// a sliding window rewritten on each segment and deletes what left it after the safety time.
import Foundation
import Logging
import VitrineHLS

public struct RenditionReport: Sendable {
    public var name: String
    public var width: Int?
    public var height: Int?
    public var segmentCount: Int
    public var peakBitrate: Int
    public var averageBitrate: Int
    public var codecs: [String]
    public var frameRate: Double?
    public var durationSeconds: Double
}

/// How a rendition's segments are named and listed.
protocol PlaylistPolicy {
    /// The file the next segment is stored under.
    func fileName(for segment: MuxedSegment, format: SegmentFormat) -> String
    /// Lists a stored segment; returns the media playlist to write now, or nil when it is written
    /// later (VOD: once, at the end).
    mutating func list(_ segment: MuxedSegment, as file: String, now: Date) -> MediaPlaylist?
    /// Files that left the playlist and whose safety time has passed: deleted now.
    mutating func takeExpired(now: Date) -> [String]
    var segmentCount: Int { get }
    /// fMP4: the segments listed from now on need the init segment stored as `name`.
    mutating func initChanged(to name: String)
    /// Lists an LL-HLS part of the segment being cut; returns its file name (nil: no parts).
    mutating func listPart(_ part: MuxedPart, format: SegmentFormat) -> String?
    /// The playlist the origin serves from memory when it differs from the one on disk (LL-HLS
    /// tags, which name parts that only memory holds).
    var memoryPlaylist: MediaPlaylist? { get }
}

extension PlaylistPolicy {
    mutating func initChanged(to name: String) {}
    mutating func listPart(_ part: MuxedPart, format: SegmentFormat) -> String? { nil }
    var memoryPlaylist: MediaPlaylist? { nil }
}

final class RenditionSink<Policy: PlaylistPolicy>: SegmentSink, @unchecked Sendable {
    static var initName: String { InitSegmentName.primary }
    static var playlistName: String { "index.m3u8" }

    let name: String
    let directory: String
    let format: SegmentFormat
    /// Guards everything below: a lane's queue writes, the stream and the API read.
    let lock = NSLock()
    var policy: Policy
    private var codec: String?
    /// Where the origin reads live files first, under "{playbackId}/{rendition}/".
    let memory: LiveHLSMemory?
    let memoryPrefix: String
    /// Files stored and not deleted since: what a failed job removes.
    private var files: Set<String> = []
    private var totalBytes = 0
    private var totalSeconds = 0.0
    private var peakBitrate = 0.0
    /// Where the last segment ends on the job timeline. Not the sum of durations: the first
    /// segment may start before second 0 (AAC priming samples).
    private(set) var endSeconds = 0.0
    /// Called after each listed segment (outside the lock), so a live stream can write its master.
    var onListed: (() -> Void)?

    init(name: String, root: String, format: SegmentFormat, policy: Policy, memory: LiveHLSMemory? = nil) throws {
        self.name = name
        self.format = format
        self.policy = policy
        self.memory = memory
        directory = (root as NSString).appendingPathComponent(name)
        memoryPrefix = "\((root as NSString).lastPathComponent)/\(name)/"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw TranscodeError.unwritableOutput("cannot create \(directory): \(error.localizedDescription)")
        }
    }

    var videoCodec: String? {
        get { lock.withLock { codec } }
        set { lock.withLock { codec = newValue } }
    }

    /// Stores the fMP4 init segment as init.mp4, unless init.mp4 already holds a different one
    /// (a live rendition whose restarted process, or a reconnect, made another): segments still
    /// listed need the old one, so the new one gets its own name, by its content, and the
    /// playlist names it (EXT-X-MAP) from the next segment on.
    func writeInit(_ bytes: [UInt8]) throws {
        try lock.withLock {
            let existing = FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(Self.initName))
            let name = existing == nil || existing == Data(bytes) ? Self.initName : InitSegmentName.forChanged(bytes)
            try store(bytes, as: name)
            policy.initChanged(to: name)
        }
    }

    func write(_ segment: MuxedSegment) throws {
        try lock.withLock {
            let file = policy.fileName(for: segment, format: format)
            try store(segment.bytes, as: file)
            let now = Date()
            totalBytes += segment.bytes.count
            totalSeconds += segment.durationSeconds
            endSeconds = max(endSeconds, segment.startSeconds + segment.durationSeconds)
            // A tiny last segment would inflate the peak; RFC 8216bis measures over target-ish durations.
            if segment.durationSeconds >= 0.5 { peakBitrate = max(peakBitrate, segment.bitrate) }
            else if peakBitrate == 0 { peakBitrate = segment.bitrate }
            if let playlist = policy.list(segment, as: file, now: now) { try storePlaylist(playlist) }
            deleteExpired(now: now)
        }
        onListed?()
    }

    /// An LL-HLS part: into memory only (the origin serves it; disk players read whole
    /// segments), and the memory playlist lists it at once.
    func writePart(_ part: MuxedPart) throws {
        lock.withLock {
            guard let file = policy.listPart(part, format: format) else { return }
            files.insert(file)
            memory?.put(memoryPrefix + file, part.bytes)
            // A segment's last part is listed with the segment, which comes next: a playlist
            // between the two would hint a part of this segment that is never cut.
            if !part.endsSegment, let playlist = policy.memoryPlaylist { putMemoryPlaylist(playlist) }
        }
    }

    func report(width: Int?, height: Int?, frameRate: Double?, audio: Bool) -> RenditionReport {
        lock.withLock {
            var codecs = codec.map { [$0] } ?? []
            if audio { codecs.append(CodecString.aacLC) }
            let average = totalSeconds > 0 ? Int((Double(totalBytes * 8) / totalSeconds).rounded(.up)) : 0
            return RenditionReport(name: name, width: width, height: height, segmentCount: policy.segmentCount,
                                   peakBitrate: Int(peakBitrate.rounded(.up)), averageBitrate: average, codecs: codecs,
                                   frameRate: frameRate, durationSeconds: totalSeconds)
        }
    }

    /// Removes what this rendition wrote, after a failed job, so nothing half-done remains.
    func removeEverything() {
        lock.withLock {
            for file in files {
                memory?.remove(memoryPrefix + file)
                unlink((directory as NSString).appendingPathComponent(file))
            }
            files.removeAll()
            rmdir(directory)
        }
    }

    // MARK: - Under the lock

    /// The playlist to disk, and to memory as it is, or as its LL-HLS version when it has one.
    func storePlaylist(_ playlist: MediaPlaylist) throws {
        let bytes = Array(playlist.render().utf8)
        guard let lowLatency = policy.memoryPlaylist else { return try store(bytes, as: Self.playlistName) }
        try writeFile(bytes, as: Self.playlistName)
        putMemoryPlaylist(lowLatency)
    }

    /// The LL-HLS playlist into memory: its delta update first, so a reload that the full one
    /// wakes finds the delta as new.
    private func putMemoryPlaylist(_ playlist: MediaPlaylist) {
        if let delta = playlist.deltaUpdate() { memory?.put(memoryPrefix + LiveHLSMemory.deltaName, Array(delta.render().utf8)) }
        memory?.put(memoryPrefix + Self.playlistName, Array(playlist.render().utf8))
    }

    func deleteExpired(now: Date) {
        let expired = policy.takeExpired(now: now)
        guard !expired.isEmpty else { return }
        for file in expired {
            memory?.remove(memoryPrefix + file)
            unlink((directory as NSString).appendingPathComponent(file))
        }
        files.subtract(expired)
    }

    private func store(_ bytes: [UInt8], as file: String) throws {
        try writeFile(bytes, as: file)
        // After the disk write: memory never lists what a restart could not serve.
        memory?.put(memoryPrefix + file, bytes)
    }

    private func writeFile(_ bytes: [UInt8], as file: String) throws {
        let path = (directory as NSString).appendingPathComponent(file)
        do {
            try AtomicFileWriter.write(bytes, to: path)
        } catch let error as FileWriteError {
            throw TranscodeError(error)
        }
        files.insert(file)
    }

    /// Forgets files that were only ever in memory (parts of a segment never finished).
    func dropFromMemory(_ names: [String]) {
        for name in names { memory?.remove(memoryPrefix + name) }
        files.subtract(names)
    }
}
