// How far a running job has got on its own timeline: the time of the newest frame handed to the
// lanes. An operator's "show this card now" starts the card there, so the very next frame every
// lane paints carries it (frames already queued are older and stay as they were).
import Foundation

public final class Playhead: @unchecked Sendable {
    private let lock = NSLock()
    private var newest: Double?
    private var offset = 0.0

    public init() {}

    /// Called by the job's reader with each frame's time on the job timeline.
    func advance(to seconds: Double) {
        lock.lock()
        if newest.map({ seconds > $0 }) ?? true { newest = seconds }
        lock.unlock()
    }

    /// Where the job timeline's zero sits on the cards' clock: 0, except for a live job's
    /// process restarted after a crash, whose timeline starts again at zero while the publish's
    /// cards keep counting from its start.
    func setCardClockOffset(_ seconds: Double) {
        lock.withLock { offset = seconds }
    }

    /// The newest frame's time on the cards' clock; nil until the first frame.
    public var seconds: Double? {
        lock.lock()
        defer { lock.unlock() }
        return newest.map { $0 + offset }
    }
}
