// Builds the parts of `vitrine serve` (data folder, token, keys, job store, live ingest, job
// supervisor) and runs them as one service group (ServeServices) until SIGTERM/SIGINT.
import Dispatch
import Foundation
import Logging
import VitrineHLS
import VitrineMedia
import VitrineJobs
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
        // Large buffers (a job process's frames, up to 16 MiB; segments) always from mmap, so
        // they go back to the system when freed. glibc otherwise raises its mmap threshold after
        // the first such free, and later ones stay in per-thread arenas for good: a job process
        // that sent 48 frames of 8 MiB left serve 190 MiB larger for the rest of its life.
        LargeBuffers.returnToTheSystem()
        // Every connection is a descriptor: the caps must fit the open-file limit.
        let c = OpenFileLimit.prepare(configuration, logger: logger)
        let rtmpAddress = try ListenAddress(c.rtmp, field: "rtmp")
        let httpAddress = try ListenAddress(c.http, field: "http")
        var settings = try liveSettings()
        let metrics = ServeMetrics()
        settings.segmentLatency = { metrics.segmentPublishLag.recordSeconds($0) }
        let memory = LiveHLSMemory()
        settings.memory = memory
        // Each job, file or live, in a job process of its own: a file or a publisher that crashes
        // FFmpeg or us ends that job only (a live one is restarted from the next keyframe).
        var options = JobProcessOptions(
            executable: JobProcessOptions.thisExecutable(),
            memoryLimitBytes: c.jobMemoryMiB.map { UInt64($0) << 20 } ?? JobProcessOptions.defaultMemoryLimit(concurrentJobs: c.maxJobs),
            watchdogSeconds: c.jobWatchdogSeconds)
        options.hlsMemoryBudgetBytes = c.hlsMemoryBudgetMiB << 20
        let jobOptions = options
        // VITRINE_IN_PROCESS_JOBS=1 is the benchmarks' reference (Benchmarks/chaos.sh): the old
        // in-process path, to measure what the split costs. Never for production.
        let inProcess = ProcessInfo.processInfo.environment["VITRINE_IN_PROCESS_JOBS"] == "1"
        if !inProcess { settings.jobFactory = { LiveJobProcess(context: $0, options: jobOptions) } }
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
        let store: JobStore
        if let url = c.database {
            store = try blocking { try await PostgresJobStore(url: url) }
        } else {
            store = try SQLiteJobStore(path: (c.dataDirectory as NSString).appendingPathComponent("vitrine.sqlite"))
        }
        let ingest = LiveIngest(settings: settings, playbackIDs: Dictionary(uniqueKeysWithValues: keys.all.map { ($0.key, $0.playbackID) }),
                                logger: Logger(label: "vitrine.live"))
        ingest.recoverLeftovers()
        for (index, key) in c.streamKeys.enumerated() {
            // The key is a secret: log which one it is, never its value.
            logger.notice("stream key ready", metadata: ["key": "#\(index + 1)", "playbackId": "\(keys.playbackID(forKey: key) ?? "")"])
        }
        var rtmpConfiguration = RTMPServer.Configuration()
        rtmpConfiguration.host = rtmpAddress.host
        rtmpConfiguration.port = rtmpAddress.port
        rtmpConfiguration.session.applications = ["live"]
        rtmpConfiguration.maxConnections = c.rtmpMaxConnections
        rtmpConfiguration.maxConnectionsPerAddress = c.rtmpMaxConnectionsPerAddress
        let server = RTMPServer(configuration: rtmpConfiguration, delegate: ingest, logger: Logger(label: "vitrine.rtmp"))
        let supervisor = JobSupervisor(store: store, storeIsShared: c.database != nil, configuration: c, ingest: ingest, metrics: metrics,
                                       launcher: inProcess ? .inProcess : .process(jobOptions), disconnect: { server.disconnect(connectionID: $0) }, logger: Logger(label: "vitrine.jobs"))
        var events = LiveIngest.Events()
        events.mayStart = { supervisor.hasCapacity }
        events.didStart = { supervisor.liveJobStarted($0) }
        events.didEnd = { supervisor.liveJobEnded($0, reason: $1) }
        events.takeBinding = { supervisor.takeBinding(key: $0) }
        events.didReceive = { metrics.bytesReceived.increment(by: $0) }
        events.didFail = { job, why in server.failPublish(connectionID: job.connectionID, reason: why) }
        ingest.events = events
        let readiness = Readiness()
        let rtmpService = RTMPIngestService(server: server, ingest: ingest, readiness: readiness, address: rtmpAddress)
        let viewers = ViewerCounter()
        let sessions = ViewerSessions(counter: viewers, tokens: try ViewerTokens.load(dataDirectory: c.dataDirectory),
                                      mintsPerAddressPerMinute: c.viewerTokensPerAddressPerMinute)
        let control = ControlRoutes(supervisor: supervisor, keys: keys, token: token, rtmpAddress: { rtmpService.listenAddress },
                                    viewers: viewers)
        let group = ServeServices.group(http: httpAddress, origin: HLSOrigin(root: settings.hlsDirectory, memory: memory, viewers: sessions),
                                        control: control,
                                        metrics: metrics, rtmp: rtmpService, readiness: readiness, logger: logger)
        do {
            try blocking { try await group.run() }
        } catch let error as ConfigurationError {
            throw error
        } catch {
            // A listener that cannot bind, or a service that failed: the group already stopped the rest.
            throw ConfigurationError("cannot serve (http \(c.http), rtmp \(c.rtmp)): \(error)")
        }
        logger.notice("stopped")
    }

    /// The live jobs' settings (values already checked by ServeConfiguration.validate()).
    private func liveSettings() throws -> LiveSettings {
        let c = configuration
        var settings = LiveSettings(dataDirectory: c.dataDirectory)
        if let ladder = c.ladder { settings.rungs = try Ladder.parse(ladder) }
        settings.segmentDuration = c.segmentDuration
        settings.preset = c.preset
        settings.listSize = c.listSize
        settings.format = SegmentFormat(rawValue: c.liveFormat) ?? .fmp4
        // Parts are fMP4 fragments: TS segments are listed whole.
        settings.partTarget = settings.format == .fmp4 && c.partTargetSeconds > 0 ? c.partTargetSeconds : nil
        settings.latency = EncoderLatency(rawValue: c.latency) ?? .normal
        settings.graceSeconds = c.graceSeconds
        settings.record = c.record
        if let cards = c.cards {
            settings.cards = try CardsOption.load(path: cards, wallClockOrigin: Date())
            settings.cardsFile = (cards as NSString).isAbsolutePath ? cards
                : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(cards)
        }
        return settings
    }
}
