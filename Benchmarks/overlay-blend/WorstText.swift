// The worst card text the validator accepts (TextBudget: 4 UTF-8 bytes per allowed character, 4
// combining marks per character), rendered at 1080p: each must render in under 5 ms. The
// reference is the same card with plain ASCII text of the same character count.
import Foundation
import VitrineOverlay

enum WorstText {
    static let target = 5.0

    /// Texts that each push one bound to its limit.
    static var candidates: [(label: String, text: String)] {
        let marks = "\u{0301}\u{0308}\u{0323}\u{0330}"
        return [
            ("4 combining marks on every letter (byte budget)", String(repeating: "a" + marks, count: 800 / 9)),
            ("200 four-byte emoji", String(repeating: "😀", count: 200)),
            ("200 Devanagari clusters", String(repeating: "क्षि", count: 50)),
            ("plain ASCII, 200 characters (reference)", String(repeating: "abcd ", count: 40)),
        ]
    }

    /// Median milliseconds of `runs` renders of a question card with `text` at 1920x1080.
    static func renderMilliseconds(_ text: String, images: URL, runs: Int = 30) throws -> Double {
        let card = Card(id: "q", sku: "SKU", content: .question(QuestionContent(name: "Ana", text: text)), start: 0)
        let resolved = try CardValidator(imageDirectory: images).resolve(card)
        let renderer = CardRenderer()
        let clock = ContinuousClock()
        _ = try renderer.render(resolved, frameWidth: 1920, frameHeight: 1080)
        var samples: [Double] = []
        for _ in 0..<runs {
            let elapsed = try clock.measure { _ = try renderer.render(resolved, frameWidth: 1920, frameHeight: 1080) }
            samples.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
        }
        return samples.sorted()[runs / 2]
    }

    static func report(images: URL) throws {
        print("worst accepted card text, rendered at 1920x1080 (target under \(target) ms):")
        var reference = 0.0
        var results: [(String, Double)] = []
        for (label, text) in candidates {
            let ms = try renderMilliseconds(text, images: images)
            if label.hasSuffix("(reference)") { reference = ms }
            results.append((label, ms))
        }
        for (label, ms) in results {
            print(String(format: "  %-50@ median %.2f ms (%.2fx the ASCII card)%@", label as NSString, ms, ms / reference,
                         ms < target ? "" : "  OVER TARGET"))
        }
    }
}
