// Where a publish's cards clock reads zero: the arrival of its first picture, both on the
// monotonic clock (to measure how far a later session is from it) and on the wall clock (the date
// every DATERANGE's START-DATE counts from). A job process restarted after a crash is handed the
// first process's: sampling the wall clock again would move that date by a few microseconds, and
// a START-DATE printed to the millisecond could then change, which RFC 8216bis forbids for a
// range a player has already seen.
import Foundation

public struct CardClockStart: Codable, Sendable, Equatable {
    /// CLOCK_MONOTONIC nanoseconds (DispatchTime's uptime) of the first picture's arrival.
    public var uptime: UInt64
    /// The same instant on the wall clock.
    public var date: Date

    public init(uptime: UInt64, date: Date) {
        self.uptime = uptime
        self.date = date
    }

    /// The clock starts at `arrival`, an uptime reading a moment ago.
    static func starting(at arrival: UInt64) -> CardClockStart {
        let ago = Double(DispatchTime.now().uptimeNanoseconds &- arrival) / 1e9
        return CardClockStart(uptime: arrival, date: Date().addingTimeInterval(-ago))
    }

    /// Seconds from the clock's zero to `arrival` (a later session's first picture).
    func seconds(at arrival: UInt64) -> Double {
        arrival > uptime ? Double(arrival - uptime) / 1e9 : 0
    }
}
