// Live playlists and segments kept in memory as they are made, so the HTTP origin answers from
// here the moment a segment is listed, without reading back what it just wrote. Files on disk
// stay the record for nginx-style origins and for restarts; when a stream ends, its segments
// leave memory (the origin then reads them from disk) and only its small playlists stay.
import Foundation

public final class LiveHLSMemory: @unchecked Sendable {
    public struct Entry: Sendable {
        public var bytes: [UInt8]
        /// Strong validator: a new version always has a new generation.
        public var etag: String
        public var modified: Date
    }

    /// A change, as a job process tells its supervisor's memory about it.
    public enum Change: Sendable {
        case put(String, [UInt8])
        case remove(String)
        case dropSegments(String)
    }

    /// Where a live rendition's delta update (_HLS_skip) is kept beside its index.m3u8; not a
    /// name the origin serves by itself.
    public static let deltaName = HLSFileNames.deltaPlaylist

    let lock = NSLock()
    private var entries: [String: Entry] = [:]
    /// Bytes held per stream (a path's first component, its playback id): what a job's budget counts.
    private var streamBytes: [String: Int] = [:]
    /// Media playlists' progress, and the requests waiting on a path (blocking reloads, hinted
    /// parts): resumed by the put that satisfies them, or by their deadline.
    var progress: [String: PlaylistProgress] = [:]
    var waiters: [String: [Waiter]] = [:]
    private var generation: UInt64 = 0
    /// In a job process: every change goes to the supervisor instead of being kept here.
    private let forward: (@Sendable (Change) -> Void)?

    public init() { forward = nil }

    /// A job process's memory: keeps nothing, forwards every change.
    public init(forwardingTo forward: @escaping @Sendable (Change) -> Void) { self.forward = forward }

    /// Carries out a change a job process forwarded.
    public func apply(_ change: Change) {
        switch change {
        case let .put(path, bytes): put(path, bytes)
        case let .remove(path): remove(path)
        case let .dropSegments(prefix): dropSegments(under: prefix)
        }
    }

    /// Carries out a change a job process forwarded, within `budget` bytes for the change's stream.
    /// A put past the budget is refused (false) and the path's older version leaves memory too,
    /// so the origin answers from the file on disk instead of a stale copy.
    public func apply(_ change: Change, budget: Int) -> Bool {
        guard case let .put(path, bytes) = change else {
            apply(change)
            return true
        }
        let fits = lock.withLock { () -> Bool in
            let held = streamBytes[Self.stream(of: path), default: 0] - (entries[path]?.bytes.count ?? 0)
            return bytes.count <= budget - held
        }
        if fits {
            put(path, bytes)
        } else {
            remove(path)
        }
        return fits
    }

    /// Bytes held for one stream (playback id).
    public func byteCount(stream: String) -> Int { lock.withLock { streamBytes[stream, default: 0] } }

    private static func stream(of path: String) -> String {
        path.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
    }

    /// Under the lock: `path` now holds `bytes` bytes (nil: nothing).
    private func account(_ path: String, old: Int?, new: Int?) {
        let key = Self.stream(of: path)
        let total = streamBytes[key, default: 0] - (old ?? 0) + (new ?? 0)
        streamBytes[key] = total > 0 ? total : nil
    }

    /// `path`: relative to the HLS root, as OriginPath.relativePath spells it.
    public func entry(_ path: String) -> Entry? { lock.withLock { entries[path] } }

    /// Under the lock: whether `path` is held.
    func entry(locked path: String) -> Bool { entries[path] != nil }

    func put(_ path: String, _ bytes: [UInt8]) {
        if let forward { return forward(.put(path, bytes)) }
        let ready = lock.withLock { () -> [Waiter] in
            generation += 1
            account(path, old: entries[path]?.bytes.count, new: bytes.count)
            entries[path] = Entry(bytes: bytes, etag: "\"m\(String(generation, radix: 16))-\(String(bytes.count, radix: 16))\"", modified: Date())
            if path.hasSuffix(".m3u8") { progress[path] = PlaylistProgress(bytes) }
            return takeSatisfied(path)
        }
        for waiter in ready { waiter.resume(true) }
    }

    func remove(_ path: String) {
        if let forward { return forward(.remove(path)) }
        lock.withLock {
            account(path, old: entries.removeValue(forKey: path)?.bytes.count, new: nil)
            progress[path] = nil
        }
    }

    /// Drops the segments under `prefix` (a stream that ended), keeping its playlists.
    func dropSegments(under prefix: String) {
        if let forward { return forward(.dropSegments(prefix)) }
        lock.withLock {
            for (path, entry) in entries where path.hasPrefix(prefix) && !path.hasSuffix(".m3u8") {
                account(path, old: entry.bytes.count, new: nil)
                entries[path] = nil
            }
        }
    }

    /// Bytes held, for tests and metrics.
    public var byteCount: Int { lock.withLock { entries.values.reduce(0) { $0 + $1.bytes.count } } }
}
