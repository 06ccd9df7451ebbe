// What a lane needs of where its segments go (a RenditionSink, with a VOD or a live playlist
// policy). The lane encodes and packages the same way for both; only what happens to a segment
// once it is cut differs.
import VitrineHLS

protocol SegmentSink: AnyObject {
    /// The rendition's name: its folder, and its lane's.
    var name: String { get }
    /// RFC 6381 codec string of the video the lane produced, read from its SPS; set by the lane.
    var videoCodec: String? { get set }
    /// The fMP4 init segment (never called for TS).
    func writeInit(_ bytes: [UInt8]) throws
    /// Stores one complete segment and lists it.
    func write(_ segment: MuxedSegment) throws
    /// Stores one LL-HLS part of the segment being cut and lists it.
    func writePart(_ part: MuxedPart) throws
    /// What this rendition produced so far, for the master playlist.
    func report(width: Int?, height: Int?, frameRate: Double?, audio: Bool) -> RenditionReport
}
