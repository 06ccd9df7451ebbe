// Places a publish's RTMP millisecond stamps (already unwrapped past 32 bits by VitrineRTMP) on
// the live job's timeline: zero at the first video keyframe, and a flagged jump (backwards, or
// far forward) re-based so the track continues one step after the latest stamp of either track.
// Each track is re-based on its own flag, so audio and video that jump together stay together.
struct LiveTimeline {
    private var videoOffset: Int64 = 0
    private var audioOffset: Int64 = 0
    private(set) var isStarted = false
    /// The latest placed DTS of either track, milliseconds.
    private(set) var latest: Int64 = 0
    private(set) var rebases = 0
    /// The step a re-based track continues by (about one video frame).
    var stepMilliseconds: Int64 = 33

    /// Timeline zero is this stamp (the first video keyframe's DTS, or the first audio frame's).
    mutating func start(at dts: Int64) {
        videoOffset = -dts
        audioOffset = -dts
        latest = 0
        isStarted = true
    }

    /// The unit's (dts, pts) on the timeline, milliseconds; negative before timeline zero.
    mutating func place(isVideo: Bool, dts raw: Int64, pts: Int64, discontinuity: Bool) -> (dts: Int64, pts: Int64) {
        if discontinuity && isStarted {
            let offset = latest + stepMilliseconds - raw
            if isVideo { videoOffset = offset } else { audioOffset = offset }
            rebases += 1
        }
        let offset = isVideo ? videoOffset : audioOffset
        let dts = raw + offset
        latest = max(latest, dts)
        return (dts, pts + offset)
    }
}
