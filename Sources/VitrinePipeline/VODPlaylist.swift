// A file job's playlist policy: every segment listed under its own index, with its wall-clock
// time, and the playlist written once, ended, when the job is done (with the job's card ranges).
import Foundation
import VitrineHLS

/// A file job's rendition: segments into its folder, a VOD playlist at the end.
typealias RenditionOutput = RenditionSink<VODPlaylist>

struct VODPlaylist: PlaylistPolicy {
    let format: SegmentFormat
    private(set) var segments: [MediaPlaylist.Segment] = []
    /// Date of second 0 on the job timeline; each segment's EXT-X-PROGRAM-DATE-TIME counts from it.
    var wallClockOrigin: Date?

    func fileName(for segment: MuxedSegment, format: SegmentFormat) -> String {
        String(format: "seg_%05d.%@", segment.index, format.segmentExtension)
    }

    mutating func list(_ segment: MuxedSegment, as file: String, now: Date) -> MediaPlaylist? {
        segments.append(.init(uri: file, duration: segment.durationSeconds,
                              programDateTime: wallClockOrigin?.addingTimeInterval(segment.startSeconds)))
        return nil
    }

    mutating func takeExpired(now: Date) -> [String] { [] }

    var segmentCount: Int { segments.count }

    var playlist: MediaPlaylist {
        MediaPlaylist(kind: .vod, version: format.playlistVersion, mapURI: format == .fmp4 ? RenditionOutput.initName : nil,
                      segments: segments, ended: true)
    }
}

extension RenditionSink where Policy == VODPlaylist {
    convenience init(name: String, root: String, format: SegmentFormat) throws {
        try self.init(name: name, root: root, format: format, policy: VODPlaylist(format: format))
    }

    var wallClockOrigin: Date? {
        get { lock.withLock { policy.wallClockOrigin } }
        set { lock.withLock { policy.wallClockOrigin = newValue } }
    }

    var playlist: MediaPlaylist { lock.withLock { policy.playlist } }
}
