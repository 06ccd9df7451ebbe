// A file job's path from demuxer to lanes with nothing written: SourceAnalysis, SourceReader (and
// through it LadderFeed's decoding and constant-rate conversion, the AudioChain's gaps and
// discontinuities), and one lane that scales every picture to the smallest rung, turns it,
// encodes it (x264 ultrafast, one thread) and packages it with the audio into a
// SegmentTimingSink. For the demux fuzzer and its replay tests: hostile timestamps and streams
// reach the Swift code a file job runs, while `seconds` bounds the work one input can ask for.
import Logging
import VitrineHLS
import VitrineMedia

/// What a dry run produced.
public struct SourceDryRunReport: Sendable {
    /// The output frame rate the source gave (SourceAnalysis).
    public var framesPerSecond: Double
    /// Frames the lane encoded, and the most it may: the run's `seconds` at `framesPerSecond`.
    public var encodedFrames: Int
    public var frameLimit: Int
    public var segments: [SegmentTiming]
    /// fMP4's init segment size (0 for TS).
    public var initSegmentBytes: Int
    public var timelineJumps: Int
    public var decodeErrors: Int
    /// The whole input was read; false: the run stopped at its bound.
    public var readToEnd: Bool
    /// Read to its end: why a file job would fail the input (truncated, undecodable), nil if whole.
    public var damage: TranscodeError?
}

public enum SourceDryRun {
    /// The rung every dry run scales to: the smallest short side a ladder allows, so a frame
    /// costs microseconds to scale and encode.
    static let rung = Rung(size: .shortSide(16), bitrate: 100_000)

    /// Runs `demuxer`'s input through the file job's source side for at most `seconds` of its
    /// timeline (by default 1 s: AAC encoding is most of a run's time, and a bridged gap in the
    /// audio may still add up to MediaGap's limit of silence once). Throws what a file job would (TranscodeError, MediaError) for input it refuses.
    public static func run(_ demuxer: Demuxer, format: SegmentFormat, seconds: Double = 1) throws -> SourceDryRunReport {
        let logger = Logger(label: "vitrine.dry-run") { _ in SwiftLogNoOpLogHandler() }
        let source = try SourceAnalysis(demuxer, logger: logger)
        var encoding = EncodingSettings()
        encoding.format = format
        encoding.preset = "ultrafast"
        encoding.encoderThreads = 1
        encoding.latency = .low
        // Short segments, so a bounded run still cuts several.
        encoding.segmentDuration = 0.5
        let audio = try source.audio.map {
            try AudioChain(demuxer: demuxer, stream: $0, timelineStart: source.timelineStart, globalHeader: format.needsGlobalHeader)
        }
        let video = source.video
        let spec = video.flatMap { _ in Ladder.resolve([rung], displayWidth: source.displayWidth, displayHeight: source.displayHeight).first }
        let matrix = video.map { ColorMatrix.of(colorspace: demuxer.codecParameters(of: $0.index).pointee.color_space, height: $0.height) } ?? .bt709
        let sink = SegmentTimingSink(name: spec?.name ?? "audio")
        let failure = JobFailure()
        let lanes = try EncodingLane<SegmentTimingSink>.ladder([(spec, sink)], encoding: encoding, framesPerSecond: source.framesPerSecond,
                                            frameRate: source.frameRate, matrix: matrix, rotation: video?.rotation ?? 0,
                                            audio: audio?.encoder, painter: { _ in nil }, failure: failure)
        // Whatever is thrown, no lane is still encoding when the run returns.
        defer { for lane in lanes { lane.waitUntilIdle() } }
        let reader = try SourceReader(demuxer: demuxer, source: source, lanes: lanes, audio: audio, failure: failure)
        reader.timelineLimit = seconds
        try reader.run { _ in }
        if let error = failure.error { throw error }
        for lane in lanes { _ = try lane.finish() }
        var damage: TranscodeError?
        if !reader.stoppedAtLimit {
            do { try reader.checkComplete(declaredDuration: demuxer.durationSeconds) } catch let error as TranscodeError { damage = error }
        }
        return SourceDryRunReport(framesPerSecond: source.framesPerSecond, encodedFrames: lanes.map(\.framesEncoded).reduce(0, +),
                                  frameLimit: Int(reader.frameLimit),
                                  segments: sink.segments, initSegmentBytes: sink.initSegmentBytes,
                                  timelineJumps: reader.timelineJumps, decodeErrors: reader.decodeErrors,
                                  readToEnd: !reader.stoppedAtLimit, damage: damage)
    }
}

extension SourceDryRunReport {
    /// What the lane's output promises whatever the input: no more frames than the bound,
    /// segments numbered in order, each with a finite start and a duration not below zero,
    /// starting where the one before ended (the timeline never goes back), and fMP4 with its
    /// init segment. The first promise broken, described; nil when all hold.
    public func brokenPromise(format: SegmentFormat) -> String? {
        if encodedFrames > frameLimit { return "\(encodedFrames) frames encoded, over the bound of \(frameLimit)" }
        if format == .fmp4, initSegmentBytes == 0 { return "fMP4 without an init segment" }
        for (position, segment) in segments.enumerated() {
            if segment.index != position { return "segment \(position) is numbered \(segment.index)" }
            guard segment.startSeconds.isFinite, segment.durationSeconds.isFinite, segment.durationSeconds >= 0 else {
                return "segment \(position) starts at \(segment.startSeconds) s and lasts \(segment.durationSeconds) s"
            }
            if position > 0 {
                let previous = segments[position - 1]
                let end = previous.startSeconds + previous.durationSeconds
                if abs(segment.startSeconds - end) > 1e-6 {
                    return "segment \(position) starts at \(segment.startSeconds) s, the one before ended at \(end) s"
                }
            }
        }
        return nil
    }
}
