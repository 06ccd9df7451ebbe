// CardRendererTests.swift - native layout per rung: sizes follow the frame, text stays readable at
// 360p, every script gets real glyphs (no tofu), long titles are ellipsized inside their box.

import Foundation
import Testing
@testable import VitrineOverlay

@Suite struct CardRendererTests {
    private func product(title: String, subtitle: String? = "Subtitle here", image: String? = "sneaker.png",
                         locale: String = "pt-BR", soldOut: Bool = false) throws -> ResolvedCard {
        let card = Card(id: "p", sku: "S1",
                        content: .productCard(ProductCardContent(title: title, subtitle: subtitle, image: image,
                                                                 price: PriceSpec(amount: "129.90", compareAt: "159.90", currency: "BRL", locale: locale))),
                        stock: "Only 3 left", soldOut: soldOut,
                        position: CardPosition(anchor: .bottomRight, marginX: 0.04, marginY: 0.05, width: 0.3), start: 0)
        return try CardValidator(imageDirectory: Fixtures.cards).resolve(card)
    }

    @Test(arguments: [(1280, 720), (854, 480), (640, 360), (720, 1280), (360, 640), (1920, 1080)])
    func cardFitsAndScalesWithTheRung(width: Int, height: Int) throws {
        let renderer = CardRenderer()
        let card = try product(title: "Tênis de Corrida")
        let rendered = try renderer.render(card, frameWidth: width, frameHeight: height)
        // Portrait rungs size cards like the landscape rung of the same short side.
        let expectedWidth = width > height ? Double(width) * 0.3 : Double(width) * 16 / 9 * 0.3
        #expect(abs(Double(rendered.width) - expectedWidth) <= 2)
        #expect(rendered.x % 2 == 0 && rendered.y % 2 == 0)
        #expect(rendered.width % 2 == 0 && rendered.height % 2 == 0)
        #expect(rendered.x >= 0 && rendered.x + rendered.width <= width)
        #expect(rendered.y >= 0 && rendered.y + rendered.height <= height)
        #expect(rendered.height < height / 2)
        // Bottom-right anchor with 4% / 5% margins.
        #expect(abs(rendered.x + rendered.width - (width - Int(Double(width) * 0.04))) <= 2)
        #expect(abs(rendered.y + rendered.height - (height - Int(Double(height) * 0.05))) <= 2)
        #expect(rendered.diagnostics.unknownGlyphs == 0)
    }

    @Test func textShrinksWithTheRungButStaysReadable() throws {
        let renderer = CardRenderer()
        let card = try product(title: "Tênis de Corrida")
        let hd = try renderer.render(card, frameWidth: 1280, frameHeight: 720)
        let sd = try renderer.render(card, frameWidth: 640, frameHeight: 360)
        #expect(hd.diagnostics.priceFontSize > sd.diagnostics.priceFontSize)
        #expect(hd.height > sd.height)
        #expect(sd.diagnostics.priceHeight >= 20, "price must stay at least ~20 px tall at 360p")
        #expect(sd.diagnostics.droppedSubtitle)
        #expect(!hd.diagnostics.droppedSubtitle)
    }

    @Test(arguments: [
        "Camiseta Básica de Algodão Orgânico – Edição Verão",
        "Crème brûlée façon grand-mère, Äpfel, Øresund, Ñandú",
        "无线蓝牙耳机 主动降噪 超长续航",
        "سماعات لاسلكية بخاصية إلغاء الضوضاء",
        "ワイヤレスイヤホン ノイズキャンセリング",
    ])
    func everyScriptHasRealGlyphs(title: String) throws {
        let rendered = try CardRenderer().render(try product(title: title), frameWidth: 1280, frameHeight: 720)
        #expect(rendered.diagnostics.unknownGlyphs == 0)
    }

    @Test func tofuIsDetected() throws {
        // Linear B has no font on the box: the check must be able to fail.
        let rendered = try CardRenderer().render(try product(title: "\u{10000}\u{10001}\u{10002}"), frameWidth: 1280, frameHeight: 720)
        #expect(rendered.diagnostics.unknownGlyphs > 0)
    }

    @Test(arguments: [(1280, 720), (640, 360)])
    func longTitlesAreEllipsizedInsideTheirBox(width: Int, height: Int) throws {
        let title = String(repeating: "Supercalifragilistic sneaker with extra long name ", count: 3)
        let rendered = try CardRenderer().render(try product(title: title), frameWidth: width, frameHeight: height)
        #expect(rendered.diagnostics.ellipsized)
        #expect(rendered.diagnostics.titleWidth <= rendered.diagnostics.titleBoxWidth)
        #expect(rendered.diagnostics.titleWidth > rendered.diagnostics.titleBoxWidth / 2)
        let short = try CardRenderer().render(try product(title: "Cap"), frameWidth: width, frameHeight: height)
        #expect(!short.diagnostics.ellipsized)
    }

    @Test func soldOutStampChangesTheCard() throws {
        let renderer = CardRenderer()
        let normal = try renderer.render(try product(title: "Cap"), frameWidth: 1280, frameHeight: 720)
        let soldOut = try renderer.render(try product(title: "Cap", soldOut: true), frameWidth: 1280, frameHeight: 720)
        #expect(normal.width == soldOut.width && normal.height == soldOut.height)
        // The stamp is red across the centre band; the plain card has no such red there.
        func redPixels(_ card: RenderedCard) -> Int {
            var count = 0
            for row in (card.height * 2 / 5)..<(card.height * 3 / 5) {
                for col in (card.width / 4)..<(card.width * 3 / 4) {
                    let i = (row * card.width + col) * 4
                    if card.pixels[i + 2] > 150 && card.pixels[i + 1] < 90 && card.pixels[i] < 90 { count += 1 }
                }
            }
            return count
        }
        #expect(redPixels(soldOut) > redPixels(normal) + 500)
        #expect(soldOut.diagnostics.unknownGlyphs == 0)
    }

    @Test func countdownShowsTheGivenSecond() throws {
        let card = try Fixtures.resolvedShow()[2]
        let renderer = CardRenderer()
        let a = try renderer.render(card, frameWidth: 1280, frameHeight: 720, countdownSeconds: 133)
        let b = try renderer.render(card, frameWidth: 1280, frameHeight: 720, countdownSeconds: 132)
        let c = try renderer.render(card, frameWidth: 1280, frameHeight: 720, countdownSeconds: 133)
        #expect(a.pixels != b.pixels)
        #expect(a.pixels == c.pixels, "rendering is deterministic")
        #expect(CountdownClock.text(seconds: 133) == "02:13")
        #expect(CountdownClock.text(seconds: 3723) == "1:02:03")
        #expect(CountdownClock.text(seconds: -5) == "00:00")
    }

    @Test func everyFixtureCardRendersAtEveryRung() throws {
        let renderer = CardRenderer()
        for card in try Fixtures.resolvedShow() {
            for (w, h) in [(1280, 720), (854, 480), (640, 360), (720, 1280)] {
                let r = try renderer.render(card, frameWidth: w, frameHeight: h, countdownSeconds: 75)
                #expect(r.diagnostics.unknownGlyphs == 0, "\(card.id) at \(w)x\(h)")
                #expect(r.pixels.contains { $0 != 0 })
            }
        }
    }

    @Test func invalidFrameSizeIsRefused() throws {
        let card = try product(title: "Cap")
        #expect(throws: RenderError.invalidFrameSize(width: 0, height: 720)) {
            try CardRenderer().render(card, frameWidth: 0, frameHeight: 720)
        }
    }
}
