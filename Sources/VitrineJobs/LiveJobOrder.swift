// What one live job process is asked to do: the publish's job id, stream and settings, the cards
// it starts with, and (after a crash) the ladder its stream already fixed. Like FileJobOrder it is
// all values; the access units follow as binary frames.
import Foundation
import Logging
import VitrineOverlay
import VitrinePipeline

public struct LiveJobOrder: Codable, Sendable, Equatable {
    public var jobID: String
    public var connectionID: UInt64
    public var playbackID: String
    public var dataDirectory: String
    public var encoding: EncodingSettings
    public var listSize: Int
    public var inboxCapacity: Int
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
    /// After a crash: the cards as the operator left them, and when their clock read zero.
    public var cardsState: CardControl.State?
    public var cardClockStart: CardClockStart?

    init(_ context: LiveJobContext, startedAt: Date) {
        let s = context.settings
        jobID = context.jobID
        connectionID = context.connectionID
        playbackID = context.playbackID
        dataDirectory = s.dataDirectory
        encoding = s.encoding
        listSize = s.listSize
        inboxCapacity = s.inboxCapacity
        cardsFile = s.cardsFile
        bindingCards = context.bindingCards
        fixedLadder = context.fixedLadder
        self.startedAt = startedAt
        attempt = 1
    }

    /// The settings the job process runs with; loads the cards (decoding their images).
    func settings(memory: LiveHLSMemory) throws -> LiveSettings {
        var s = LiveSettings(dataDirectory: dataDirectory)
        s.encoding = encoding
        s.listSize = listSize
        s.inboxCapacity = inboxCapacity
        s.memory = memory
        s.cardsFile = cardsFile
        if let cardsFile { s.cards = try CardsOption.load(path: cardsFile, wallClockOrigin: startedAt) }
        return s
    }

    /// The cards the job starts with besides the configured ones (`settings.cards`): a key-bound
    /// job's own. After a crash, every card as the process before left it, and `settings.cards`
    /// is cleared (the state holds them, changes included); each card's image resolves where it
    /// came from, the cards file's folder or the images folder. A card whose image is gone since
    /// is left out, and named in the log.
    func startingCards(_ settings: inout LiveSettings, logger: Logger) throws -> [ResolvedCard] {
        let images = URL(fileURLWithPath: settings.cardImagesDirectory)
        guard let state = cardsState else {
            guard let bindingCards else { return [] }
            return try CardsFile.load(Data(bindingCards.utf8), imageDirectory: images, wallClockOrigin: startedAt)
        }
        let configured = settings.cards
        settings.cards = nil
        let configuredIDs = Set(configured?.allCards.map(\.id) ?? [])
        let others = Timeline(imageDirectory: images, wallClockOrigin: startedAt)
        return state.cards.compactMap { card in
            let from = configuredIDs.contains(CardControl.apiID(of: card.id)) ? configured ?? others : others
            do {
                return try from.validator.resolve(card)
            } catch {
                logger.error("a card could not be restored after the crash", metadata: ["card": "\(card.id)", "error": "\(error)"])
                return nil
            }
        }
    }
}
