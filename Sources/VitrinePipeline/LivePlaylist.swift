// A live rendition's playlist policy: a sliding window (LiveWindow) rewritten on each segment with
// its wall-clock time and the cards on screen as EXT-X-DATERANGEs, retired files deleted after
// the RFC 8216bis 6.2.2 safety time, and each segment's arrival-to-listed latency measured. One
// sink per rendition per stream key; it outlives publishes, so a reconnect (or a restarted job
// process) continues the same playlist after a discontinuity.
import Dispatch
import Foundation
import Logging
import VitrineHLS
import VitrineOverlay

/// A live rendition: segments into its folder and memory, a window rewritten on each one.
typealias LiveRenditionOutput = RenditionSink<LivePlaylist>

struct LivePlaylist: PlaylistPolicy {
    private(set) var window: LiveWindow
    let name: String
    let format: SegmentFormat
    /// LL-HLS (fMP4 with parts): the parts, and the stream's renditions' edges for reports.
    private var parts: LiveParts?
    private let edges: LiveEdges?
    /// Wall-clock time of timeline zero for the current publish, and when its frames arrived.
    private var anchor = Date()
    /// The cards clock's zero on the wall clock (the cards' START-DATEs count from it), and where
    /// timeline zero sits on that clock (non-zero in a restarted job process).
    private var cardClock = (origin: Date(), offset: 0.0)
    private var arrivals: ArrivalClock?
    /// Cards drawn into the current publish, and the timeline second it has reached (cards that
    /// start later are not on screen yet).
    private var cards: Timeline?
    private var reached = 0.0
    private(set) var latencies: [Double] = []
    /// fMP4: the init segment new segments need, and older ones to delete once the last
    /// segment that needed each has been deleted (by that segment's file name).
    private var currentInit: String?
    private var initsRetiredWith: [String: String] = [:]
    /// Told each listed segment's arrival-to-listed seconds (the segment publish lag metric).
    var onLatency: (@Sendable (Double) -> Void)?
    var logger: Logger

    /// A previous run may have left a playlist in `directory`. Left live (its process died), the
    /// show goes on in it: the same segments listed, then a discontinuity. Ended, a new window
    /// numbers on after it. Either way no sequence number ever names different media, and the
    /// discontinuity sequence keeps counting.
    init(continuing directory: String, name: String, listSize: Int, format: SegmentFormat, partTarget: Double?,
         edges: LiveEdges?, logger: Logger) {
        self.logger = logger
        self.name = name
        self.format = format
        parts = format == .fmp4 ? partTarget.map(LiveParts.init(partTarget:)) : nil
        self.edges = edges
        let path = (directory as NSString).appendingPathComponent(LiveRenditionOutput.playlistName)
        if let leftover = LeftoverPlaylist(path: path) {
            window = leftover.ended ? LiveWindow(after: leftover, listSize: listSize) : LiveWindow(continuing: leftover, listSize: listSize)
        } else {
            window = LiveWindow(listSize: listSize)
        }
    }

    func fileName(for segment: MuxedSegment, format: SegmentFormat) -> String {
        String(format: "seg_%05d.%@", window.nextSequence, format.segmentExtension)
    }

    mutating func list(_ segment: MuxedSegment, as file: String, now: Date) -> MediaPlaylist? {
        let sequence = window.append(duration: segment.durationSeconds, programDateTime: anchor.addingTimeInterval(segment.startSeconds),
                                     map: currentInit, now: now) { _ in file }
        reached = max(reached, segment.startSeconds + segment.durationSeconds)
        parts?.segmentListed(sequence: sequence, file: file)
        parts?.forgetBefore(sequence: window.mediaSequence)
        reportEdge()
        if let arrived = arrivals?.arrival(ofTimeline: segment.startSeconds) {
            let latency = Double(DispatchTime.now().uptimeNanoseconds &- arrived) / 1e9
            latencies.append(latency)
            onLatency?(latency)
            logger.debug("segment listed", metadata: ["sequence": "\(sequence)", "latency": "\(String(format: "%.2f", latency))"])
        }
        return playlist
    }

    mutating func takeExpired(now: Date) -> [String] {
        let expired = window.takeExpired(now: now)
        let inits = expired.compactMap { initsRetiredWith.removeValue(forKey: $0) }.filter { name in
            name != currentInit && !window.entries.contains { $0.segment.map == name }
        }
        return expired + inits + (parts?.expire(expired) ?? [])
    }

    mutating func initChanged(to name: String) {
        let previous = currentInit ?? window.entries.last?.segment.map
        currentInit = name
        guard let previous, previous != name, let last = window.entries.last else { return }
        initsRetiredWith[last.segment.uri] = previous
    }

    mutating func listPart(_ part: MuxedPart, format: SegmentFormat) -> String? {
        guard let file = parts?.add(part, sequence: window.nextSequence, format: format) else { return nil }
        // Cards announce from the very next playlist answer: the part's frames carry them.
        reached = max(reached, part.startSeconds + part.durationSeconds)
        reportEdge()
        return file
    }

