// A live media playlist's sliding window (RFC 8216bis 6.2.2) as a plain value: the last
// `listSize` segments, a media sequence that only grows, the discontinuity sequence that counts
// discontinuities which slid out, and the files that left the window with the time after which
// they may be deleted (the segment's duration plus the longest playlist that listed it).
import Foundation

public struct LiveWindow: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public var sequence: Int
        public var segment: MediaPlaylist.Segment
    }

    /// A segment that left the playlist and must stay fetchable until `deleteAfter`.
    public struct Retired: Equatable, Sendable {
        public var uri: String
        public var deleteAfter: Date
    }

    public let listSize: Int
    public let version: Int
    public private(set) var entries: [Entry] = []
    public private(set) var retired: [Retired] = []
    /// The media sequence number the next segment gets.
    public private(set) var nextSequence: Int
    public private(set) var discontinuitySequence = 0
    public private(set) var ended = false
    private var pendingDiscontinuity = false
    /// The longest total duration any rendered playlist had: retired files outlive it.
    private var longestPlaylist: Double = 0

    public init(listSize: Int, version: Int = 3, firstSequence: Int = 0) {
        self.listSize = max(1, listSize)
        self.version = version
        nextSequence = firstSequence
    }

    public var mediaSequence: Int { entries.first?.sequence ?? nextSequence }
    /// The next segment (the one being cut) follows a discontinuity.
    public var nextIsDiscontinuity: Bool { pendingDiscontinuity }
    public var isEmpty: Bool { entries.isEmpty }

    /// The next segment starts a new timeline (a publisher reconnected): EXT-X-DISCONTINUITY.
    /// Nothing to mark before the first segment ever listed.
    public mutating func markDiscontinuity() {
        if nextSequence > 0 || !entries.isEmpty { pendingDiscontinuity = true }
        ended = false
    }

    /// Lists a segment whose file is named by `uri(sequence)`; returns its sequence number.
    @discardableResult
    public mutating func append(duration: Double, programDateTime: Date?, map: String? = nil, now: Date, uri: (Int) -> String) -> Int {
        let sequence = nextSequence
        nextSequence += 1
        entries.append(Entry(sequence: sequence, segment: .init(uri: uri(sequence), duration: duration,
                                                                discontinuity: pendingDiscontinuity,
                                                                programDateTime: programDateTime, map: map)))
        pendingDiscontinuity = false
        ended = false
        while entries.count > listSize {
            let gone = entries.removeFirst()
            // RFC 8216bis 6.2.2: a discontinuity that leaves the window moves into the sequence.
            if gone.segment.discontinuity { discontinuitySequence += 1 }
            retired.append(Retired(uri: gone.segment.uri,
                                   deleteAfter: now.addingTimeInterval(gone.segment.duration + longestPlaylist)))
        }
        longestPlaylist = max(longestPlaylist, entries.reduce(0) { $0 + $1.segment.duration })
        return sequence
    }

    mutating func restore(discontinuitySequence: Int) {
        self.discontinuitySequence = discontinuitySequence
    }

    /// Lists a segment read back from an earlier process's playlist, under its own name and the
    /// next sequence number. A segment that slides out this way is simply no longer listed: the
    /// start-up clean-up deletes its file after the safety time.
    mutating func appendRestored(_ segment: MediaPlaylist.Segment) {
        nextSequence += 1
        entries.append(Entry(sequence: nextSequence - 1, segment: segment))
        while entries.count > listSize {
            if entries.removeFirst().segment.discontinuity { discontinuitySequence += 1 }
        }
        longestPlaylist = max(longestPlaylist, entries.reduce(0) { $0 + $1.segment.duration })
    }

    /// The stream is over: EXT-X-ENDLIST until a new segment is listed.
    public mutating func end() { ended = true }

    /// Removes and returns the retired files whose safety time has passed.
    public mutating func takeExpired(now: Date) -> [String] {
        let expired = retired.filter { $0.deleteAfter <= now }.map(\.uri)
        retired.removeAll { $0.deleteAfter <= now }
        return expired
    }

    public var playlist: MediaPlaylist {
        MediaPlaylist(kind: .live, version: version, mediaSequence: mediaSequence,
                      discontinuitySequence: discontinuitySequence, segments: entries.map(\.segment), ended: ended)
    }
}
