// Starts the parts of `vitrine serve` in order (store, RTMP, HTTP), waits for SIGTERM/SIGINT, and
// stops them in reverse: no new publishes, live jobs flushed and their playlists ended, file jobs
// stopped, then HTTP, so players can still fetch the playlists that just ended.
import Dispatch
import Foundation
import Logging
import VitrineMedia
import VitrinePipeline
import VitrineRTMP
import VitrineServer
import VitrineStore
import CoreMetrics

struct ServeRunner {
    let configuration: ServeConfiguration
    private let logger = Logger(label: "vitrine.serve")

    init(configuration: ServeConfiguration) {
        self.configuration = configuration
    }

    func run() throws {
        let c = configuration
        let rtmpAddress = try ListenAddress(c.rtmp, field: "rtmp")
        let httpAddress = try ListenAddress(c.http, field: "http")
        var settings = try liveSettings()
        let metrics = ServeMetrics()
        settings.segmentLatency = { metrics.segmentPublishLag.recordSeconds($0) }
        let fm = FileManager.default
        try fm.createDirectory(atPath: settings.hlsDirectory, withIntermediateDirectories: true)
        if c.inputDirectories.isEmpty {
            try fm.createDirectory(atPath: JobSupervisor.defaultInputFolder(c), withIntermediateDirectories: true)
        }
        let token = try APIToken.resolve(configured: c.apiToken, dataDirectory: c.dataDirectory)
        if token.isNew {
            // Printed once, at the first start: the operator copies it from here.
            print("API token (kept in \((c.dataDirectory as NSString).appendingPathComponent("api-token"))): \(token.value)")
            fflush(stdout)
        }
        let keys = try StreamKeyBook(dataDirectory: c.dataDirectory, configured: c.streamKeys)
        let store = try SQLiteJobStore(path: (c.dataDirectory as NSString).appendingPathComponent("vitrine.sqlite"))
        let ingest = LiveIngest(settings: settings, playbackIDs: Dictionary(uniqueKeysWithValues: keys.all.map { ($0.key, $0.playbackID) }),
                                logger: Logger(label: "vitrine.live"))
        for (index, key) in c.streamKeys.enumerated() {
            // The key is a secret: log which one it is, never its value.
            logger.notice("stream key ready", metadata: ["key": "#\(index + 1)", "playbackId": "\(keys.playbackID(forKey: key) ?? "")"])
        }
        var rtmpConfiguration = RTMPServer.Configuration()
        rtmpConfiguration.host = rtmpAddress.host
        rtmpConfiguration.port = rtmpAddress.port
        rtmpConfiguration.session.applications = ["live"]
        let server = RTMPServer(configuration: rtmpConfiguration, delegate: ingest, logger: Logger(label: "vitrine.rtmp"))
        let supervisor = JobSupervisor(store: store, configuration: c, ingest: ingest, metrics: metrics,
                                       disconnect: { server.disconnect(connectionID: $0) }, logger: Logger(label: "vitrine.jobs"))
        var events = LiveIngest.Events()
        events.mayStart = { supervisor.hasCapacity }
        events.didStart = { supervisor.liveJobStarted($0) }
        events.didEnd = { supervisor.liveJobEnded($0, reason: $1) }
        events.didReceive = { metrics.bytesReceived.increment(by: $0) }
        ingest.events = events
        try blocking { try await supervisor.recover() }

        let readiness = Readiness()
        let boundRTMP: Int
        do {
            boundRTMP = try blocking { try await server.start() }
        } catch {
            throw ConfigurationError("rtmp \(c.rtmp): cannot listen: \(error)")
        }
        readiness.rtmpDidStart()
        let control = ControlRoutes(supervisor: supervisor, keys: keys, token: token,
                                    rtmpAddress: ListenAddress(host: rtmpAddress.host, port: boundRTMP))
        let origin = HLSOrigin(root: settings.hlsDirectory)
        let http = HTTPServer(host: httpAddress.host, port: httpAddress.port, origin: origin, readiness: readiness,
                              control: control, metrics: metrics, logger: Logger(label: "vitrine.http"))
        do {
            _ = try blocking { try await http.start() }
        } catch {
            try? blocking { try await server.stop() }
            ingest.shutdown()
            throw ConfigurationError("http \(c.http): cannot listen: \(error)")
        }
        Self.waitForTerminationSignal()
        logger.notice("shutting down")
        readiness.shutdownBegan()
        try? blocking { try await server.stop() }
        ingest.shutdown()
        supervisor.shutdown()
        // HTTP stops last, so players can still fetch the playlists that now end.
        try? blocking { await http.stop() }
        logger.notice("stopped")
    }

    private func liveSettings() throws -> LiveSettings {
        let c = configuration
        var settings = LiveSettings(dataDirectory: c.dataDirectory)
        if let ladder = c.ladder { settings.rungs = try Ladder.parse(ladder) }
        guard c.segmentDuration.isFinite, (1...10).contains(c.segmentDuration) else {
            throw ConfigurationError("segmentDuration \(c.segmentDuration): expected 1 to 10 seconds")
        }
        settings.segmentDuration = c.segmentDuration
        guard TranscodeSettings.presets.contains(c.preset) else {
            throw ConfigurationError("preset \(c.preset): expected one of \(TranscodeSettings.presets.joined(separator: ", "))")
        }
        settings.preset = c.preset
        guard (2...100).contains(c.listSize) else { throw ConfigurationError("listSize \(c.listSize): expected 2 to 100") }
        settings.listSize = c.listSize
        guard c.graceSeconds.isFinite, (0...3600).contains(c.graceSeconds) else {
            throw ConfigurationError("graceSeconds \(c.graceSeconds): expected 0 to 3600 seconds")
        }
        settings.graceSeconds = c.graceSeconds
        settings.record = c.record
        if let cards = c.cards { settings.cards = try CardsOption.load(path: cards, wallClockOrigin: Date()) }
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
