// How far a track's timestamps may jump before the jump is a discontinuity rather than a gap.
// A gap up to this is bridged (silence, or the frame repeated) so audio and video stay in sync.
// A longer one (a recording whose audio starts hours after its video, a timestamp reset) would
// mean hours of silence or duplicated frames, so the track continues where it was instead.
//
// Each gap is bounded, and so is their sum: a hostile file whose timestamps jump just under the
// limit on every packet would otherwise turn a few kilobytes into hours of filler. A track may
// add two minutes of filler, and beyond that no more than its own content; past the budget a
// gap is a discontinuity too.
enum MediaGap {
    static let maxBridgedSeconds = 60.0
    static let fillerAllowanceSeconds = 120.0

    /// True when `gap` more seconds of filler keep the track within its budget, after `filled`
    /// seconds of filler and `content` seconds of its own media.
    static func canBridge(_ gap: Double, filled: Double, content: Double) -> Bool {
        abs(gap) <= maxBridgedSeconds && (gap <= 0 || filled + gap <= fillerAllowanceSeconds + content)
    }
}
