// How each kind of HLS resource is labelled for players and caches in front of the origin.
// Segments never change once written (names carry a media sequence that never resets), so
// they are immutable for a year. A live media playlist changes every segment: caches may
// hold it for about half a target duration at most (RFC 8216bis 6.2.2 reload rules), hence a
// second. The master changes only when a stream (re)starts, but it must not outlive that, so
// it is revalidated every time. A clip's MP4 is as immutable as a segment. An ended playlist
// stays briefly cacheable rather than long: the same key can publish again, and its playlist
// then continues after a discontinuity.
extension OriginPath.Kind {
    var contentType: String {
        switch self {
        case .master, .mediaPlaylist: return "application/vnd.apple.mpegurl"
        case let .segment(_, file): return file.hasSuffix(".m4s") ? "video/mp4" : "video/mp2t"
        case .initSegment, .download: return "video/mp4"
        }
    }

    /// `blockingReload`: the answer to an LL-HLS request for a given segment or part
    /// (_HLS_msn/_HLS_part). Its URL names what it holds, so a CDN may keep it as long as the
    /// playlist could list it (about a segment), and every player waiting on that URL shares it.
    func cacheControl(endedPlaylist: Bool, blockingReload: Bool = false) -> String {
        switch self {
        case .master: return "no-cache"
        case .mediaPlaylist where blockingReload && !endedPlaylist: return "public, max-age=6"
        case .mediaPlaylist: return endedPlaylist ? "public, max-age=60" : "public, max-age=1"
        case .segment: return "public, max-age=31536000, immutable"
        // A different init gets its own name (RenditionSink.writeInit), but a key's folder may be
        // cleared between shows and init.mp4 written anew: revalidated (ETag), not immutable.
        case .initSegment: return "no-cache"
        // A clip is cut once into a folder of its own, whose id is never reused.
        case .download: return "public, max-age=31536000, immutable"
        }
    }

    /// Byte ranges are for media; playlists are small and always served whole.
    var acceptsRanges: Bool {
        switch self {
        case .segment, .initSegment, .download: return true
        case .master, .mediaPlaylist: return false
        }
    }
}
