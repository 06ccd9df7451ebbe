// What a dead `vitrine serve` left in DATA/hls, put right at start-up so players never wait on a
// show nobody is running: temp files of interrupted writes go; segments no playlist lists go once
// their RFC 8216bis 6.2.2 safety time has passed; and a playlist left live gets EXT-X-ENDLIST once
// the grace period after its last write is over, unless its stream key publishes again first,
// in which case the new publish continues it (LiveRenditionOutput restores its window).
import Foundation
import Logging
import VitrineHLS

public enum LiveLeftovers {
    /// One rendition playlist a dead process left live.
    struct Open {
        var playbackID: String
        var path: String
        var lastWrite: Date
    }

    /// Cleans `hlsDirectory` now and schedules the end of each playlist left live. `isLive` tells
    /// whether a playback id is publishing again in this process (then its playlists are left to it).
    public static func recover(hlsDirectory: String, graceSeconds: Double, logger: Logger,
                               isLive: @escaping @Sendable (String) -> Bool) {
        let open = scan(hlsDirectory, logger: logger)
        for (playbackID, playlists) in Dictionary(grouping: open, by: \.playbackID) {
            let lastWrite = playlists.map(\.lastWrite).max() ?? Date()
            let delay = max(0, lastWrite.addingTimeInterval(graceSeconds).timeIntervalSinceNow)
            logger.notice("a show was left live by a stopped server: its playlists end after the grace period unless it publishes again",
                          metadata: ["playback": "\(playbackID)", "seconds": "\(String(format: "%.1f", delay))"])
            DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + delay) {
                guard !isLive(playbackID) else { return }
                for playlist in playlists { end(playlist.path, logger: logger) }
            }
        }
    }

    /// Removes temp files and expired unlisted segments; returns the playlists left live.
    static func scan(_ hlsDirectory: String, only: String? = nil, now: Date = Date(), logger: Logger) -> [Open] {
        let fm = FileManager.default
        var open: [Open] = []
        let streams = only.map { [$0] } ?? (try? fm.contentsOfDirectory(atPath: hlsDirectory)) ?? []
        for playbackID in streams where !playbackID.hasPrefix(".") {
            let stream = (hlsDirectory as NSString).appendingPathComponent(playbackID)
            removeTempFiles(in: stream)
            for rendition in (try? fm.contentsOfDirectory(atPath: stream)) ?? [] where !rendition.hasPrefix(".") {
                let folder = (stream as NSString).appendingPathComponent(rendition)
                let path = (folder as NSString).appendingPathComponent("index.m3u8")
                guard let leftover = LeftoverPlaylist(path: path) else { continue }
                removeTempFiles(in: folder)
                removeUnlisted(in: folder, listed: Set(leftover.segments.map(\.uri)),
                               safety: Double(leftover.targetDuration) + leftover.totalDuration, now: now, logger: logger)
                if !leftover.ended {
                    let written = (try? fm.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? now
                    open.append(Open(playbackID: playbackID, path: path, lastWrite: written))
                }
            }
        }
        return open
    }

    /// Appends EXT-X-ENDLIST to a playlist still live, durably (read once, written once).
    /// Returns the playlist as it now is on disk; nil when there is none.
    @discardableResult
    static func end(_ path: String, logger: Logger) -> [UInt8]? {
        guard let data = try? BoundedRead.data(path, maxBytes: LeftoverPlaylist.maxBytes) else { return nil }
        guard let text = LeftoverPlaylist.ending(String(decoding: data, as: UTF8.self)) else { return Array(data) }
        let ended = Array(text.utf8)
        do {
            try AtomicFileWriter.write(ended, to: path)
            logger.notice("playlist ended: EXT-X-ENDLIST written", metadata: ["playlist": "\(path)"])
            return ended
        } catch {
            logger.error("cannot end a live playlist", metadata: ["playlist": "\(path)", "error": "\(error)"])
            return Array(data)
        }
    }

    private static func removeTempFiles(in folder: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where AtomicFileWriter.isTempName(name) {
            unlink((folder as NSString).appendingPathComponent(name))
        }
    }

    /// A segment no playlist lists may still be fetched by a player that loaded an older
    /// playlist: it goes only once `safety` seconds have passed since it was written (which is
    /// before it left the playlist), now or later.
    private static func removeUnlisted(in folder: String, listed: Set<String>, safety: Double, now: Date, logger: Logger) {
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: folder)) ?? [] where isSegment(name) && !listed.contains(name) {
            let path = (folder as NSString).appendingPathComponent(name)
            let written = (try? fm.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? now
            let wait = written.addingTimeInterval(safety).timeIntervalSince(now)
            if wait <= 0 {
                unlink(path)
            } else {
                DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + wait) { unlink(path) }
            }
        }
    }

    private static func isSegment(_ name: String) -> Bool {
        name.hasPrefix("seg_") && (name.hasSuffix(".ts") || name.hasSuffix(".m4s"))
    }
}
