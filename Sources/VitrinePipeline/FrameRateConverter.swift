// Turns variable-rate input into constant-rate output, like ffmpeg's cfr mode: a frame that
// arrives early is dropped, a gap is filled by repeating the frame after it.
public struct FrameRateConverter {
    public let framesPerSecond: Double
    public private(set) var nextIndex: Int64 = 0

    public init(framesPerSecond: Double) {
        self.framesPerSecond = framesPerSecond
    }

    /// Output frame indices this input frame (at `seconds` on the job timeline) fills.
    public mutating func indices(forFrameAt seconds: Double) -> Range<Int64> {
        let position = seconds * framesPerSecond
        let delta = position - Double(nextIndex)
        let copies: Int64
        if delta < -1.1 { copies = 0 }
        else if delta > 1.1 { copies = Int64(delta.rounded()) + 1 }
        else { copies = 1 }
        let range = nextIndex ..< nextIndex + copies
        nextIndex += copies
        return range
    }

    public func seconds(ofIndex index: Int64) -> Double { Double(index) / framesPerSecond }
}
