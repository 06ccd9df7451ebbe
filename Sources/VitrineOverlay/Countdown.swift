// Countdown.swift - what a countdown card shows at a given timeline second. A pure function of the
// timestamp, so every rendition shows the same digits on the same frames.

import Foundation

public enum CountdownClock {
    /// Whole seconds left at `seconds` on the timeline, rounded up (a countdown shows 00:01 until it
    /// reaches zero) and never negative. `origin` is the wall-clock date of timeline second 0.
    public static func remaining(until target: CountdownTarget, at seconds: Double, origin: Date?) -> Int {
        guard let targetSeconds = target.seconds(origin: origin) else { return 0 }
        let left = targetSeconds - seconds
        guard left.isFinite, left > 0 else { return 0 }
        // The epsilon stops float noise from PTS maths (133.000000001 left) showing one second too many.
        return Int(min((left - 1e-9).rounded(.up), Double(Int32.max)))
    }

    /// "02:13" under an hour, "1:02:13" above.
    public static func text(seconds: Int) -> String {
        let s = max(0, seconds)
        let hours = s / 3600, minutes = (s % 3600) / 60, secs = s % 60
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return hours > 0 ? "\(hours):\(two(minutes)):\(two(secs))" : "\(two(minutes)):\(two(secs))"
    }
}

extension CountdownTarget {
    /// The target on the timeline; a date needs `origin`, the date of timeline second 0.
    public func seconds(origin: Date?) -> Double? {
        switch self {
        case let .timeline(value): return value
        case let .date(date): return origin.map { date.timeIntervalSince($0) }
        }
    }
}
