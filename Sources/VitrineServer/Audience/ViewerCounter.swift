// ViewerCounter.swift - who is watching each stream, counted from the HLS requests this origin
// answers (ViewerPresence.definition says how a viewer is recognised). ViewerSessions decides
// which requests are a viewer: media playlist requests with a valid token, for streams the
// origin has. Bounded: streams and sessions per stream are capped, spans per session too, and a
// stream no job has is forgotten (LiveShowSweep), so stale streams do not hold the table.
import Foundation
import VitrinePipeline

public final class ViewerCounter: @unchecked Sendable {
    public let maxStreams: Int
    public static let maxSessionsPerStream = 100_000
    /// A session key is a token, cut to this many bytes.
    static let maxKeyBytes = 256

    private let lock = NSLock()
    private var streams: [String: [String: ViewerPresence]] = [:]
    private var untracked = 0

    public init(maxStreams: Int = 10_000) {
        self.maxStreams = maxStreams
    }

    /// Records a media playlist request for `playbackID` from `session` (its token).
    public func saw(playbackID: String, session: String, at date: Date = Date()) {
        let key = String(session.utf8.prefix(Self.maxKeyBytes)) ?? ""
        lock.withLock {
            if streams[playbackID] == nil, streams.count >= maxStreams { untracked += 1; return }
            var sessions = streams[playbackID, default: [:]]
            if sessions[key] == nil, sessions.count >= Self.maxSessionsPerStream { untracked += 1; return }
            sessions[key, default: ViewerPresence(session: key)].saw(at: date)
            streams[playbackID] = sessions
        }
    }

    /// Every session seen on `playbackID`, oldest first.
    public func presence(playbackID: String) -> [ViewerPresence] {
        lock.withLock { (streams[playbackID] ?? [:]).values.sorted { ($0.spans.first?.from ?? .distantPast) < ($1.spans.first?.from ?? .distantPast) } }
    }

    /// Whether any session was seen on `playbackID`.
    public func isWatched(playbackID: String) -> Bool {
        lock.withLock { streams[playbackID] != nil }
    }

    /// Forgets every stream not in `playbackIDs` (those of the jobs the store has) that was last
    /// seen before `listed` (when they were listed: a show that started since is kept).
    public func retain(playbackIDs: Set<String>, listed: Date) {
        lock.withLock {
            streams = streams.filter { id, sessions in
                playbackIDs.contains(id) || sessions.values.contains { ($0.spans.last?.to ?? .distantPast) >= listed }
            }
        }
    }

    /// Streams counted now.
    public var trackedStreams: Int { lock.withLock { streams.count } }

    /// Requests not counted because a cap was reached (logged by whoever reads it).
    public var untrackedRequests: Int { lock.withLock { untracked } }
}
