// ShowReport.swift - the merchant's report of one show, live or replay, from what Vitrine itself
// saw: each product's time on screen, its price and stock over time, the poll results, and the
// viewers at this origin over time (and while each product was on screen). Times are seconds on
// the show's clock (second 0 = `origin`, the clock the DATERANGEs count from) with their dates.
import Foundation

public struct ShowReport: Codable, Sendable, Equatable {
    public var jobID: String
    public var origin: Date
    /// Where the report ends on the show's clock: the media's end, or now for a running show.
    public var end: Double
    public var products: [Product]
    public var audience: Audience

    /// One product card or overlay as an operator addresses it (its API id): every revision an
    /// operator's change made, and every new showing after a hide, are merged under it.
    public struct Product: Codable, Sendable, Equatable {
        public var id: String
        public var kind: String
        public var sku: String
        /// The card's headline: title, question, prize, or text.
        public var label: String
        public var intervals: [Interval]
        public var totalSeconds: Double
        /// The price when the card appeared and after every change (drops included).
        public var prices: [PricePoint]
        /// Stock line and sold-out flag when the card appeared and after every change.
        public var stock: [StockPoint]
        /// A poll's counts when it closed (or as it stands, if still open).
        public var poll: PollResult?
        /// Live shows: the clip cut of each showing once it ended (LiveClips).
        public var clips: [LiveClip]? = nil
    }

    /// Attaches the live clips made so far to their products.
    public mutating func attach(_ clips: [LiveClip]) {
        for index in products.indices {
            let own = clips.filter { $0.cardID == products[index].id }
            if !own.isEmpty { products[index].clips = own }
        }
    }

    public struct Interval: Codable, Sendable, Equatable {
        public var start: Double
        public var end: Double
        public var startDate: Date
        public var endDate: Date
        /// Concurrent viewers while it was on screen: the most, and on average.
        public var peakViewers: Int
        public var averageViewers: Double
    }

    public struct PricePoint: Codable, Sendable, Equatable {
        public var at: Double
        public var amount: String
        public var compareAt: String?
        public var currency: String
    }

    public struct StockPoint: Codable, Sendable, Equatable {
        public var at: Double
        public var stock: String?
        public var soldOut: Bool
    }

    public struct PollResult: Codable, Sendable, Equatable {
        public var question: String
        public var closed: Bool
        public var options: [Option]
        /// The option(s) with the most votes; several on a tie, none before any vote.
        public var winners: [String]

        public struct Option: Codable, Sendable, Equatable {
            public var label: String
            public var votes: Int
            public var percent: Int
        }
    }

    /// Concurrent viewers counted at this origin (ViewerPresence says what a viewer is).
    public struct Audience: Codable, Sendable, Equatable {
        /// How a viewer was recognised, in words, for whoever reads the report.
        public var definition: String
        public var sessions: Int
        public var peak: Int
        public var peakAt: Double?
        /// Viewers every `step` seconds from 0 to `end`.
        public var step: Double
        public var samples: [Sample]
    }

    public struct Sample: Codable, Sendable, Equatable {
        public var at: Double
        public var viewers: Int
    }
}
