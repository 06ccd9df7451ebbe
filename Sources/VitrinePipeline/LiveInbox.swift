// The bounded hand-off from an RTMP connection's event loop to a live job's queue. The event
// loop must never wait, so when the job lags (its lanes block it) the inbox drops instead: from
// the unit that found it full up to the next video keyframe, i.e. the rest of a GOP, so the
// decoder resumes on a clean picture. Sequence headers always pass: they are tiny and needed.
// It is bounded in bytes as well as units: a publisher's units may each be up to the RTMP
// message cap (10 MiB), so a count alone would let a lagging job hold gigabytes.
import Foundation

public struct LiveInboxPolicy: Equatable, Sendable {
    let capacity: Int
    let capacityBytes: Int
    private(set) var pending = 0
    private(set) var pendingBytes = 0
    private(set) var skipping = false
    private(set) var hasVideo = false
    private(set) var droppedUnits = 0
    private(set) var droppedGOPs = 0

    /// 64 MiB by default: at 8 Mbit/s, a minute of video.
    init(capacity: Int, capacityBytes: Int = 64 << 20) {
        self.capacity = max(2, capacity)
        self.capacityBytes = max(1 << 20, capacityBytes)
    }

    public enum Decision: Equatable, Sendable {
        case admit
        case drop
        /// Dropped, and the first unit of a new drop run (log it once).
        case startDropping
    }

    mutating func offer(isVideo: Bool, isKeyframe: Bool, isSequenceHeader: Bool, bytes: Int = 0) -> Decision {
        if isSequenceHeader {
            if isVideo { hasVideo = true }
            pending += 1
            pendingBytes += bytes
            return .admit
        }
        // Audio-only publishes resume on any frame; otherwise only a video keyframe starts a GOP.
        let startsGOP = hasVideo ? (isVideo && isKeyframe) : true
        if skipping {
            guard startsGOP, pending <= capacity / 2, pendingBytes + bytes <= capacityBytes / 2 else {
                droppedUnits += 1
                return .drop
            }
            skipping = false
        } else if pending >= capacity || pendingBytes + bytes > capacityBytes {
            skipping = true
            droppedUnits += 1
            droppedGOPs += 1
            return .startDropping
        }
        pending += 1
        pendingBytes += bytes
        return .admit
    }

    /// The job finished one admitted unit of `bytes`.
    mutating func done(bytes: Int = 0) {
        pending = max(0, pending - 1)
        pendingBytes = max(0, pendingBytes - bytes)
    }
}

/// The policy behind a lock: offered on the event loop, finished on the job queue.
public final class LiveInbox: @unchecked Sendable {
    private let lock = NSLock()
    private var policy: LiveInboxPolicy

    public init(capacity: Int) { policy = LiveInboxPolicy(capacity: capacity) }

    public func offer(isVideo: Bool, isKeyframe: Bool, isSequenceHeader: Bool, bytes: Int) -> LiveInboxPolicy.Decision {
        lock.withLock { policy.offer(isVideo: isVideo, isKeyframe: isKeyframe, isSequenceHeader: isSequenceHeader, bytes: bytes) }
    }

    public func done(bytes: Int) { lock.withLock { policy.done(bytes: bytes) } }

    public var counts: (units: Int, gops: Int) { lock.withLock { (policy.droppedUnits, policy.droppedGOPs) } }
}
