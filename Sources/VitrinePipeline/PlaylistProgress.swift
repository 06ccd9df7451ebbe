// How far a live media playlist has got, read from its text as it is stored: the segments it
// lists complete, the parts of the one being cut, its timing, whether it ended. The origin's
// blocking reloads (RFC 8216bis 6.2.5.2) wait on it; reading the text keeps this working for a
// playlist forwarded by a job process, which arrives as bytes.
import Foundation

public struct PlaylistProgress: Sendable, Equatable {
    /// Media sequence number of the segment being cut: every one before it is complete.
    public var nextMSN: Int
    /// Parts of the segment being cut listed so far.
    public var pendingParts: Int
    public var targetDuration: Double
    public var partTarget: Double?
    public var ended: Bool

    /// nil for text that is no media playlist.
    public init?(_ bytes: [UInt8]) {
        guard let text = String(bytes: bytes, encoding: .utf8), text.hasPrefix("#EXTM3U") else { return nil }
        var sequence = 0, complete = 0, parts = 0
        var target = 0.0, part: Double?
        var ended = false
        for line in text.split(separator: "\n") {
            if line.hasPrefix("#EXTINF:") {
                complete += 1
                parts = 0
            } else if line.hasPrefix("#EXT-X-PART:") {
                parts += 1
            } else if line.hasPrefix("#EXT-X-MEDIA-SEQUENCE:") {
                sequence = Int(line.dropFirst(22)) ?? 0
            } else if line.hasPrefix("#EXT-X-TARGETDURATION:") {
                target = Double(line.dropFirst(22)) ?? 0
            } else if line.hasPrefix("#EXT-X-PART-INF:PART-TARGET=") {
                part = Double(line.dropFirst(28))
            } else if line == "#EXT-X-ENDLIST" {
                ended = true
            }
        }
        nextMSN = sequence + complete
        pendingParts = parts
        targetDuration = target
        partTarget = part
        self.ended = ended
    }

    /// A blocking reload for segment `msn` (part `part` of it, when given) can be answered.
    public func satisfies(msn: Int, part: Int?) -> Bool {
        if ended || msn < nextMSN { return true }
        guard msn == nextMSN, let part else { return false }
        return part < pendingParts
    }

    /// Further ahead than the RFC lets a client ask (the last segment plus two): 400 at once.
    public func isTooFarAhead(msn: Int) -> Bool {
        msn > nextMSN + 1
    }
}
