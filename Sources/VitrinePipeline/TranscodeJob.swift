// A file job: demux and decode once on the calling thread, fan frames out to one lane per rung,
// encode audio once, then write the playlists. Any failure removes what the job wrote.
import Foundation
import Logging
import VitrineHLS
import VitrineMedia

public final class TranscodeJob {
    public let settings: TranscodeSettings
    private let logger: Logger
    private let failure = JobFailure()
    /// The newest frame handed to the lanes: where an operator's card push lands.
    public let playhead = Playhead()
    /// Cards an operator changes while the job runs; nil when the job has no cards timeline.
    public let cardControl: CardControl?
    private let statsLock = NSLock()
    private var runningLanes: [RenditionLane] = []

    public init(settings: TranscodeSettings, logger: Logger = Logger(label: "vitrine.transcode")) {
        self.settings = settings
        self.logger = logger
        let fps = LockedFramesPerSecond()
        let playhead = playhead
        cardControl = settings.cards.map { CardControl(timeline: $0, playhead: playhead, framesPerSecond: fps.read) }
        frameRateBox = fps
    }

    private let frameRateBox: LockedFramesPerSecond

    /// Stops the job from another thread: it winds down, removes what it wrote and throws
    /// TranscodeError.cancelled from run().
    public func cancel(reason: String = "cancelled") {
        failure.record(TranscodeError.cancelled(reason))
    }

    /// Stops the job but leaves its output folder alone: another worker took the job over and is
    /// writing the same files now (a batch job whose lease was lost).
    public func abandon(reason: String) {
        statsLock.withLock { abandoned = true }
        failure.record(TranscodeError.cancelled(reason))
    }

    private var abandoned = false
    private var keepsOutput: Bool { statsLock.withLock { abandoned } }

    /// Frames each rendition has encoded so far, and the seconds its lane spent working.
    public func renditionProgress() -> [RenditionProgress] {
        let lanes = statsLock.withLock { runningLanes }
        return lanes.map { RenditionProgress(name: $0.output.name, framesEncoded: $0.framesEncoded, busySeconds: $0.busySeconds) }
    }

    public func run(progress: (JobProgress) -> Void = { _ in }) throws -> JobReport {
        let started = Date()
        try prepareOutputDirectory()
        let demuxer = try openInput()
        let source = try SourceAnalysis(demuxer, logger: logger)
        frameRateBox.write(source.framesPerSecond)
        let lanes: Lanes
        do { lanes = try makeLanes(demuxer: demuxer, source: source, failure: failure) } catch {
            throw Self.classify(error, input: settings.input)
        }
        statsLock.withLock { runningLanes = lanes.all }
        // Set before the first frame is queued: every segment's PROGRAM-DATE-TIME counts from it.
        let origin = settings.wallClockOrigin ?? WallClockOrigin.creationTime(of: demuxer) ?? started
        for lane in lanes.all { lane.output.wallClockOrigin = origin }
        var written: [String] = []
        do {
            let reader = try SourceReader(demuxer: demuxer, source: source, lanes: lanes.all, audio: lanes.audio, failure: failure)
            reader.playhead = playhead
            try reader.run { processed in
                let encoded = lanes.all.map(\.framesEncoded).min() ?? 0
                let seconds = source.video == nil ? processed : Double(encoded) / source.framesPerSecond
                progress(JobProgress(processedSeconds: seconds, totalSeconds: demuxer.durationSeconds,
                                     framesEncoded: lanes.all.map(\.framesEncoded).reduce(0, +),
                                     elapsedSeconds: Date().timeIntervalSince(started)))
            }
            if let error = failure.error { throw error }
            let reports = try lanes.all.map { try $0.finish() }
            try reader.checkComplete(declaredDuration: demuxer.durationSeconds)
            let duration = reports.map(\.durationSeconds).max() ?? 0
            // One set of ranges for the whole job, so every rendition announces the same cards.
            let mediaEnd = lanes.all.map(\.output.endSeconds).max() ?? 0
            let cardRanges = settings.cards.map { CardDateRanges.make($0, origin: origin, mediaEnd: mediaEnd) } ?? []
            // The show report's record, written before the playlists so a listed show has one.
            let record = (settings.outputDirectory as NSString).appendingPathComponent(ShowRecord.fileName)
            try ShowRecord(jobID: (settings.outputDirectory as NSString).lastPathComponent, origin: origin, mediaEnd: mediaEnd,
                           cards: settings.cards?.allCards.map(\.card) ?? []).write(to: record)
            written.append(record)
            written += try writePlaylists(lanes.all, reports: reports, dateRanges: cardRanges)
            if reader.timelineJumps > 0 {
                logger.warning("timestamps jumped by more than \(Int(MediaGap.maxBridgedSeconds)) s: each track went on from where it was",
                               metadata: ["jumps": "\(reader.timelineJumps)", "input": "\(settings.input)"])
            }
            if reader.decodeErrors > 0 {
                logger.warning("recovered from decode errors", metadata: ["count": "\(reader.decodeErrors)", "input": "\(settings.input)"])
            }
            return JobReport(masterPlaylist: written.last ?? "", renditions: reports, durationSeconds: duration,
                             decodeErrors: reader.decodeErrors, elapsedSeconds: Date().timeIntervalSince(started))
        } catch {
            for lane in lanes.all { lane.waitUntilIdle() }
            if !keepsOutput {
                for lane in lanes.all { lane.output.removeEverything() }
                for file in written { unlink(file) }
            }
            throw Self.classify(error, input: settings.input)
        }
    }

