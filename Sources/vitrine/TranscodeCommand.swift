// `vitrine transcode INPUT -o OUT`: one file to an HLS ladder.
import ArgumentParser
import CFFmpeg
import Foundation
import Logging
import VitrineHLS
import VitrineMedia
import VitrinePipeline

struct TranscodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcode",
        abstract: "Turn a media file into an HLS adaptive-bitrate ladder.",
        discussion: """
        Exit codes: 0 done; 64 bad arguments (e.g. a ladder that does not parse); 65 damaged or \
        truncated input; 66 missing or non-media input; 70 internal failure; 73 output folder not \
        writable; 74 disk full.
        """
    )

    @Argument(help: "Input file (MP4, MOV, FLV, MKV, MPEG-TS, ...).")
    var input: String

    @Option(name: .shortAndLong, help: "Output folder (master.m3u8 plus one folder per rendition).")
    var output: String

    @OptionGroup var ladder: LadderOptions

    @OptionGroup var encoding: EncodingOptions

    @Option(help: "x264's share of the delay: normal, or low (sliced threads, short lookahead, no B-frames), as live jobs use it.")
    var latency: String = "normal"

    @Option(help: "Product cards to burn into every rendition and announce as EXT-X-DATERANGEs (JSON, see docs/cards.md).")
    var cards: String?

    @Option(help: "Scaling filter: bicubic, bilinear, fast-bilinear or area.")
    var scaler: String = "bicubic"

    @Flag(help: "Print one JSON progress object per line on stdout instead of a progress bar.")
    var json = false

    static let scalers: [String: Int32] = [
        "bicubic": SWS_BICUBIC, "bilinear": SWS_BILINEAR, "fast-bilinear": SWS_FAST_BILINEAR, "area": SWS_AREA,
    ]

    func run() throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        FFmpegLog.quiet()
        var logger = Logger(label: "vitrine.transcode")
        logger.logLevel = json ? .warning : .notice
        do {
            let settings = try makeSettings()
            let reporter = ProgressReporter(json: json)
            let report = try TranscodeJob(settings: settings, logger: logger).run(progress: reporter.update)
            reporter.finish(report)
        } catch let error as TranscodeError {
            FileHandle.standardError.write(Data("vitrine: error: \(error.description)\n".utf8))
            throw ExitCode(error.exitCode)
        }
    }

    private func makeSettings() throws -> TranscodeSettings {
        var settings = TranscodeSettings(input: input, outputDirectory: output)
        settings.rungs = try ladder.rungs()
        let checked = try encoding.validated()
        settings.segmentDuration = checked.segmentDuration
        settings.preset = checked.preset
        settings.encoderThreads = checked.threads
        guard let latency = EncoderLatency(rawValue: latency) else {
            throw TranscodeError.invalidArgument("--latency \(self.latency): expected normal or low")
        }
        settings.latency = latency
        settings.format = try ladder.format()
        guard let flags = Self.scalers[scaler] else {
            throw TranscodeError.invalidArgument("--scaler \(scaler): expected one of \(Self.scalers.keys.sorted().joined(separator: ", "))")
        }
        settings.scalerFlags = flags
        if let cards { try settings.loadCards(cards) }
        return settings
    }
}
