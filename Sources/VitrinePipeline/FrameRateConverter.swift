// Turns variable-rate input into constant-rate output, like ffmpeg's cfr mode: a frame that
// arrives early is dropped, a gap is filled by repeating the frame after it. A jump of more
// than MediaGap.maxBridgedSeconds either way, or one past the filler budget, is a
// discontinuity: the frame takes the next index and later frames follow it from there.
public struct FrameRateConverter {
    public let framesPerSecond: Double
    public private(set) var nextIndex: Int64 = 0
    /// Seconds added to input times since the last discontinuity.
    private var shift = 0.0
    /// Discontinuities met so far.
    public private(set) var jumps = 0
    /// Frames repeated to fill gaps, and frames of the input's own: the filler budget.
    private var repeatedFrames: Int64 = 0
    private var ownFrames: Int64 = 0

    public init(framesPerSecond: Double) {
        self.framesPerSecond = framesPerSecond
    }

    /// Output frame indices this input frame (at `seconds` on the job timeline) fills.
    public mutating func indices(forFrameAt seconds: Double) -> Range<Int64> {
        var delta = (seconds + shift) * framesPerSecond - Double(nextIndex)
        // Also catches a non-finite time: NaN fails every comparison but this one.
        let gap = delta > 1.1 ? delta / framesPerSecond : 0
        if !(abs(delta) <= MediaGap.maxBridgedSeconds * framesPerSecond)
            || !MediaGap.canBridge(gap, filled: Double(repeatedFrames) / framesPerSecond, content: Double(ownFrames) / framesPerSecond) {
            shift = Double(nextIndex) / framesPerSecond - seconds
            if !shift.isFinite { shift = 0 }
            delta = 0
            jumps += 1
        }
        let copies: Int64
        if delta < -1.1 { copies = 0 }
        else if delta > 1.1 { copies = Int64(delta.rounded()) + 1 }
        else { copies = 1 }
        let range = nextIndex ..< nextIndex + copies
        nextIndex += copies
        ownFrames += 1
        repeatedFrames += max(0, copies - 1)
        return range
    }

    public func seconds(ofIndex index: Int64) -> Double { Double(index) / framesPerSecond }
}
