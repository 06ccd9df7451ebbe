// ShowReportTests.swift - the report from a show record and viewers' presence: a card shown twice
// gives two intervals, revisions merge into one, a price drop is in the price history, a closed
// poll gives its result, viewers are counted while present and not after, CSV is safe.
import Foundation
import Testing
@testable import VitrineOverlay
@testable import VitrinePipeline

@Suite struct ShowReportTests {
    let origin = Date(timeIntervalSince1970: 1_800_000_000)

    func tag(_ id: String, _ amount: String, start: Double, end: Double?, stock: String? = nil) -> Card {
        Card(id: id, sku: "BAG-7", content: .priceTag(PriceTagContent(price: PriceSpec(amount: amount, currency: "EUR", locale: "fr-FR"))),
             stock: stock, start: start, end: end)
    }

    func viewer(_ name: String, from: Double, to: Double) -> ViewerPresence {
        var presence = ViewerPresence(session: name)
        for t in stride(from: from, through: to, by: 2) { presence.saw(at: origin.addingTimeInterval(t)) }
        return presence
    }

    @Test func aCardShownTwiceGivesTwoIntervalsAndAPriceDropIsInTheHistory() throws {
        // Shown 10-20 s, its price dropped at 15 s (a revision), hidden, shown again 40-50 s.
        let cards = [tag("deal", "19.99", start: 10, end: 15), tag("deal~r2", "14.99", start: 15, end: 20, stock: "Only 3 left"),
                     tag("deal~r3", "14.99", start: 40, end: 50)]
        let report = ShowReport.make(record: ShowRecord(jobID: "j", origin: origin, mediaEnd: 60, cards: cards), presence: [])
        let deal = try #require(report.products.first)
        #expect(report.products.count == 1 && deal.id == "deal")
        #expect(deal.intervals.map { [$0.start, $0.end] } == [[10, 20], [40, 50]])
        #expect(deal.totalSeconds == 20)
        #expect(deal.prices.map(\.amount) == ["19.99", "14.99"] && deal.prices.map(\.at) == [10, 15])
        #expect(deal.stock.map(\.stock) == ["Only 3 left", nil], "\(deal.stock)")
    }

    @Test func viewersAreCountedWhilePresentAndTheProductsKnowWhoWatched() throws {
        let presence = [viewer("a", from: 0, to: 30), viewer("b", from: 5, to: 30), viewer("c", from: 12, to: 18)]
        let record = ShowRecord(jobID: "j", origin: origin, mediaEnd: 60, cards: [tag("deal", "9.99", start: 10, end: 20)])
        let report = ShowReport.make(record: record, presence: presence)
        let at = { (t: Double) in report.audience.samples.first { $0.at == t }?.viewers }
        #expect(at(1) == 1 && at(10) == 2 && at(15) == 3 && at(33) == 2 && at(45) == 0)
        #expect(report.audience.peak == 3 && report.audience.sessions == 3)
        let interval = try #require(report.products.first?.intervals.first)
        #expect(interval.peakViewers == 3 && interval.averageViewers >= 2 && interval.averageViewers <= 3)
    }

    @Test func aClosedPollGivesItsResultAndAnOpenOneItsStanding() throws {
        let open = Card(id: "p", sku: "TOTE", content: .poll(PollContent(question: "Colour?", options: [PollOption(label: "Red", votes: 1), PollOption(label: "Blue", votes: 3)])), start: 5, end: 9)
        var closed = open
        closed.id = "p~r2"
        closed.start = 9
        closed.end = 12
        closed.content = .poll(PollContent(question: "Colour?", options: [PollOption(label: "Red", votes: 2), PollOption(label: "Blue", votes: 6)], closed: true))
        let report = ShowReport.make(record: ShowRecord(jobID: "j", origin: origin, mediaEnd: 20, cards: [open, closed]), presence: [])
        let poll = try #require(report.products.first?.poll)
        #expect(poll.closed && poll.winners == ["Blue"] && poll.options.map(\.percent) == [25, 75])
        #expect(report.csv.contains("poll_result,p,poll,TOTE,Colour?"))
    }

    @Test func aRunningShowEndsNowAndAFlashOfferEndsByItself() throws {
        let offer = Card(id: "f", sku: "S", content: .flashOffer(FlashOfferContent(title: "Shirt", price: PriceSpec(amount: "5.00", currency: "USD", locale: "en-US"),
                                                                                   endsAt: .timeline(seconds: 30))), start: 20)
        let report = ShowReport.make(record: ShowRecord(jobID: "j", origin: origin, cards: [offer]), presence: [], now: origin.addingTimeInterval(100))
        #expect(report.end == 100)
        #expect(report.products.first?.intervals.map { [$0.start, $0.end] } == [[20, 30 + FlashOfferContent.endedSeconds]])
    }

    @Test func csvQuotesAndDefusesFormulas() {
        #expect(ShowReport.cell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(ShowReport.cell("-12.5") == "-12.5", "numbers stay numbers")
        #expect(ShowReport.cell("a,b") == "\"a,b\"")
    }

    /// A formula behind leading whitespace, or written with a full-width sign, is defused too;
    /// text that only contains a sign later, and plain numbers, are left alone.
    @Test(arguments: [
        "\t=1+1", " =1+1", "\r=1+1", "\n=1+1", "\r\n=1+1", "\u{A0}=1+1", "\u{3000}=1+1", "\u{200B}=1+1", " \t @SUM(A1)",
        "\u{FF1D}1+1", "\u{FF0B}1+1", "\u{FF0D}1+1", "\u{FF20}SUM(A1)", " \u{FF1D}HYPERLINK(x)",
    ])
    func csvDefusesHiddenAndFullWidthFormulas(_ text: String) {
        #expect(ShowReport.cell(text).hasPrefix("'") || ShowReport.cell(text).hasPrefix("\"'"), "\(Array(text.unicodeScalars)) left live")
    }

    @Test func csvLeavesPlainTextAndNumbersAlone() {
        for text in ["a=b", "price: -5", " 12", "-3.25", "\u{FF41}bc"] { #expect(ShowReport.cell(text) == text) }
    }

    @Test func presenceSpansEndAfterASilenceAndStayBounded() {
        var presence = ViewerPresence(session: "x")
        presence.saw(at: origin)
        presence.saw(at: origin.addingTimeInterval(4))
        presence.saw(at: origin.addingTimeInterval(30))
        #expect(presence.spans.count == 2)
        #expect(presence.isPresent(at: origin.addingTimeInterval(9)) && !presence.isPresent(at: origin.addingTimeInterval(11)))
        for i in 0..<500 { presence.saw(at: origin.addingTimeInterval(100 + Double(i) * 20)) }
        #expect(presence.spans.count == ViewerPresence.maxSpans)
    }
}
