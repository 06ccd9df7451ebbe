// The wall-clock date of second 0 on the job timeline. EXT-X-PROGRAM-DATE-TIME, card DATERANGEs
// and date countdowns all hang off it, so they must agree: the input's `creation_time` when it has
// one (a recorded show keeps the date it was shot), else the moment the job starts.
import CFFmpeg
import Foundation
import VitrineMedia

public enum WallClockOrigin {
    /// The container's `creation_time` tag, parsed the way FFmpeg writes it
    /// (`2025-11-22T20:00:00.000000Z`); nil when absent or unparsable.
    static func creationTime(of demuxer: Demuxer) -> Date? {
        guard let entry = av_dict_get(demuxer.pointer.pointee.metadata, "creation_time", nil, 0),
              let value = entry.pointee.value else { return nil }
        var microseconds: Int64 = 0
        // A malformed tag is not an error of the job: the job start time is a fine origin.
        guard av_parse_time(&microseconds, value, 0) >= 0, microseconds > 0 else { return nil }
        return Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
    }

    /// The origin for `input`, for callers that need it before the job runs (cards are validated
    /// against it before any encoding starts). An unreadable input yields `fallback`: the job
    /// itself reports why the input cannot be read.
    public static func resolve(input: String, fallback: Date = Date()) -> Date {
        guard let demuxer = try? Demuxer(path: input) else { return fallback }
        return creationTime(of: demuxer) ?? fallback
    }
}