    // MARK: - Set-up

    private func prepareOutputDirectory() throws {
        let dir = settings.outputDirectory
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw TranscodeError.unwritableOutput("output \(dir) exists and is not a folder")
        }
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let probe = (dir as NSString).appendingPathComponent(".vitrine-write-check")
            try AtomicFileWriter.write("", to: probe)
            unlink(probe)
        } catch let error as FileWriteError {
            throw error.isNoSpace ? TranscodeError.diskFull("disk full: \(error)") : TranscodeError.unwritableOutput("output folder \(dir) is not writable: \(error)")
        } catch {
            throw TranscodeError.unwritableOutput("cannot create output folder \(dir): \(error.localizedDescription)")
        }
    }

    private func openInput() throws -> Demuxer {
        let path = settings.input
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TranscodeError.unreadableInput("input \(path) does not exist")
        }
        guard !isDirectory.boolValue else { throw TranscodeError.unreadableInput("input \(path) is a folder, not a media file") }
        guard Self.isRegularFile(path) else {
            throw TranscodeError.unreadableInput("input \(path) is not a regular file (a FIFO, device or socket cannot be a recording)")
        }
        do {
            return try Demuxer(path: path)
        } catch let error as MediaError {
            throw TranscodeError.unreadableInput("input \(path) is not readable media: \(error)")
        }
    }

    private struct Lanes {
        var all: [RenditionLane]
        var audio: AudioChain?
    }

    private func makeLanes(demuxer: Demuxer, source: SourceAnalysis, failure: JobFailure) throws -> Lanes {
        let audio = try source.audio.map {
            try AudioChain(demuxer: demuxer, stream: $0, timelineStart: source.timelineStart, globalHeader: settings.format.needsGlobalHeader)
        }
        let root = settings.outputDirectory
        let format = settings.format
        guard let video = source.video else {
            let output = try RenditionOutput(name: "audio", root: root, format: format)
            let lanes = try RenditionLane.ladder([(nil, output)], encoding: settings.encoding, framesPerSecond: source.framesPerSecond,
                                                 frameRate: source.frameRate, matrix: .bt709, rotation: 0, audio: audio?.encoder,
                                                 painter: { _ in nil }, failure: failure)
            return Lanes(all: lanes, audio: audio)
        }
        let rungs = settings.rungs ?? Ladder.defaultRungs(displayWidth: source.displayWidth, displayHeight: source.displayHeight)
        let specs = Ladder.resolve(rungs, displayWidth: source.displayWidth, displayHeight: source.displayHeight)
        let matrix = ColorMatrix.of(colorspace: demuxer.codecParameters(of: video.index).pointee.color_space, height: video.height)
        let painters = settings.painterFactory ?? settings.cards.map { CardPainter.factory($0, tracker: cardControl?.tracker) }
        var outputs: [RenditionOutput] = []
        let lanes: [RenditionLane]
        do {
            for spec in specs { outputs.append(try RenditionOutput(name: spec.name, root: root, format: format)) }
            lanes = try RenditionLane.ladder(Array(zip(specs.map { Optional($0) }, outputs)), encoding: settings.encoding,
                                             framesPerSecond: source.framesPerSecond, frameRate: source.frameRate, matrix: matrix,
                                             rotation: video.rotation, audio: audio?.encoder,
                                             painter: { try painters?($0, matrix) }, failure: failure)
        } catch {
            for output in outputs { output.removeEverything() }
            throw error
        }
        logger.info("ladder", metadata: ["rungs": "\(specs.map { "\($0.name) \($0.width)x\($0.height)@\($0.bitrate / 1000)k" })"])
        return Lanes(all: lanes, audio: audio)
    }

    // MARK: - Playlists

    /// Writes each media playlist, then the master last, so the master never names a missing one.
    private func writePlaylists(_ lanes: [RenditionLane], reports: [RenditionReport], dateRanges: [DateRange]) throws -> [String] {
        var written: [String] = []
        do {
            for lane in lanes {
                let path = (lane.output.directory as NSString).appendingPathComponent(RenditionOutput.playlistName)
                var playlist = lane.output.playlist
                playlist.dateRanges = dateRanges
                try AtomicFileWriter.write(playlist.render(), to: path)
                written.append(path)
            }
            let path = try MasterPlaylistFile.write(reports, version: settings.format.playlistVersion, in: settings.outputDirectory).path
            written.append(path)
            return written
        } catch let error as FileWriteError {
            for file in written { unlink(file) }
            throw TranscodeError(error)
        }
    }

    /// A FIFO or a device would block a job forever or read without end: inputs are regular
    /// files only (asked here and by serve's API before it queues a job).
    public static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }

    static func classify(_ error: Error, input: String) -> TranscodeError {
        if let error = error as? TranscodeError { return error }
        if let error = error as? FileWriteError {
            return TranscodeError(error)
        }
        if let error = error as? MediaError {
            if error.code == AVStatus.posix(ENOSPC) { return .diskFull("disk full: \(error)") }
            return .internalFailure("\(input): \(error)")
        }
        return .internalFailure("\(input): \(error)")
    }
}
