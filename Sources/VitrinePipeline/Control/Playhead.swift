// How far a running job has got on its own timeline: the time of the newest frame handed to the
// lanes. An operator's "show this card now" starts the card there, so the very next frame every
// lane paints carries it (frames already queued are older and stay as they were).
import Foundation

public final class Playhead: @unchecked Sendable {
    private let lock = NSLock()
    private var newest: Double?

    public init() {}

    /// Called by the job's reader with each frame's time on the job timeline.
    func advance(to seconds: Double) {
        lock.lock()
        if newest.map({ seconds > $0 }) ?? true { newest = seconds }
        lock.unlock()
    }

    /// nil until the first frame.
    public var seconds: Double? {
        lock.lock()
        defer { lock.unlock() }
        return newest
    }
}
