// ShowReport+Make.swift - builds a report from a show's record (its cards, on the cards' clock)
// and the viewers' presence at the origin. Pure: the same record and presence give the same
// report, whether the API, the CLI or a test asks.
import Foundation
import VitrineOverlay

extension ShowReport {
    /// Audience samples a report holds at most: a long show is sampled more coarsely.
    public static let maxSamples = 2000

    /// `now`: for a running show, where the report ends (cards still on screen end there).
    public static func make(record: ShowRecord, presence: [ViewerPresence], now: Date? = nil) -> ShowReport {
        let clockNow = now.map { $0.timeIntervalSince(record.origin) }
        let end = max(0, [record.mediaEnd, clockNow].compactMap { $0 }.min() ?? record.cards.map { $0.end ?? $0.start }.max() ?? 0)
        let audience = Self.audience(presence, origin: record.origin, end: end)
        // Revisions (`ID~r2`) and new showings belong to the API id they show, in start order.
        var byID: [String: [Card]] = [:]
        var order: [String] = []
        for card in record.cards.sorted(by: { $0.start < $1.start }) {
            let id = CardControl.apiID(of: card.id)
            if byID[id] == nil { order.append(id) }
            byID[id, default: []].append(card)
        }
        let products = order.compactMap { id in
            product(id, byID[id] ?? [], origin: record.origin, end: end, presence: presence)
        }
        return ShowReport(jobID: record.jobID, origin: record.origin, end: end, products: products, audience: audience)
    }

    private static func product(_ id: String, _ revisions: [Card], origin: Date, end: Double, presence: [ViewerPresence]) -> Product? {
        guard let first = revisions.first else { return nil }
        var spans: [(start: Double, end: Double)] = []
        for card in revisions where card.start < end {
            let stop = min(CardSchedule.end(of: card, origin: origin) ?? end, end)
            guard stop > card.start else { continue }
            // A change starts its successor where the card ended: one interval on screen.
            if let last = spans.last, card.start - last.end < 0.001 {
                spans[spans.count - 1].end = max(last.end, stop)
            } else {
                spans.append((card.start, stop))
            }
        }
        guard !spans.isEmpty else { return nil }
        let intervals = spans.map { span -> Interval in
            let counts = stride(from: span.start, through: span.end, by: max(0.5, (span.end - span.start) / 200)).map { t in
                viewers(presence, at: origin.addingTimeInterval(t))
            }
            return Interval(start: span.start, end: span.end, startDate: origin.addingTimeInterval(span.start),
                            endDate: origin.addingTimeInterval(span.end), peakViewers: counts.max() ?? 0,
                            averageViewers: counts.isEmpty ? 0 : (Double(counts.reduce(0, +)) / Double(counts.count) * 10).rounded() / 10)
        }
        var prices: [PricePoint] = []
        var stock: [StockPoint] = []
        for card in revisions where card.start < end {
            if let price = card.content.price {
                let point = PricePoint(at: card.start, amount: price.amount, compareAt: price.compareAt, currency: price.currency)
                if prices.last.map({ ($0.amount, $0.compareAt, $0.currency) != (point.amount, point.compareAt, point.currency) }) ?? true {
                    prices.append(point)
                }
            }
            if stock.last.map({ ($0.stock, $0.soldOut) != (card.stock, card.soldOut) }) ?? (card.stock != nil || card.soldOut) {
                stock.append(StockPoint(at: card.start, stock: card.stock, soldOut: card.soldOut))
            }
        }
        var poll: PollResult?
        if case let .poll(content) = revisions.last(where: { $0.start < end })?.content {
            let percentages = PollContent.percentages(content.shares)
            poll = PollResult(question: content.question, closed: content.closed,
                              options: content.options.enumerated().map { .init(label: $1.label, votes: $1.votes, percent: percentages[$0]) },
                              winners: content.leaders.map { content.options[$0].label })
        }
        return Product(id: id, kind: first.kind.rawValue, sku: first.sku, label: label(of: first), intervals: intervals,
                       totalSeconds: (intervals.reduce(0) { $0 + $1.end - $1.start } * 1000).rounded() / 1000,
                       prices: prices, stock: stock, poll: poll)
    }

    static func label(of card: Card) -> String {
        switch card.content {
        case let .productCard(c): return c.title
        case let .priceTag(c): return c.price.amount
        case let .countdown(c): return c.label
        case let .banner(c): return c.text
        case let .poll(c): return c.question
        case let .question(c): return c.text
        case let .socialProof(c): return c.events.last ?? ""
        case let .giveaway(c): return c.prize
        case let .flashOffer(c): return c.title
        }
    }

    /// Sessions counting as viewers at `date`.
    static func viewers(_ presence: [ViewerPresence], at date: Date) -> Int {
        presence.filter { $0.isPresent(at: date) }.count
    }

    /// Viewers every `step` seconds over the show, with the peak.
    static func audience(_ presence: [ViewerPresence], origin: Date, end: Double) -> Audience {
        let step = max(1, (end / Double(maxSamples)).rounded(.up))
        let samples = stride(from: 0.0, through: end, by: step).map { t in
            Sample(at: t, viewers: viewers(presence, at: origin.addingTimeInterval(t)))
        }
        let peak = samples.max { $0.viewers < $1.viewers }
        return Audience(definition: ViewerPresence.definition, sessions: presence.count, peak: peak?.viewers ?? 0,
                        peakAt: (peak?.viewers ?? 0) > 0 ? peak?.at : nil, step: step, samples: samples)
    }
}
