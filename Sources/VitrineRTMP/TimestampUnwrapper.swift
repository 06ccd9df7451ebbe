// TimestampUnwrapper: turns RTMP's 32-bit millisecond timestamps (Adobe RTMP spec 1.0 section
// 5.3.1.2 and 5.3.1.3: they wrap after 2^32 ms, about 49.7 days, and arithmetic on them is
// modulo 2^32) into a monotonic-unless-flagged 64-bit timeline. One unwrapper per track: audio
// and video interleave slightly out of order, which is not a discontinuity.

public struct TimestampUnwrapper: Sendable {
    public struct Result: Equatable, Sendable {
        /// Milliseconds on the 64-bit timeline.
        public var milliseconds: Int64
        /// The stamp went backwards, or forwards by more than the allowed jump.
        public var discontinuity: Bool
    }

    /// Forward steps larger than this are flagged (they still advance the timeline).
    public let maxForwardJumpMilliseconds: Int64
    private var last32: UInt32?
    private var last64: Int64 = 0

    public init(maxForwardJumpMilliseconds: Int64 = 10_000) {
        self.maxForwardJumpMilliseconds = maxForwardJumpMilliseconds
    }

    public mutating func unwrap(_ stamp: UInt32) -> Result {
        guard let previous = last32 else {
            last32 = stamp
            last64 = Int64(stamp)
            return Result(milliseconds: last64, discontinuity: false)
        }
        // The modular difference read as signed: within +-2^31 ms of the last stamp, a smaller
        // 32-bit value is a wrap forward if it is "just after" and a step back otherwise.
        let step = Int64(Int32(bitPattern: stamp &- previous))
        last32 = stamp
        last64 += step
        return Result(milliseconds: last64, discontinuity: step < 0 || step > maxForwardJumpMilliseconds)
    }
}
