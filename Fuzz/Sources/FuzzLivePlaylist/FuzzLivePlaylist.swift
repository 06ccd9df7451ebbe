// The playlist a dead `vitrine serve` left on disk (LeftoverPlaylist, LiveWindow+Restore): any
// bytes either parse as a leftover or give nil, never a trap. What parses is restored into a
// LiveWindow as a restarted server does and rendered; the rendering must parse back to the same
// leftover (sequences, segments, end) and render again to the same text, so a show restarted
// twice lists what it listed. A leftover still live, once ended as LiveLeftovers ends it, must
// parse as the same playlist, ended.
import VitrineHLS

/// What a restarted server lists: the leftover's window rendered (ended when it was).
func restoredText(_ leftover: LeftoverPlaylist) -> String {
    var window = LiveWindow(continuing: leftover, listSize: max(1, leftover.segments.count))
    if leftover.ended { window.end() }
    return window.playlist.render()
}

/// The first field in which `b` is not `a`, ignoring the target duration (a restored window
/// works it out from its segments); nil when they agree.
func difference(_ a: LeftoverPlaylist, _ b: LeftoverPlaylist, ended: Bool) -> String? {
    if a.mediaSequence != b.mediaSequence { return "media sequence \(a.mediaSequence) became \(b.mediaSequence)" }
    if a.discontinuitySequence != b.discontinuitySequence { return "discontinuity sequence \(a.discontinuitySequence) became \(b.discontinuitySequence)" }
    if b.ended != ended { return "ended \(a.ended) became \(b.ended)" }
    if a.segments.count != b.segments.count { return "\(a.segments.count) segments became \(b.segments.count)" }
    for (i, (x, y)) in zip(a.segments, b.segments).enumerated() where x != y {
        return "segment \(i) \(x) became \(y)"
    }
    return nil
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLivePlaylist(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size <= LeftoverPlaylist.maxBytes else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let leftover = LeftoverPlaylist(text: text) else { return 0 }
    let rendered = restoredText(leftover)
    guard let again = LeftoverPlaylist(text: rendered) else { fatalError("the restored playlist does not parse:\n\(rendered)") }
    if let change = difference(leftover, again, ended: leftover.ended) { fatalError("restoring changed the playlist: \(change)\n\(rendered)") }
    let twice = restoredText(again)
    if twice != rendered { fatalError("restored twice, the playlist changed:\n\(rendered)\nbecame\n\(twice)") }
    if let ended = LeftoverPlaylist.ending(text) {
        guard let closed = LeftoverPlaylist(text: ended) else { fatalError("an ended leftover does not parse:\n\(ended)") }
        if let change = difference(leftover, closed, ended: true) { fatalError("ending changed the playlist: \(change)") }
    }
    return 0
}
