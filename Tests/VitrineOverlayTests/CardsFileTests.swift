// CardsFileTests.swift - decoding Fixtures/cards/show.json, and one specific, path-naming error for
// each kind of bad input (syntax, types, missing fields, currency, locale, images, timing, position).

import Foundation
import Testing
@testable import VitrineOverlay

@Suite struct CardsFileTests {
    @Test func decodesTheShowFixture() throws {
        let cards = try Fixtures.resolvedShow()
        #expect(cards.map(\.id) == ["sneaker-drop", "tote-price", "flash-sale", "coupon"])
        #expect(cards.map(\.card.kind) == [.productCard, .priceTag, .countdown, .banner])
        let sneaker = try #require(cards.first)
        #expect(sneaker.prices?.price == "R$\u{00A0}129,90")
        #expect(sneaker.prices?.compareAt == "R$\u{00A0}189,90")
        #expect(sneaker.prices?.discount == "-32%")
        #expect(sneaker.image?.width == 160)
        #expect(sneaker.card.position.anchor == .bottomLeft)
        #expect(sneaker.card.theme.background == RGBAColor(red: 0x10, green: 0x18, blue: 0x20, alpha: 0xE6))
        #expect(sneaker.card.enter == CardAnimation(style: .slide, durationMs: 400))
        #expect(cards[1].prices?.discount == "-30\u{202F}%")
        #expect(cards[1].card.end == nil)
        if case let .countdown(content) = cards[2].card.content {
            #expect(content.endsAt == .timeline(seconds: 140))
            #expect(content.label == "Flash sale ends in")
        } else {
            Issue.record("third card is not a countdown")
        }
    }

    @Test func roundTripsThroughJSONEncoder() throws {
        let file = try CardsFile.decode(Data(Fixtures.showText().utf8))
        let again = try CardsFile.decode(JSONEncoder().encode(file))
        #expect(again.cards == file.cards)
    }

    /// Loads show.json after a textual edit; images resolve against the fixture folder.
    private func load(replacing old: String, with new: String) throws -> [ResolvedCard] {
        let text = try Fixtures.showText()
        #expect(text.contains(old), "fixture changed: \(old) not found")
        return try CardsFile.load(Data(text.replacingOccurrences(of: old, with: new).utf8), imageDirectory: Fixtures.cards)
    }

