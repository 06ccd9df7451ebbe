// A live rendition's LL-HLS parts: named and listed as the packager hands them out, moved onto
// their segment when it is listed, shown for the recent segments only (RFC 8216bis: parts more
// than three target durations from the end are dropped from the playlist), and deleted with
// their segment once it is past its safety time. Parts are their own resources, not byte ranges
// of the segment: the segment file does not exist until its last part is cut, and a player asks
// for a part while it is being made.
import Foundation
import VitrineHLS

struct LiveParts {
    /// PART-TARGET: the configured target until the first part tells what the packager cuts to
    /// (a whole number of frames).
    private(set) var partTarget: Double
    /// The segment being cut: its parts so far and its first picture's time on the timeline.
    private(set) var pending: [MediaPlaylist.Part] = []
    private var pendingStart: Double?
    /// Parts of listed segments, by sequence number, and their files by segment file.
    private var listed: [Int: [MediaPlaylist.Part]] = [:]
    private var files: [String: [String]] = [:]

    init(partTarget: Double) {
        self.partTarget = partTarget
    }

    static func fileName(sequence: Int, part: Int, format: SegmentFormat) -> String {
        String(format: "seg_%05d.%d.%@", sequence, part, format.segmentExtension)
    }

    /// Lists a part of segment `sequence` (the one being cut); returns its file name.
    mutating func add(_ part: MuxedPart, sequence: Int, format: SegmentFormat) -> String {
        let file = Self.fileName(sequence: sequence, part: pending.count, format: format)
        if pending.isEmpty { pendingStart = part.startSeconds }
        if part.targetSeconds > 0 { partTarget = part.targetSeconds }
        pending.append(.init(uri: file, duration: part.durationSeconds, independent: part.independent))
        return file
    }

    /// Segment `sequence` (stored as `file`) is listed: its parts are now its own.
    mutating func segmentListed(sequence: Int, file: String) {
        listed[sequence] = pending
        files[file] = pending.map(\.uri)
        pending = []
        pendingStart = nil
    }

    /// The part files of segments whose files expired.
    mutating func expire(_ segmentFiles: [String]) -> [String] {
        segmentFiles.flatMap { files.removeValue(forKey: $0) ?? [] }
    }

    /// A new publish: parts of a segment its predecessor never finished are not listed.
    mutating func dropPending() -> [String] {
        defer { pending = []; pendingStart = nil }
        return pending.map(\.uri)
    }

    /// Where this rendition has got to, for other renditions' EXT-X-RENDITION-REPORT: the segment
    /// being cut and its last part, else the last listed segment and its last part.
    func edge(window: LiveWindow) -> (msn: Int, part: Int?)? {
        if !pending.isEmpty { return (window.nextSequence, pending.count - 1) }
        guard let last = window.entries.last else { return nil }
        return (last.sequence, listed[last.sequence].flatMap { $0.isEmpty ? nil : $0.count - 1 })
    }

    /// Adds the LL-HLS tags to the window's playlist: parts on the recent segments, the pending
    /// parts, the hint for the next part and the other renditions' reports.
    func decorate(_ playlist: inout MediaPlaylist, window: LiveWindow, anchor: Date, format: SegmentFormat,
                  reports: [MediaPlaylist.RenditionReportTag]) {
        let horizon = 3 * Double(playlist.targetDuration)
        var covered = 0.0
        for i in playlist.segments.indices.reversed() {
            guard covered < horizon else { break }
            covered += playlist.segments[i].duration
            playlist.segments[i].parts = listed[window.entries[i].sequence] ?? []
        }
        var lowLatency = MediaPlaylist.LowLatency(partTarget: partTarget)
        lowLatency.pendingParts = pending
        lowLatency.pendingDiscontinuity = window.nextIsDiscontinuity
        lowLatency.pendingProgramDateTime = pendingStart.map { anchor.addingTimeInterval($0) }
        lowLatency.preloadHint = Self.fileName(sequence: window.nextSequence, part: pending.count, format: format)
        lowLatency.renditionReports = reports
        playlist.lowLatency = lowLatency
        // LL players hold back PART-HOLD-BACK from the edge by themselves; a start offset of whole
        // segments would put them seconds further behind.
        playlist.startOffset = nil
    }

    /// Listed parts of segments that left the window are forgotten (their files wait for expiry).
    mutating func forgetBefore(sequence: Int) {
        listed = listed.filter { $0.key >= sequence }
    }
}
