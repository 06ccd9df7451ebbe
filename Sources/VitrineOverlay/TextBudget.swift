// What a piece of card text may cost. A character limit alone is not a bound: one "character" (a
// grapheme cluster) can carry any number of combining marks, and 300,000 accents on one letter
// froze a show's renderer while the validator counted one character. So text is bounded in UTF-8
// bytes as well (4 per allowed character, what any script needs) and in combining marks per
// character (4: stacked Vietnamese or Indic vowel signs use 2 or 3).
import Foundation

public enum TextBudget {
    public static let bytesPerCharacter = 4
    public static let maxMarksPerCharacter = 4

    /// Throws, naming `path`, when `text` is over `characterLimit`'s byte budget or piles more than
    /// `maxMarksPerCharacter` combining marks on one character.
    public static func check(_ text: String, path: String, characterLimit: Int) throws(CardError) {
        let byteLimit = characterLimit * bytesPerCharacter
        let bytes = text.utf8.count
        if bytes > byteLimit {
            throw .invalidValue(path: path, reason: "text of \(bytes) UTF-8 bytes is over the \(byteLimit)-byte limit", line: nil)
        }
        for character in text {
            let marks = character.unicodeScalars.count(where: isCombiningMark)
            if marks > maxMarksPerCharacter {
                throw .invalidValue(path: path, reason: "a character carries \(marks) combining marks (limit \(maxMarksPerCharacter))", line: nil)
            }
        }
    }

    /// Every string in a JSON request body (cards, polls, questions), checked before the body goes
    /// to the job that would validate and render it; `path` names the first one over budget.
    public static func checkStrings(in value: Any, path: String = "body", characterLimit: Int = CardValidator.maxTextLength) throws(CardError) {
        switch value {
        case let text as String:
            try check(text, path: path, characterLimit: characterLimit)
        case let object as [String: Any]:
            for (key, member) in object { try checkStrings(in: member, path: "\(path).\(key)", characterLimit: characterLimit) }
        case let array as [Any]:
            for (index, member) in array.enumerated() { try checkStrings(in: member, path: "\(path)[\(index)]", characterLimit: characterLimit) }
        default:
            break
        }
    }

    private static func isCombiningMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }
}
