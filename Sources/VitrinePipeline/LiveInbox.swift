// The bounded hand-off from an RTMP connection's event loop to a live job's queue. The event
// loop must never wait, so when the job lags (its lanes block it) the inbox drops instead: from
// the unit that found it full up to the next video keyframe, i.e. the rest of a GOP, so the
// decoder resumes on a clean picture. Sequence headers always pass: they are tiny and needed.
import Foundation

public struct LiveInboxPolicy: Equatable, Sendable {
    let capacity: Int
    private(set) var pending = 0
    private(set) var skipping = false
    private(set) var hasVideo = false
    private(set) var droppedUnits = 0
    private(set) var droppedGOPs = 0

    init(capacity: Int) { self.capacity = max(2, capacity) }

    public enum Decision: Equatable, Sendable {
        case admit
        case drop
        /// Dropped, and the first unit of a new drop run (log it once).
        case startDropping
    }

    mutating func offer(isVideo: Bool, isKeyframe: Bool, isSequenceHeader: Bool) -> Decision {
        if isSequenceHeader {
            if isVideo { hasVideo = true }
            pending += 1
            return .admit
        }
        // Audio-only publishes resume on any frame; otherwise only a video keyframe starts a GOP.
        let startsGOP = hasVideo ? (isVideo && isKeyframe) : true
        if skipping {
            guard startsGOP, pending <= capacity / 2 else {
                droppedUnits += 1
                return .drop
            }
            skipping = false
        } else if pending >= capacity {
            skipping = true
            droppedUnits += 1
            droppedGOPs += 1
            return .startDropping
        }
        pending += 1
        return .admit
    }

    /// The job finished one admitted unit.
    mutating func done() { pending = max(0, pending - 1) }
}

/// The policy behind a lock: offered on the event loop, finished on the job queue.
public final class LiveInbox: @unchecked Sendable {
    private let lock = NSLock()
    private var policy: LiveInboxPolicy

    public init(capacity: Int) { policy = LiveInboxPolicy(capacity: capacity) }

    public func offer(isVideo: Bool, isKeyframe: Bool, isSequenceHeader: Bool) -> LiveInboxPolicy.Decision {
        lock.withLock { policy.offer(isVideo: isVideo, isKeyframe: isKeyframe, isSequenceHeader: isSequenceHeader) }
    }

    public func done() { lock.withLock { policy.done() } }

    public var counts: (units: Int, gops: Int) { lock.withLock { (policy.droppedUnits, policy.droppedGOPs) } }
}
