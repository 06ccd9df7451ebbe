// `vitrine serve`: the long-running worker. RTMP ingest (each stream key's live HLS under
// DATA/hls/{playbackId}/), file jobs from the API, the HLS origin, the /v1 control API, /metrics
// and /console over HTTP. Settings: defaults < config file < VITRINE_* variables < flags
// (docs/configuration.md). Runs until SIGTERM or SIGINT, then stops taking publishes, ends every
// job and playlist, and stops HTTP last.
import ArgumentParser
import Dispatch
import Foundation
import Logging
import VitrineMedia
import VitrinePipeline
import VitrineRTMP
import VitrineServer
import VitrineStore

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Take RTMP publishes and file jobs; serve HLS, the operator API, metrics and the console.",
        discussion: "Publish to rtmp://HOST:PORT/live/STREAMKEY. Exit codes: 0 stopped by a signal; 64 bad arguments or configuration; 73 data folder not writable; 70 internal failure."
    )

    @Option(help: "JSON configuration file (docs/configuration.md); VITRINE_CONFIG also names one.")
    var config: String?

    @Option(help: "HTTP listen address HOST:PORT (default 127.0.0.1:8080; port 0 picks a free one, logged).")
    var http: String?

    @Option(help: "RTMP listen address HOST:PORT (default 0.0.0.0:1935; port 0 picks a free one, logged).")
    var rtmp: String?

    @Option(help: "Data folder (default ./vitrine-data): keys.json, api-token, vitrine.sqlite, hls/, recordings/.")
    var data: String?

    @Option(help: "Job records in PostgreSQL (postgres://user@host:port/db), shared by several workers; default DATA/vitrine.sqlite.")
    var database: String?

    @Option(name: .customLong("input-dir"), help: "A folder file jobs may read from (repeat for more; default DATA/inputs).")
    var inputDirectories: [String] = []

    @Option(name: .customLong("stream-key"), help: "A stream key allowed to publish (repeat for more); keys can also be created through the API.")
    var streamKeys: [String] = []

    @Option(help: "Jobs (live and file) running at once; more are refused.")
    var maxJobs: Int?

    @Option(help: "Ladder as SIZE:BITRATE pairs (default: from each source's picture size).")
    var ladder: String?

    @Option(help: "Target segment duration in seconds.")
    var segmentDuration: Double?

    @Option(help: "x264 preset (ultrafast ... veryslow).")
    var preset: String?

    @Option(help: "Segments in each live playlist.")
    var listSize: Int?

    @Option(help: "Live segment format: fmp4 (CMAF, the default; needed for LL-HLS parts), or ts for old players.")
    var liveFormat: String?

    @Option(help: "LL-HLS: cut live fMP4 segments into parts of about this many seconds (0.2 to 1.0; default 0.333), with blocking playlist reloads; 0: no parts.")
    var partTarget: Double?

    @Option(help: "x264's share of the live delay: normal, or low (sliced threads, short lookahead, no B-frames).")
    var latency: String?

    @Option(help: "Seconds a dropped publisher has to reconnect before the playlists end.")
    var grace: Double?

    @Flag(help: "Record each publish's source as received to DATA/recordings/{playbackId}-{time}.flv.")
    var record = false

    @Option(help: "Product cards burned into every live job; times count from the start of each publish (JSON, see docs/cards.md).")
    var cards: String?

    @Option(help: "HTTP connections open at once from one address (an IPv4 address, an IPv6 /64; default 64); past it a new one is closed.")
    var httpMaxPerAddress: Int?

    @Option(help: "Seconds a response may go with the client taking none of it before its connection is closed (default 10).")
    var httpWriteTimeout: Double?

    @Option(help: "New viewer tokens one address is handed per minute (default 60); past it a player gets no token and is not counted.")
    var viewerTokensPerMinute: Int?

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String?

    @Option(help: "Log format: text or json (one object per line).")
    var logFormat: String?

    func run() throws {
        let settings: ServeConfiguration
        do {
            settings = try resolvedConfiguration()
        } catch {
            FileHandle.standardError.write(Data("vitrine: error: \(error)\n".utf8))
            throw ExitCode(64)
        }
        // Checked by validate() with the other fields.
        let level = Logger.Level(rawValue: settings.logLevel) ?? .info
        LogSetup.bootstrap(level: level, json: settings.logFormat == "json")
        FFmpegLog.quiet()
        do {
            try ServeRunner(configuration: settings).run()
        } catch let error as TranscodeError {
            FileHandle.standardError.write(Data("vitrine: error: \(error.description)\n".utf8))
            throw ExitCode(error.exitCode)
        } catch let error as ConfigurationError {
            FileHandle.standardError.write(Data("vitrine: error: \(error)\n".utf8))
            throw ExitCode(64)
        } catch let error as CocoaError {
            FileHandle.standardError.write(Data("vitrine: error: data folder \(settings.dataDirectory): \(error.localizedDescription)\n".utf8))
            throw ExitCode(73)
        } catch let error as JobStoreError {
            FileHandle.standardError.write(Data("vitrine: error: \(error)\n".utf8))
            throw ExitCode(73)
        }
    }

    /// Defaults, then the config file, then the environment, then these flags.
    func resolvedConfiguration() throws -> ServeConfiguration {
        let environment = ProcessInfo.processInfo.environment
        var c = try ServeConfiguration.load(file: config ?? environment["VITRINE_CONFIG"], environment: environment)
        if let http { c.http = http }
        if let rtmp { c.rtmp = rtmp }
        if let data { c.dataDirectory = data }
        if let database { c.database = database }
        if !inputDirectories.isEmpty { c.inputDirectories = inputDirectories }
        if !streamKeys.isEmpty { c.streamKeys += streamKeys }
        if let maxJobs { c.maxJobs = maxJobs }
        if let ladder { c.ladder = ladder }
        if let segmentDuration { c.segmentDuration = segmentDuration }
        if let preset { c.preset = preset }
        if let listSize { c.listSize = listSize }
        if let liveFormat { c.liveFormat = liveFormat }
        if let partTarget { c.partTargetSeconds = partTarget }
        if let latency { c.latency = latency }
        if let grace { c.graceSeconds = grace }
        if record { c.record = true }
        if let cards { c.cards = cards }
        if let httpMaxPerAddress { c.httpMaxConnectionsPerAddress = httpMaxPerAddress }
        if let httpWriteTimeout { c.httpWriteTimeoutSeconds = httpWriteTimeout }
        if let viewerTokensPerMinute { c.viewerTokensPerAddressPerMinute = viewerTokensPerMinute }
        if let logLevel { c.logLevel = logLevel }
        if let logFormat { c.logFormat = logFormat }
        try c.validate()
        return c
    }
}
