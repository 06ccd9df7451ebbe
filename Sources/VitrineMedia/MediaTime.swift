// Timestamps that carry their time base, so every hop rescales instead of guessing.
import CFFmpeg

/// FFmpeg's "no timestamp" marker; never do arithmetic on it.
public let noTimestamp: Int64 = vitrine_nopts()

/// A rational time base (seconds per tick).
public struct TimeBase: Equatable, Hashable, CustomStringConvertible {
    public var num: Int32
    public var den: Int32

    public init(_ num: Int32, _ den: Int32) {
        self.num = num
        self.den = den
    }

    public init(_ rational: AVRational) {
        self.init(rational.num, rational.den)
    }

    public var rational: AVRational { AVRational(num: num, den: den) }
    public static let microseconds = TimeBase(1, 1_000_000)
    public static let mpegTS = TimeBase(1, 90_000)
    public var description: String { "\(num)/\(den)" }
}

/// A timestamp value in a time base.
public struct MediaTime: Equatable, CustomStringConvertible {
    public var value: Int64
    public var timeBase: TimeBase

    public init(_ value: Int64, _ timeBase: TimeBase) {
        self.value = value
        self.timeBase = timeBase
    }

    public var seconds: Double { Double(value) * Double(timeBase.num) / Double(timeBase.den) }

    /// Overflow-safe conversion to another time base (rounds to nearest).
    public func rescaled(to other: TimeBase) -> MediaTime {
        MediaTime(rescale(value, from: timeBase, to: other), other)
    }

    public var description: String { "\(value)@\(timeBase)" }
}

/// Overflow-safe rescale of a raw timestamp; `noTimestamp` stays `noTimestamp`.
public func rescale(_ value: Int64, from: TimeBase, to: TimeBase) -> Int64 {
    if value == noTimestamp { return noTimestamp }
    return av_rescale_q(value, from.rational, to.rational)
}
