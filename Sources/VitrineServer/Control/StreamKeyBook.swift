// The stream keys a worker accepts, with their playback ids: those from the configuration and
// those created through POST /v1/keys, kept in DATA/keys.json (owner-only: a key is a publisher's
// secret) so a restart keeps every key and every playback URL.
import Foundation
import VitrinePipeline
import VitrineRTMP

public final class StreamKeyBook: @unchecked Sendable {
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var playbackID: String
    }

    private let dataDirectory: String
    private let lock = NSLock()
    private var entries: [String: String]

    /// Loads DATA/keys.json and adds `configured` keys (each validated).
    public init(dataDirectory: String, configured: [String]) throws {
        for (index, key) in configured.enumerated() {
            do { _ = try StreamKey(key) } catch { throw ConfigurationError("stream key #\(index + 1): \(error)") }
        }
        self.dataDirectory = dataDirectory
        entries = try PlaybackIDs.load(keys: configured, dataDirectory: dataDirectory)
    }

    public var all: [Entry] {
        lock.withLock { entries.map { Entry(key: $0.key, playbackID: $0.value) }.sorted { $0.playbackID < $1.playbackID } }
    }

    public func playbackID(forKey key: String) -> String? { lock.withLock { entries[key] } }

    /// A new random key (24 URL-safe characters) and playback id, saved before it is returned.
    public func create() throws -> Entry {
        try lock.withLock {
            var key = "sk_" + PlaybackIDs.makeID()
            while entries[key] != nil { key = "sk_" + PlaybackIDs.makeID() }
            let id = PlaybackIDs.uniqueID(avoiding: entries.values)
            entries[key] = id
            do { try save() } catch { entries[key] = nil; throw error }
            return Entry(key: key, playbackID: id)
        }
    }

    /// Forgets `key`; false if it was unknown. Its HLS stays (the playback id is not reused).
    public func remove(_ key: String) throws -> Bool {
        try lock.withLock {
            guard let id = entries.removeValue(forKey: key) else { return false }
            do { try save() } catch { entries[key] = id; throw error }
            return true
        }
    }

    private func save() throws {
        try PlaybackIDs.save(entries, dataDirectory: dataDirectory)
    }
}