    private func expectError(_ expected: CardError, replacing old: String, with new: String,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: expected, sourceLocation: sourceLocation) { try load(replacing: old, with: new) }
    }

    private func lineOf(_ needle: String) throws -> Int {
        let lines = try Fixtures.showText().components(separatedBy: "\n")
        return try #require(lines.firstIndex { $0.contains(needle) }) + 1
    }

    @Test func syntaxErrorNamesLineAndColumn() throws {
        let line = try lineOf("\"sku\": \"BAG-0007\"")
        // Drop the comma after the sku: the next key is then unexpected.
        let error = #expect(throws: CardError.self) { try load(replacing: "\"BAG-0007\",", with: "\"BAG-0007\"") }
        #expect(error == .malformedJSON(line: line + 1, column: 7))
        #expect(error?.description.contains("line \(line + 1)") == true)
    }

    @Test func wrongTypeNamesFieldPathAndLine() throws {
        let line = try lineOf("\"amount\": \"129.90\"")
        let error = #expect(throws: CardError.self) { try load(replacing: "\"amount\": \"129.90\"", with: "\"amount\": 129.90") }
        #expect(error == .wrongType(path: "cards[0].price.amount", expected: "a string", line: line))
        #expect(error?.description.contains("cards[0].price.amount") == true)
    }

    @Test func missingFieldIsNamed() throws {
        let error = #expect(throws: CardError.self) { try load(replacing: "\"title\": \"Tênis de Corrida Leve Açaí\",", with: "") }
        guard case let .missingField(path, line) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(path == "cards[0].title")
        #expect(line == 3)
    }

    @Test func unknownAnchorAndBadColourAreInvalidValues() throws {
        let anchor = #expect(throws: CardError.self) { try load(replacing: "\"anchor\": \"topRight\"", with: "\"anchor\": \"middle\"") }
        guard case let .invalidValue(path, _, line) = anchor else { Issue.record("got \(String(describing: anchor))"); return }
        #expect(path == "cards[1].position.anchor")
        #expect(line == (try lineOf("\"anchor\": \"topRight\"")))

        let colour = #expect(throws: CardError.self) { try load(replacing: "\"#FFFFFFF0\"", with: "\"white\"") }
        guard case let .invalidValue(colourPath, reason, _) = colour else { Issue.record("got \(String(describing: colour))"); return }
        #expect(colourPath == "cards[1].theme.background")
        #expect(reason.contains("#RRGGBB"))
    }

    @Test func unknownCurrencyAndLocale() {
        expectError(.unknownCurrency(path: "cards[1].price.currency", code: "EUX"), replacing: "\"EUR\"", with: "\"EUX\"")
        expectError(.unknownLocale(path: "cards[0].price.locale", identifier: "pt-XX"), replacing: "\"pt-BR\"", with: "\"pt-XX\"")
    }

    @Test func badAmounts() {
        expectError(.invalidAmount(path: "cards[0].price.amount", amount: "129,90",
                                   reason: "expected digits with an optional \".\" and fraction, e.g. \"129.90\""),
                    replacing: "\"129.90\"", with: "\"129,90\"")
        let error = #expect(throws: CardError.self) { try load(replacing: "\"compareAt\": \"28.50\"", with: "\"compareAt\": \"28.505\"") }
        guard case let .invalidAmount(path, _, _) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(path == "cards[1].price.compareAt")
    }

    @Test func endBeforeStart() {
        expectError(.endBeforeStart(path: "cards[3]", start: 10, end: 9), replacing: "\"end\": 60.0", with: "\"end\": 9")
        expectError(.endBeforeStart(path: "cards[3]", start: 10, end: 10), replacing: "\"end\": 60.0", with: "\"end\": 10")
    }

    @Test func positionOutsideTheFrame() {
        expectError(.marginOutsideFrame(path: "cards[0].position.marginX", value: -0.1),
                    replacing: "\"marginX\": 0.03, \"marginY\": 0.05, \"width\": 0.32", with: "\"marginX\": -0.1, \"marginY\": 0.05, \"width\": 0.32")
        expectError(.marginOutsideFrame(path: "cards[2].position.marginY", value: 1.5),
                    replacing: "\"marginY\": 0.04", with: "\"marginY\": 1.5")
        expectError(.widthOutOfRange(path: "cards[0].position.width", value: 1.2), replacing: "\"width\": 0.32", with: "\"width\": 1.2")
        expectError(.widthOutOfRange(path: "cards[0].position.width", value: 0), replacing: "\"width\": 0.32", with: "\"width\": 0")
    }

    @Test func duplicateIDs() {
        expectError(.duplicateID("sneaker-drop"), replacing: "\"id\": \"coupon\"", with: "\"id\": \"sneaker-drop\"")
    }

    @Test func missingImage() {
        expectError(.image(path: "cards[0].image", file: "nope.png", reason: .missing), replacing: "\"sneaker.png\"", with: "\"nope.png\"")
    }

    @Test func corruptImageReportsFFmpegText() throws {
        let folder = try TemporaryFolder()
        _ = try folder.write("this is not a picture at all", to: "broken.png")
        let json = try Fixtures.showText().replacingOccurrences(of: "\"sneaker.png\"", with: "\"broken.png\"")
        let error = #expect(throws: CardError.self) { try CardsFile.load(Data(json.utf8), imageDirectory: folder.url) }
        guard case let .image(path, file, .ffmpeg(call, code, message)) = error else {
            Issue.record("got \(String(describing: error))")
            return
        }
        #expect(path == "cards[0].image" && file == "broken.png")
        #expect(code < 0)
        #expect(!call.isEmpty && !message.isEmpty)
    }

    @Test func oversizedImages() throws {
        let folder = try TemporaryFolder()
        let wide = folder.url.appendingPathComponent("wide.png")
        try CardSnapshot.writePNG(width: 4100, height: 8, pixels: [UInt8](repeating: 255, count: 4100 * 8 * 4), to: wide)
        #expect(throws: ImageError.oversized(width: 4100, height: 8)) { try ImageDecoder.decode(fileAt: wide) }

        // 2100 x 2100 BGRA is 17.6 MB, above the 16 MiB decoded limit though each side is fine.
        let big = folder.url.appendingPathComponent("big.png")
        try CardSnapshot.writePNG(width: 2100, height: 2100, pixels: [UInt8](repeating: 0, count: 2100 * 2100 * 4), to: big)
        #expect(throws: ImageError.tooManyBytes(bytes: 2100 * 2100 * 4)) { try ImageDecoder.decode(fileAt: big) }

        let json = try Fixtures.showText().replacingOccurrences(of: "\"sneaker.png\"", with: "\"wide.png\"")
        #expect(throws: CardError.image(path: "cards[0].image", file: "wide.png", reason: .oversized(width: 4100, height: 8))) {
            try CardsFile.load(Data(json.utf8), imageDirectory: folder.url)
        }
    }

    @Test func everyErrorHasAMessage() {
        let errors: [CardError] = [
            .malformedJSON(line: 3, column: 4), .missingField(path: "cards[0].id", line: 2),
            .unknownCurrency(path: "p", code: "XYZ"), .image(path: "p", file: "f", reason: .missing),
        ]
        for error in errors { #expect(!error.description.isEmpty) }
    }

    @Test func validationErrorsCanBeLocatedInTheFile() throws {
        let text = try Fixtures.showText()
        let data = Data(text.replacingOccurrences(of: "\"BRL\"", with: "\"BRX\"").utf8)
        do {
            _ = try CardsFile.load(data, imageDirectory: Fixtures.cards)
            Issue.record("an unknown currency was accepted")
        } catch {
            let path = try #require(error.unlocatedFieldPath)
            #expect(path == "cards[0].price.currency")
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let expected = try #require(lines.firstIndex { $0.contains("\"BRL\"") }) + 1
            #expect(CardsFile.line(of: path, in: data) == expected)
        }
        // A defaulted field falls back to the line of the object that lacks it.
        #expect(CardsFile.line(of: "cards[2].enter.durationMs", in: data) == CardsFile.line(of: "cards[2]", in: data))
        #expect(CardsFile.parse("cards[2].price.amount") == [.key("cards"), .index(2), .key("price"), .key("amount")])
        #expect(CardError.endBeforeStart(path: "cards[3]", start: 2, end: 1).unlocatedFieldPath == "cards[3].end")
        #expect(CardError.missingField(path: "cards[0].title", line: 3).unlocatedFieldPath == nil)
    }
}
