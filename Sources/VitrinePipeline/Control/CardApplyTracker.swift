// Measures how long an operator's card change takes to reach the picture: from the API call to
// the first frame that shows it, in every rendition. Each lane's CardPainter reports what it
// drew; a change counts as applied once every rendition has drawn it (or, for a hide, stopped
// drawing it). The figures go to GET /v1/jobs/{id}/cards and the card apply delay metric.
import Foundation

public final class CardApplyTracker: @unchecked Sendable {
    public struct Applied: Sendable, Codable, Equatable {
        /// Wall-clock milliseconds from the request to the frame in the slowest rendition.
        public var delayMilliseconds: Double
        /// Frames between the newest frame at request time and the first frame showing the change.
        public var delayFrames: Int
    }

    private struct Pending {
        var cardID: String
        /// The card as it must look (nil: it must be gone).
        var expected: String?
        var requestedAt: UInt64
        var requestSeconds: Double
        var remaining: Set<String>
        var slowest: (nanoseconds: UInt64, seconds: Double) = (0, 0)
    }

    private let lock = NSLock()
    private var renditions: Set<String> = []
    private var pending: [Pending] = []
    private var applied: [String: Applied] = [:]
    private let framesPerSecond: () -> Double
    /// Called once per completed change, e.g. to feed a histogram.
    public var onApplied: (@Sendable (Applied) -> Void)?

    public init(framesPerSecond: @escaping () -> Double) {
        self.framesPerSecond = framesPerSecond
    }

    /// A lane joins once its painter exists.
    func register(rendition: String) {
        lock.withLock { _ = renditions.insert(rendition) }
    }

    /// `internalID`: the Timeline card id that must appear (or disappear when `visible` is false).
    func expect(cardID: String, internalID: String, visible: Bool, at seconds: Double) {
        let now = DispatchTime.now().uptimeNanoseconds
        lock.withLock {
            pending.removeAll { $0.cardID == cardID }
            guard !renditions.isEmpty else { return }
            pending.append(Pending(cardID: cardID, expected: visible ? internalID : nil, requestedAt: now,
                                   requestSeconds: seconds, remaining: renditions))
        }
    }

    /// Cheap when nothing is pending: called for every painted frame.
    func observe(rendition: String, visibleIDs: Set<String>, at seconds: Double) {
        lock.lock()
        defer { lock.unlock() }
        guard !pending.isEmpty else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        var done: [Int] = []
        for index in pending.indices where pending[index].remaining.contains(rendition) {
            let wanted = pending[index].expected
            let drawn = wanted.map { visibleIDs.contains($0) } ?? !visibleIDs.contains(where: { $0 == pending[index].cardID || $0.hasPrefix(pending[index].cardID + CardControl.revisionSeparator) })
            // A frame older than the request cannot count (it was queued before the change).
            guard drawn, seconds >= pending[index].requestSeconds else { continue }
            pending[index].remaining.remove(rendition)
            if now >= pending[index].slowest.nanoseconds { pending[index].slowest = (now, seconds) }
            if pending[index].remaining.isEmpty { done.append(index) }
        }
        for index in done.reversed() {
            let p = pending.remove(at: index)
            let result = Applied(
                delayMilliseconds: Double(p.slowest.nanoseconds &- p.requestedAt) / 1e6,
                delayFrames: max(0, Int(((p.slowest.seconds - p.requestSeconds) * framesPerSecond()).rounded())))
            applied[p.cardID] = result
            onApplied?(result)
        }
    }

    /// The last completed change of `cardID`, if any.
    public func applied(cardID: String) -> Applied? {
        lock.withLock { applied[cardID] }
    }

    /// True while a change of `cardID` has not reached every rendition.
    public func isPending(cardID: String) -> Bool {
        lock.withLock { pending.contains { $0.cardID == cardID } }
    }
}
