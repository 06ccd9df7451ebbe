// A running job's figures per rendition, for GET /v1/jobs/{id} and /metrics.
import Foundation

public struct RenditionProgress: Sendable, Codable, Equatable {
    public var name: String
    public var framesEncoded: Int
    /// Seconds the lane spent scaling, painting and encoding.
    public var busySeconds: Double
    /// Frames dropped for this rendition (a live job dropping whole GOPs drops them everywhere).
    public var framesDropped: Int = 0

    public init(name: String, framesEncoded: Int, busySeconds: Double, framesDropped: Int = 0) {
        self.name = name
        self.framesEncoded = framesEncoded
        self.busySeconds = busySeconds
        self.framesDropped = framesDropped
    }

    /// Frames per second of lane time: how fast this rendition could encode.
    public var encodeFramesPerSecond: Double { busySeconds > 0 ? Double(framesEncoded) / busySeconds : 0 }
}

extension Sequence where Element == Int {
    /// The sum, held at Int.max / Int.min instead of trapping: figures from a job process are
    /// untrusted, and a sum of them must never stop the server.
    public var saturatingSum: Int {
        reduce(0) { total, value in
            let (sum, overflow) = total.addingReportingOverflow(value)
            return overflow ? (value > 0 ? Int.max : Int.min) : sum
        }
    }
}

/// The frame rate a job learns once its source is open, readable from any thread.
final class LockedFramesPerSecond: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 30.0

    func write(_ fps: Double) { lock.withLock { value = fps } }
    func read() -> Double { lock.withLock { value } }
}
