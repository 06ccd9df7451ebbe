// A SegmentSink that stores no bytes and keeps when each segment starts and how long it lasts:
// a dry run's output (SourceDryRun), where what matters is the timing the lanes produced.
import Foundation
import VitrineHLS

/// One segment as a dry run's lane cut it.
public struct SegmentTiming: Equatable, Sendable {
    public var index: Int
    public var startSeconds: Double
    public var durationSeconds: Double
    public var byteCount: Int
}

final class SegmentTimingSink: SegmentSink, @unchecked Sendable {
    let name: String
    /// Guards what follows: the lane's queue writes, the dry run reads once the lane finished.
    private let lock = NSLock()
    private var codec: String?
    private var timings: [SegmentTiming] = []
    private var initBytes = 0

    init(name: String) {
        self.name = name
    }

    var videoCodec: String? {
        get { lock.withLock { codec } }
        set { lock.withLock { codec = newValue } }
    }

    var segments: [SegmentTiming] { lock.withLock { timings } }
    /// Size of the fMP4 init segment (0: none, as for TS).
    var initSegmentBytes: Int { lock.withLock { initBytes } }

    func writeInit(_ bytes: [UInt8]) throws {
        lock.withLock { initBytes = bytes.count }
    }

    func write(_ segment: MuxedSegment) throws {
        lock.withLock {
            timings.append(SegmentTiming(index: segment.index, startSeconds: segment.startSeconds,
                                         durationSeconds: segment.durationSeconds, byteCount: segment.bytes.count))
        }
    }

    /// A VOD rendition lists no parts; a dry run never asks for them.
    func writePart(_ part: MuxedPart) throws {}

    func report(width: Int?, height: Int?, frameRate: Double?, audio: Bool) -> RenditionReport {
        lock.withLock {
            let seconds = timings.reduce(0) { $0 + $1.durationSeconds }
            let bytes = timings.reduce(0) { $0 + $1.byteCount }
            let peak = timings.map { Self.bitrate(bytes: $0.byteCount, seconds: $0.durationSeconds) }.max() ?? 0
            return RenditionReport(name: name, width: width, height: height, segmentCount: timings.count, peakBitrate: peak,
                                   averageBitrate: Self.bitrate(bytes: bytes, seconds: seconds),
                                   codecs: (codec.map { [$0] } ?? []) + (audio ? [CodecString.aacLC] : []),
                                   frameRate: frameRate, durationSeconds: seconds)
        }
    }

    /// Bits per second, 0 for no time; computed as a Double first: Int() of an infinite rate traps.
    private static func bitrate(bytes: Int, seconds: Double) -> Int {
        let rate = Double(bytes * 8) / seconds
        return seconds > 0 && rate.isFinite && rate < 1e15 ? Int(rate.rounded(.up)) : 0
    }
}
