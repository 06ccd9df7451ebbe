// `vitrine serve`: the RTMP ingest. Each static stream key publishes live HLS under
// DIR/hls/{playbackId}/ (the key itself never appears in a path), served over HTTP with --http;
// runs until SIGTERM or SIGINT, then ends every stream's playlists and exits 0.
import ArgumentParser
import Dispatch
import Foundation
import Logging
import VitrineMedia
import VitrinePipeline
import VitrineRTMP
import VitrineServer

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Take RTMP publishes and write each stream key's live HLS ladder.",
        discussion: "Publish to rtmp://HOST:PORT/live/STREAMKEY. Exit codes: 0 stopped by a signal; 64 bad arguments; 73 data folder not writable; 70 internal failure."
    )

    @Option(help: "RTMP listen address HOST:PORT (port 0 picks a free one; it is logged).")
    var rtmp: String = "127.0.0.1:1935"

    @Option(help: "HTTP listen address HOST:PORT for the HLS origin, /healthz and /readyz (port 0 picks a free one; it is logged). Without it, HLS is only written to DIR/hls.")
    var http: String?

    @Option(help: "Data folder: keys.json, hls/{playbackId}/, recordings/.")
    var data: String

    @Option(name: .customLong("stream-key"), help: "A stream key allowed to publish (repeat for more).")
    var streamKeys: [String] = []

    @Option(help: "Ladder as SIZE:BITRATE pairs (default: from the first publish's picture size).")
    var ladder: String?

    @OptionGroup var encoding: EncodingOptions

    @Option(help: "Segments in each live playlist.")
    var listSize: Int = 6

    @Option(help: "Seconds a dropped publisher has to reconnect before the playlists end.")
    var grace: Double = 10

    @Flag(help: "Record each publish's source as received to DIR/recordings/{playbackId}-{time}.flv.")
    var record = false

    @Option(help: "Product cards burned into every live job and announced as EXT-X-DATERANGEs; times count from the start of each publish (JSON, see docs/cards.md).")
    var cards: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    func run() throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level \(logLevel): expected trace, debug, info, notice, warning or error")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        FFmpegLog.quiet()
        let logger = Logger(label: "vitrine.serve")
        do {
            let (host, port) = try Self.listenAddress(rtmp, flag: "--rtmp")
            let httpAddress = try http.map { try Self.listenAddress($0, flag: "--http") }
            let settings = try makeSettings()
            try FileManager.default.createDirectory(atPath: settings.hlsDirectory, withIntermediateDirectories: true)
            let ids = try PlaybackIDs.load(keys: streamKeys, dataDirectory: data)
            let ingest = LiveIngest(settings: settings, playbackIDs: ids, logger: Logger(label: "vitrine.live"))
            for (index, key) in streamKeys.enumerated() {
                // The key is a secret: log which flag it came from, never its value.
                logger.notice("stream key ready", metadata: [
                    "key": "#\(index + 1)", "playbackId": "\(ids[key] ?? "")",
                    "playback": "\(ingest.masterPlaylist(forKey: key) ?? "")",
                ])
            }
            var configuration = RTMPServer.Configuration()
            configuration.host = host
            configuration.port = port
            configuration.session.applications = ["live"]
            let server = RTMPServer(configuration: configuration, delegate: ingest, logger: Logger(label: "vitrine.rtmp"))
            let readiness = Readiness()
            _ = try blocking { try await server.start() }
            readiness.rtmpDidStart()
            var httpServer: HTTPServer?
            if let (httpHost, httpPort) = httpAddress {
                let origin = HLSOrigin(root: settings.hlsDirectory)
                let started = HTTPServer(host: httpHost, port: httpPort, origin: origin, readiness: readiness, logger: Logger(label: "vitrine.http"))
                do {
                    _ = try blocking { try await started.start() }
                } catch {
                    try? blocking { try await server.stop() }
                    ingest.shutdown()
                    throw TranscodeError.invalidArgument("--http \(http ?? ""): cannot listen: \(error)")
                }
                httpServer = started
            }
            Self.waitForTerminationSignal()
            logger.notice("shutting down")
            readiness.shutdownBegan()
            try? blocking { try await server.stop() }
            ingest.shutdown()
            // HTTP stops last, so players can still fetch the playlists that now end.
            if let httpServer { try? blocking { await httpServer.stop() } }
            logger.notice("stopped")
        } catch let error as TranscodeError {
            FileHandle.standardError.write(Data("vitrine: error: \(error.description)\n".utf8))
            throw ExitCode(error.exitCode)
        } catch let error as CocoaError {
            FileHandle.standardError.write(Data("vitrine: error: data folder \(data): \(error.localizedDescription)\n".utf8))
            throw ExitCode(73)
        }
    }

    private static func listenAddress(_ text: String, flag: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port), colon != text.startIndex else {
            throw TranscodeError.invalidArgument("\(flag) \(text): expected HOST:PORT such as 127.0.0.1:\(flag == "--http" ? 8080 : 1935)")
        }
        return (String(text[..<colon]), port)
    }

    private func makeSettings() throws -> LiveSettings {
        guard !streamKeys.isEmpty else { throw TranscodeError.invalidArgument("give at least one --stream-key") }
        for (index, key) in streamKeys.enumerated() {
            do { _ = try StreamKey(key) } catch {
                throw TranscodeError.invalidArgument("--stream-key #\(index + 1): \(error)")
            }
        }
        var settings = LiveSettings(dataDirectory: data)
        if let ladder { settings.rungs = try Ladder.parse(ladder) }
        let checked = try encoding.validated()
        settings.segmentDuration = checked.segmentDuration
        settings.preset = checked.preset
        settings.encoderThreads = checked.threads
        guard (2...100).contains(listSize) else { throw TranscodeError.invalidArgument("--list-size \(listSize): expected 2 to 100") }
        settings.listSize = listSize
        guard grace.isFinite, (0...3600).contains(grace) else { throw TranscodeError.invalidArgument("--grace \(grace): expected 0 to 3600 seconds") }
        settings.graceSeconds = grace
        settings.record = record
        if let cards { settings.cards = try CardsOption.load(path: cards, wallClockOrigin: Date()) }
        return settings
    }

    /// Blocks the main thread until SIGTERM or SIGINT.
    private static func waitForTerminationSignal() {
        let received = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for signo in [SIGTERM, SIGINT] {
            signal(signo, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signo, queue: .global())
            source.setEventHandler { received.signal() }
            source.resume()
            sources.append(source)
        }
        received.wait()
        for source in sources { source.cancel() }
    }
}

/// Runs async work from this synchronous command and waits for it (the main thread has nothing
/// else to do; the work itself runs on NIO's threads).
func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: Result<T, Error>?
    Task {
        do { result = .success(try await body()) } catch { result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try result!.get()
}
