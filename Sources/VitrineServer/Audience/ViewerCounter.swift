// ViewerCounter.swift - who is watching each stream, counted from the HLS requests this origin
// answers (ViewerPresence.definition says how a viewer is recognised). Master and media playlist
// requests count; segments do not (they carry no session token, so they would count a player
// twice). Bounded: streams and sessions per stream are capped, spans per session too.
import Foundation
import HTTPTypes
import VitrinePipeline

public final class ViewerCounter: @unchecked Sendable {
    public static let maxStreams = 10_000
    public static let maxSessionsPerStream = 100_000
    /// A session key is a token or a User-Agent and forwarding line, cut to this many bytes.
    static let maxKeyBytes = 256

    private let lock = NSLock()
    private var streams: [String: [String: ViewerPresence]] = [:]
    private var untracked = 0

    public init() {}

    /// Records a playlist request for `playbackID` from `session` (token, or the fallback key).
    public func saw(playbackID: String, session: String, at date: Date = Date()) {
        let key = String(session.utf8.prefix(Self.maxKeyBytes)) ?? ""
        lock.withLock {
            if streams[playbackID] == nil, streams.count >= Self.maxStreams { untracked += 1; return }
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

    /// Requests not counted because a cap was reached (logged by whoever reads it).
    public var untrackedRequests: Int { lock.withLock { untracked } }

    /// The session of a playlist request: its `vs` token when it has a valid one, else the
    /// client's User-Agent and X-Forwarded-For.
    static func session(target: String, headers: HTTPFields) -> String {
        if let token = ViewerToken.parse(target: target) { return "vs:" + token }
        let agent = headers[.userAgent] ?? "-"
        let forwarded = headers[HTTPField.Name("X-Forwarded-For")!] ?? "-"
        return "ua:\(agent)|\(forwarded)"
    }
}

/// The playback session token an origin hands out in master playlists (`?vs=TOKEN`).
enum ViewerToken {
    static let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

    /// The `vs` value of a request target, if it is 8 to 32 letters and digits.
    static func parse(target: String) -> String? {
        guard let query = target.split(separator: "?", maxSplits: 1).dropFirst().first else { return nil }
        for pair in query.split(separator: "&") where pair.hasPrefix("vs=") {
            let value = pair.dropFirst(3)
            guard (8...32).contains(value.count), value.allSatisfy(allowed.contains) else { return nil }
            return String(value)
        }
        return nil
    }

    static func mint() -> String {
        (0..<16).map { _ in String("0123456789abcdef".randomElement()!) }.joined()
    }

    /// The master playlist with `vs=TOKEN` on every URI it names (variant lines and URI="..."
    /// attributes of EXT-X-MEDIA and EXT-X-I-FRAME-STREAM-INF), so the player's reloads carry it.
    static func tag(master: [UInt8], token: String) -> [UInt8] {
        let text = String(decoding: master, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let plain = String(line)
            if plain.isEmpty { return plain }
            if !plain.hasPrefix("#") { return withToken(plain, token) }
            guard let start = plain.range(of: "URI=\"") else { return plain }
            guard let close = plain[start.upperBound...].firstIndex(of: "\"") else { return plain }
            let uri = String(plain[start.upperBound..<close])
            return String(plain[..<start.upperBound]) + withToken(uri, token) + String(plain[close...])
        }
        return Array(lines.joined(separator: "\n").utf8)
    }

    private static func withToken(_ uri: String, _ token: String) -> String {
        uri + (uri.contains("?") ? "&" : "?") + "vs=" + token
    }
}
