// What serve lets one live job process change: the HLS files of its own playback id only, in the
// name shapes Vitrine writes and within a byte budget of memory; a ladder serve could have asked
// for. A change outside that is a protocol violation, so a child running hostile code can neither
// rewrite another show's playlists, nor make serve write outside DATA, nor grow serve's memory.
import Foundation
import Logging
import VitrinePipeline

public struct LiveChildBoundary: Sendable {
    /// The memory a stream's served HLS may hold by default (JobProcessOptions.hlsMemoryBudgetBytes).
    public static let defaultMemoryBudget = 64 << 20
    /// No live playlist comes near this (a few KiB each); larger is not a playlist.
    static let maxPlaylistBytes = 1 << 20

    public let playbackID: String
    public let rungs: [Rung]?
    public let memoryBudget: Int
    /// The renditions a checked ladder named; until then any rendition-shaped name.
    private(set) var renditions: Set<String>?

    public init(playbackID: String, rungs: [Rung]?, ladder: LiveLadder?, memoryBudget: Int) {
        self.playbackID = playbackID
        self.rungs = rungs
        self.memoryBudget = memoryBudget
        renditions = ladder.map { Set($0.renditionNames) }
    }

    /// The ladder the child fixed, if serve could have asked for it (`fixed`: the stream's own).
    public mutating func admit(_ ladder: LiveLadder, fixed: LiveLadder?) throws(ProtocolViolation) {
        if let why = ladder.nonconformance(rungs: rungs, fixed: fixed) { throw ProtocolViolation(why) }
        renditions = Set(ladder.renditionNames)
    }

    /// Checks a change's path and size; throws for anything a job of this playback id never writes.
    public func admit(_ change: LiveHLSMemory.Change) throws(ProtocolViolation) {
        switch change {
        case let .put(path, bytes):
            try confine(path)
            if path.hasSuffix(".m3u8"), bytes.count > Self.maxPlaylistBytes {
                throw ProtocolViolation("playlist \(path) of \(bytes.count) bytes")
            }
        case let .remove(path):
            try confine(path)
        case let .dropSegments(prefix):
            let parts = prefix.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == playbackID, isRendition(parts[1]), parts[2].isEmpty else {
                throw ProtocolViolation("dropping segments under \(prefix.prefix(200).debugDescription)")
            }
        }
    }

    /// "ID/master.m3u8" or "ID/RENDITION/FILE", ID this job's own.
    private func confine(_ path: String) throws(ProtocolViolation) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        let fits = switch parts.count {
        case 2: parts[0] == playbackID && parts[1] == HLSFileNames.master
        case 3: parts[0] == playbackID && isRendition(parts[1]) && HLSFileNames.isRenditionFile(parts[2])
        default: false
        }
        guard fits else { throw ProtocolViolation("HLS path \(path.prefix(200).debugDescription) is not one of playback \(playbackID)'s files") }
    }

    private func isRendition(_ name: Substring) -> Bool {
        guard HLSFileNames.isRenditionName(name) else { return false }
        return renditions?.contains(String(name)) ?? true
    }
}
