// How far a track's timestamps may jump before the jump is a discontinuity rather than a gap.
// A gap up to this is bridged (silence, or the frame repeated) so audio and video stay in sync.
// A longer one (a recording whose audio starts hours after its video, a timestamp reset) would
// mean hours of silence or duplicated frames, so the track continues where it was instead.
enum MediaGap {
    static let maxBridgedSeconds = 60.0
}
