// Card text costs what it says: bounded in UTF-8 bytes (4 per allowed character) and in combining
// marks per character (4), so one "character" of 300,000 accents is refused, while real text in
// any script, emoji sequences included, passes.
import Foundation
import Testing
@testable import VitrineOverlay

struct TextBudgetTests {
    private func refusal(_ text: String, limit: Int = 200) -> String? {
        do { try TextBudget.check(text, path: "cards[0].question", characterLimit: limit) } catch { return error.description }
        return nil
    }

    @Test func combiningFloodsAreRefused() {
        let flood = "a" + String(repeating: "\u{0301}", count: 300_000)
        #expect(flood.count == 1)
        #expect(refusal(flood)?.contains("UTF-8 bytes") == true)
        #expect(refusal("o" + String(repeating: "\u{0308}", count: 5))?.contains("5 combining marks") == true)
        #expect(refusal(String(repeating: "€", count: 200)) == nil, "3 bytes a character")
        #expect(refusal(String(repeating: "𝄞", count: 201), limit: 200) != nil, "4 bytes a character, over the count")
    }

    @Test func realTextInAnyScriptPasses() {
        for text in ["Có màu đỏ không?", "Größe 38?", "नमस्ते क्या यह उपलब्ध है?", "ไม่มีสีแดงหรือ", "👨‍👩‍👧‍👦 family pack 👍🏽", "Ǫ̈́ ok"] {
            #expect(refusal(text) == nil, "\(text)")
        }
    }

    @Test func everyStringOfARequestBodyIsChecked() {
        let body: [String: Any] = ["kind": "poll", "options": [["label": "ok"], ["label": "x" + String(repeating: "\u{0300}", count: 9)]]]
        do {
            try TextBudget.checkStrings(in: body)
            Issue.record("accepted")
        } catch {
            #expect(error.unlocatedFieldPath == "body.options[1].label")
        }
    }

    @Test func theValidatorAppliesTheBudget() throws {
        let validator = CardValidator(imageDirectory: URL(fileURLWithPath: NSTemporaryDirectory()))
        #expect(throws: CardError.self) { try validator.checkText("e" + String(repeating: "\u{0301}", count: 20), "cards[0].title") }
    }
}
