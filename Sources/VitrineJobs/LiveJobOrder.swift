// What one live job process is asked to do: the publish's job id, stream and settings, the cards
// it starts with, and (after a crash) the ladder its stream already fixed. Like FileJobOrder it is
// all values; the access units follow as binary frames.
import Foundation
import VitrineOverlay
import VitrinePipeline

public struct LiveJobOrder: Codable, Sendable, Equatable {
    public var jobID: String
    public var connectionID: UInt64
    public var playbackID: String
    public var dataDirectory: String
    public var rungs: [Rung]?
    public var segmentDuration: Double
    public var listSize: Int
    public var preset: String
    public var encoderThreads: Int?
    public var laneQueueDepth: Int
    public var inboxCapacity: Int
    public var scalerFlags: Int32
    /// The server's cards file (every live job burns it), and a key-bound job's own cards (JSON).
    public var cardsFile: String?
    public var bindingCards: String?
    /// The renditions an earlier publish (or the process before a crash) fixed.
    public var fixedLadder: LiveLadder?
    /// When the publish started: second 0 of its cards, kept across restarts.
    public var startedAt: Date
    /// The publisher's declared frame rate, resent to a restarted process.
    public var frameRate: Double?
    /// 1 for the first process of this publish, 2 after one crash, ...
    public var attempt: Int

    init(_ context: LiveJobContext, startedAt: Date) {
        let s = context.settings
        jobID = context.jobID
        connectionID = context.connectionID
        playbackID = context.playbackID
        dataDirectory = s.dataDirectory
        rungs = s.rungs
        segmentDuration = s.segmentDuration
        listSize = s.listSize
        preset = s.preset
        encoderThreads = s.encoderThreads
        laneQueueDepth = s.laneQueueDepth
        inboxCapacity = s.inboxCapacity
        scalerFlags = s.scalerFlags
        cardsFile = s.cardsFile
        bindingCards = context.bindingCards
        fixedLadder = context.fixedLadder
        self.startedAt = startedAt
        attempt = 1
    }

    /// The settings the job process runs with; loads the cards (decoding their images).
    func settings(memory: LiveHLSMemory) throws -> LiveSettings {
        var s = LiveSettings(dataDirectory: dataDirectory)
        s.rungs = rungs
        s.segmentDuration = segmentDuration
        s.listSize = listSize
        s.preset = preset
        s.encoderThreads = encoderThreads
        s.laneQueueDepth = laneQueueDepth
        s.inboxCapacity = inboxCapacity
        s.scalerFlags = scalerFlags
        s.memory = memory
        s.cardsFile = cardsFile
        if let cardsFile { s.cards = try CardsOption.load(path: cardsFile, wallClockOrigin: startedAt) }
        return s
    }

    /// A key-bound job's starting cards.
    func initialCards(imagesDirectory: String) throws -> [ResolvedCard] {
        guard let bindingCards else { return [] }
        return try CardsFile.load(Data(bindingCards.utf8), imageDirectory: URL(fileURLWithPath: imagesDirectory), wallClockOrigin: startedAt)
    }
}
