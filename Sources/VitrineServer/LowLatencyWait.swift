// LL-HLS requests that wait (RFC 8216bis 6.2.5.2, 6.2.6): a media playlist asked with _HLS_msn
// (and _HLS_part) is held until it lists that segment or part; the hinted part (EXT-X-PRELOAD-HINT)
// is held until it is cut. Both wait on the memory-served HLS, with no thread; a request that
// cannot ever be met is refused at once, one that is not met in time gets 503.
import Foundation
import HTTPTypes
import VitrinePipeline

enum LowLatencyWait {
    enum Outcome: Equatable {
        /// Answer as usual, nothing to wait for.
        case proceed
        /// Waited, and the playlist now holds what was asked.
        case answered
        case refuse(HTTPResponse.Status, String)
    }

    /// `directives`: the playlist request's (none for any other path).
    static func hold(_ path: OriginPath, directives: DeliveryDirectives, memory: LiveHLSMemory) async -> Outcome {
        switch path.kind {
        case .mediaPlaylist:
            guard let msn = directives.msn else { return .proceed }
            switch await memory.waitForPlaylist(path.relativePath, msn: msn, part: directives.part) {
            case .ready: return .answered
            case .unknown: return .proceed
            case .tooFarAhead: return .refuse(.badRequest, "_HLS_msn=\(msn) is more than two segments ahead of the playlist")
            case .timedOut: return .refuse(.serviceUnavailable, "segment \(msn) did not come within three target durations")
            }
        case let .segment(_, file) where HLSFileNames.isPartName(file):
            guard memory.entry(path.relativePath) == nil else { return .proceed }
            // Only the part being cut is worth waiting for: its playlist's next one, at most a
            // few part targets away. Anything else is answered (404) at once.
            guard let playlist = path.besides("index.m3u8"), let progress = memory.playlistProgress(playlist), !progress.ended,
                  let target = progress.partTarget else { return .proceed }
            _ = await memory.waitForFile(path.relativePath, seconds: 3 * target + 1)
            return .proceed
        default:
            return .proceed
        }
    }
}

/// The delivery directives of a playlist request: _HLS_msn, _HLS_part, _HLS_skip.
public struct DeliveryDirectives: Equatable, Sendable {
    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public var msn: Int?
    public var part: Int?
    public var skip: String?

    init(msn: Int?, part: Int?, skip: String?) {
        self.msn = msn
        self.part = part
        self.skip = skip
    }

    public init(target: String) throws {
        guard let query = target.split(separator: "?", maxSplits: 1).dropFirst().first else { return }
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = kv[0], value = kv.count > 1 ? kv[1] : ""
            switch name {
            case "_HLS_msn": msn = try Self.number(value, name)
            case "_HLS_part": part = try Self.number(value, name)
            case "_HLS_skip":
                guard value == "YES" || value == "v2" else { throw Invalid(description: "_HLS_skip: expected YES or v2") }
                skip = String(value)
            default: continue
            }
        }
        if part != nil && msn == nil { throw Invalid(description: "_HLS_part needs _HLS_msn") }
    }

    /// A decimal up to 9 digits: bounded before use.
    private static func number(_ text: Substring, _ name: Substring) throws -> Int {
        guard (1...9).contains(text.utf8.count), text.utf8.allSatisfy({ (48...57).contains($0) }), let value = Int(text) else {
            throw Invalid(description: "\(name): expected a non-negative integer")
        }
        return value
    }
}
