// What /readyz reports: the process takes traffic only once both listeners are bound, and
// stops saying so as soon as shutdown begins, so a load balancer drains it before it exits.
import Foundation

public final class Readiness: @unchecked Sendable {
    private let lock = NSLock()
    private var rtmpListening = false
    private var httpListening = false
    private var stopping = false

    public init() {}

    public func rtmpDidStart() { lock.withLock { rtmpListening = true } }
    public func httpDidStart() { lock.withLock { httpListening = true } }
    public func shutdownBegan() { lock.withLock { stopping = true } }

    /// Listeners not up yet, by name ("rtmp", "http"), or "shutting down"; empty when ready.
    public var missing: [String] {
        lock.withLock {
            if stopping { return ["shutting down"] }
            return (rtmpListening ? [] : ["rtmp"]) + (httpListening ? [] : ["http"])
        }
    }
}
