// One stream key's live HLS, across publishes: its playback id and folder, the ladder fixed by
// its first publish, one live output per rendition, the master playlist (written once every
// rendition has a segment), and the grace period after a publisher drops: a reconnect within it
// continues the playlists after a discontinuity; after it, they get EXT-X-ENDLIST.
import Dispatch
import Foundation
import Logging
import VitrineHLS
import VitrineOverlay

public final class LiveStream: @unchecked Sendable {
    struct Rendition {
        var spec: RenditionSpec?
        var output: LiveRenditionOutput
    }

    let playbackID: String
    let directory: String
    private let settings: LiveSettings
    private var logger: Logger
    private let lock = NSLock()
    private var renditionList: [Rendition]?
    private var hasAudio = false
    private var framesPerSecond: Double?
    private var current: (any LiveJobRunning)?
    private var last: (any LiveJobRunning)?
    /// The ladder a job in a job process fixed (its outputs live there, not here).
    private var remoteLadder: LiveLadder?
    private var grace: DispatchWorkItem?
    private var masterWritten = false
    /// Each rendition's last segment and part, for the others' EXT-X-RENDITION-REPORTs.
    private let edges = LiveEdges()
    /// Told the ladder once the first publish fixes it (a job process tells its supervisor).
    public var ladderObserver: (@Sendable (LiveLadder) -> Void)?

    /// `ladder`: the renditions an earlier process fixed (a job process continuing a stream).
    public init(playbackID: String, settings: LiveSettings, ladder: LiveLadder? = nil, logger: Logger) {
        self.playbackID = playbackID
        remoteLadder = ladder
        self.settings = settings
        directory = (settings.hlsDirectory as NSString).appendingPathComponent(playbackID)
        var logger = logger
        logger[metadataKey: "playback"] = "\(playbackID)"
        self.logger = logger
    }

    /// True once a publish fixed this key's ladder: later publishes keep it.
    var hasLadder: Bool { lock.withLock { renditionList != nil || remoteLadder != nil } }

    var masterPath: String { (directory as NSString).appendingPathComponent(MasterPlaylistFile.name) }

    /// A publish was accepted on this key: cancels a pending end, and starts a job that waits for
    /// the previous one to flush.
    func startJob(connectionID: UInt64, binding: LiveJobBinding? = nil) -> any LiveJobRunning {
        lock.withLock {
            grace?.cancel()
            grace = nil
            var jobSettings = settings
            if let binding {
                if let rungs = binding.rungs { jobSettings.rungs = rungs }
                if let duration = binding.segmentDuration { jobSettings.segmentDuration = duration }
                if let latency = binding.latency { jobSettings.latency = latency }
            }
            let job: any LiveJobRunning
            if let factory = settings.jobFactory {
                job = factory(LiveJobContext(
                    jobID: binding?.jobID ?? "live-" + PlaybackIDs.makeID(), connectionID: connectionID, playbackID: playbackID,
                    settings: jobSettings, bindingCards: binding?.cardsFile, fixedLadder: remoteLadder ?? localLadder,
                    previous: last, logger: logger,
                    ladderFixed: { [weak self] ladder in self?.adopt(ladder) },
                    didFinish: { [weak self] job in self?.jobDidFinish(job) }))
            } else {
                job = LiveJob(stream: self, connectionID: connectionID, settings: jobSettings, previous: last,
                              id: binding?.jobID, initialCards: binding?.cards ?? [], logger: logger)
            }
            current = job
            last = job
            return job
        }
    }

    /// A job process's one job: the media work of a publish its supervisor hands it, under the
    /// supervisor's job id and publish start (so card times hold across a restart).
    public func startJobHere(id: String, connectionID: UInt64, initialCards: [ResolvedCard], startedAt: Date,
                             cardClockStart: CardClockStart? = nil) -> LiveJob {
        lock.withLock {
            let job = LiveJob(stream: self, connectionID: connectionID, settings: settings, previous: nil,
                              id: id, initialCards: initialCards, startedAt: startedAt, cardClockStart: cardClockStart, logger: logger)
            current = job
            last = job
            return job
        }
    }

    /// The ladder of outputs made here, as a job process needs it (lock held).
    private var localLadder: LiveLadder? {
        renditionList.map { LiveLadder(specs: $0.compactMap(\.spec)) }
    }

    /// A job process fixed this key's ladder.
    private func adopt(_ ladder: LiveLadder) {
        lock.withLock { if remoteLadder == nil { remoteLadder = ladder } }
    }

    /// Told by a job process that continues this stream: the renditions are already fixed.
    var fixedLadder: LiveLadder? { lock.withLock { remoteLadder } }

    /// The renditions every publish on this key encodes: fixed by the first one that asks.
    func renditions(proposed: [RenditionSpec], audioOnly: Bool) throws -> [Rendition] {
        try lock.withLock {
            if let renditionList { return renditionList }
            let made: [Rendition]
            if let fixed = remoteLadder {
                // A job process continuing a stream: the ladder its first publish fixed.
                made = fixed.audioOnly ? [Rendition(spec: nil, output: try output("audio"))]
                    : try fixed.specs.map { Rendition(spec: $0, output: try output($0.name)) }
            } else if audioOnly {
                made = [Rendition(spec: nil, output: try output("audio"))]
            } else {
                made = try proposed.map { Rendition(spec: $0, output: try output($0.name)) }
            }
            renditionList = made
            if remoteLadder == nil { ladderObserver?(LiveLadder(specs: made.compactMap(\.spec))) }
            return made
        }
    }