    /// With LL-HLS, memory serves the window with its parts, hint and reports.
    var memoryPlaylist: MediaPlaylist? {
        guard let parts else { return nil }
        var playlist = self.playlist
        parts.decorate(&playlist, window: window, anchor: anchor, format: format, reports: edges?.reports(besides: name) ?? [])
        return playlist
    }

    private func reportEdge() {
        guard let edge = parts?.edge(window: window) else { return }
        edges?.update(name, msn: edge.msn, part: edge.part)
    }

    var segmentCount: Int { window.entries.count }

    /// The window, with the cards on screen in it.
    var playlist: MediaPlaylist {
        var playlist = window.playlist
        playlist.version = format.playlistVersion
        if format == .fmp4 { playlist.mapURI = LiveRenditionOutput.initName }
        // Players that start at the oldest segment in the window sit a whole window behind:
        // steer them to three target durations from the live edge (the RFC's HOLD-BACK minimum).
        playlist.startOffset = -3 * Double(playlist.targetDuration)
        if let cards {
            playlist.dateRanges = CardDateRanges.live(cards, origin: cardClock.origin,
                                                      reached: reached + cardClock.offset,
                                                      windowStart: playlist.segments.first?.programDateTime)
        }
        return playlist
    }

    /// Returns the parts of a segment the previous publish never finished: no playlist lists them.
    mutating func beginSession(anchor: Date, arrivals: ArrivalClock, cards: Timeline?, cardClock: (origin: Date, offset: Double),
                               logger: Logger) -> [String] {
        self.anchor = anchor
        self.cardClock = cardClock
        self.arrivals = arrivals
        self.cards = cards
        reached = 0
        self.logger = logger
        window.markDiscontinuity()
        return parts?.dropPending() ?? []
    }

    mutating func end() -> Bool {
        guard !window.ended, !window.isEmpty else { return false }
        window.end()
        return true
    }

    mutating func takeLatencies() -> [Double] {
        defer { latencies.removeAll() }
        return latencies
    }
}

extension RenditionSink where Policy == LivePlaylist {
    /// `partTarget` with fMP4: LL-HLS parts of about that many seconds, listed by `edges` too.
    convenience init(name: String, root: String, listSize: Int, format: SegmentFormat = .ts, partTarget: Double? = nil,
                     edges: LiveEdges? = nil, memory: LiveHLSMemory? = nil, logger: Logger) throws {
        var logger = logger
        logger[metadataKey: "rendition"] = "\(name)"
        let directory = (root as NSString).appendingPathComponent(name)
        try self.init(name: name, root: root, format: format,
                      policy: LivePlaylist(continuing: directory, name: name, listSize: listSize, format: format,
                                           partTarget: partTarget, edges: edges, logger: logger), memory: memory)
    }

    /// A publish starts: its timeline zero is `anchor` on the wall clock. After an earlier
    /// publish the next segment carries EXT-X-DISCONTINUITY.
    /// `cardClock`: the cards clock's zero on the wall clock, and where timeline zero sits on it
    /// (by default, timeline zero is the cards clock's).
    func beginSession(anchor: Date, arrivals: ArrivalClock, cards: Timeline?, cardClock: (origin: Date, offset: Double)? = nil,
                      logger: Logger) {
        var logger = logger
        logger[metadataKey: "rendition"] = "\(name)"
        lock.withLock {
            dropFromMemory(policy.beginSession(anchor: anchor, arrivals: arrivals, cards: cards,
                                                   cardClock: cardClock ?? (anchor, 0), logger: logger))
        }
    }

    var onLatency: (@Sendable (Double) -> Void)? {
        get { lock.withLock { policy.onLatency } }
        set { lock.withLock { policy.onLatency = newValue } }
    }

    var hasSegments: Bool { lock.withLock { !policy.window.isEmpty } }

    /// The grace period passed with no publisher: EXT-X-ENDLIST.
    func end() throws {
        try lock.withLock {
            guard policy.end() else { return }
            try storePlaylist(policy.playlist)
            // Over: players fetching its last segments now get them from disk.
            memory?.dropSegments(under: memoryPrefix)
        }
    }

    /// Deletes retired segments whose safety time has passed (called on a timer, too, since a
    /// stream that ended lists nothing new).
    func sweep() {
        lock.withLock { deleteExpired(now: Date()) }
    }

    /// Arrival-to-listed latency of the segments since the last call: (mean, max) seconds.
    func takeLatencies() -> (mean: Double, max: Double, count: Int) {
        let latencies = lock.withLock { policy.takeLatencies() }
        guard !latencies.isEmpty else { return (0, 0, 0) }
        return (latencies.reduce(0, +) / Double(latencies.count), latencies.max() ?? 0, latencies.count)
    }
}
