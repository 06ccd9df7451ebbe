// When each video access unit arrived over RTMP, by its place on the job timeline, so a live
// rendition can report the latency from a frame's arrival to its segment being listed.
import Foundation

final class ArrivalClock: @unchecked Sendable {
    private let lock = NSLock()
    /// (timeline seconds, uptime nanoseconds), oldest first; a few GOPs more than any segment.
    private var marks: [(seconds: Double, uptime: UInt64)] = []
    private let capacity = 2_000

    func record(timeline seconds: Double, uptime: UInt64) {
        lock.withLock {
            marks.append((seconds, uptime))
            if marks.count > capacity { marks.removeFirst(marks.count - capacity) }
        }
    }

    /// Arrival of the first unit at or after `seconds` on the timeline (the segment's first frame).
    func arrival(ofTimeline seconds: Double) -> UInt64? {
        lock.withLock {
            marks.first { $0.seconds >= seconds - 0.001 }?.uptime ?? marks.last?.uptime
        }
    }
}