    /// Called by a job once its lanes exist, for the master playlist's attributes.
    func describe(audio: Bool, framesPerSecond: Double) {
        lock.withLock {
            hasAudio = audio
            if self.framesPerSecond == nil { self.framesPerSecond = framesPerSecond }
        }
    }

    private func output(_ name: String) throws -> LiveRenditionOutput {
        let output = try LiveRenditionOutput(name: name, root: directory, listSize: settings.listSize, format: settings.format,
                                             partTarget: settings.partTarget, edges: edges, memory: settings.memory, logger: logger)
        output.onListed = { [weak self] in self?.writeMasterIfReady() }
        output.onLatency = settings.segmentLatency
        return output
    }

    /// The master names every rendition, so it appears only once each has a segment to play.
    private func writeMasterIfReady() {
        lock.withLock {
            guard !masterWritten, let renditionList, renditionList.allSatisfy({ $0.output.hasSegments }) else { return }
            let reports = renditionList.map {
                RenditionReport.estimated(name: $0.output.name, spec: $0.spec, videoCodec: $0.output.videoCodec, audio: hasAudio,
                                          frameRate: framesPerSecond)
            }
            do {
                let text = try MasterPlaylistFile.write(reports, version: 3, in: directory).text
                settings.memory?.put("\(playbackID)/\(MasterPlaylistFile.name)", Array(text.utf8))
                masterWritten = true
                logger.notice("live", metadata: ["master": "\(masterPath)"])
            } catch {
                logger.error("cannot write the master playlist", metadata: ["error": "\(error)"])
            }
        }
    }

    /// A job flushed. If it is still the current one, the grace period starts.
    func jobDidFinish(_ job: any LiveJobRunning) {
        let failed: [LiveRenditionOutput]? = lock.withLock {
            guard current === job else { return nil }
            current = nil
            // A failed job's show is over: no reconnect would fix a full disk or a bad picture.
            guard job.error == nil else { return renditionList?.map(\.output) ?? [] }
            let item = DispatchWorkItem { [weak self] in self?.graceExpired() }
            grace = item
            DispatchQueue.global().asyncAfter(deadline: .now() + settings.graceSeconds, execute: item)
            logger.info("publisher gone; playlists stay live for the grace period", metadata: ["grace": "\(settings.graceSeconds)"])
            return nil
        }
        if let failed {
            endPlaylists(failed)
            logger.notice("live job failed: EXT-X-ENDLIST written")
        }
    }

    private func graceExpired() {
        let outputs: [LiveRenditionOutput]? = lock.withLock {
            guard current == nil, grace != nil else { return nil }
            grace = nil
            return renditionList?.map(\.output) ?? []
        }
        guard let outputs else { return }
        endPlaylists(outputs)
        logger.notice("stream ended: EXT-X-ENDLIST written")
    }

    private func endPlaylists(_ outputs: [LiveRenditionOutput]) {
        for output in outputs {
            do { try output.end() } catch { logger.error("cannot end a playlist", metadata: ["error": "\(error)"]) }
        }
        endRemotePlaylists()
    }

    /// The playlists a job process wrote: EXT-X-ENDLIST appended to the files, memory told, and
    /// the segments that left them deleted after their safety time.
    private func endRemotePlaylists() {
        guard let ladder = lock.withLock({ renditionList == nil ? remoteLadder : nil }) else { return }
        for name in ladder.renditionNames {
            let path = (directory as NSString).appendingPathComponent("\(name)/index.m3u8")
            let served = "\(playbackID)/\(name)/"
            // The ended playlist replaces the live one; with none on disk (a job that failed before
            // its first segment) the live one goes, so no player waits on a part never cut. The
            // delta update is of the live playlist: it goes either way.
            if let playlist = LiveLeftovers.end(path, logger: logger) {
                settings.memory?.put(served + HLSFileNames.mediaPlaylist, playlist)
            } else {
                settings.memory?.remove(served + HLSFileNames.mediaPlaylist)
            }
            settings.memory?.remove(served + HLSFileNames.deltaPlaylist)
            settings.memory?.dropSegments(under: served)
        }
        _ = LiveLeftovers.scan(settings.hlsDirectory, only: playbackID, logger: logger)
    }

    /// Deletes segments whose safety time after leaving the window has passed.
    func sweep() {
        for output in lock.withLock({ renditionList?.map(\.output) ?? [] }) { output.sweep() }
    }

    /// Shutdown: waits for the current job (already told to end) and ends the playlists now.
    func shutdown() {
        let job = lock.withLock { () -> (any LiveJobRunning)? in
            grace?.cancel()
            grace = nil
            return last
        }
        job?.finished.wait()
        endPlaylists(lock.withLock { renditionList?.map(\.output) ?? [] })
    }
}
