// CardsFile.swift - reads a cards file (`{ "cards": [ ... ] }`), turning JSONDecoder's errors into
// CardError values that name the field path (`cards[2].price.amount`) and its line.

import Foundation

/// The on-disk shape of a cards file.
public struct CardsFile: Codable, Sendable {
    public var cards: [Card]

    public init(cards: [Card]) {
        self.cards = cards
    }

    /// Decodes the shapes only (no currency, range or image checks); errors name field and line.
    public static func decode(_ data: Data) throws(CardError) -> CardsFile {
        do {
            return try JSONDecoder().decode(CardsFile.self, from: data)
        } catch let error as DecodingError {
            throw map(error, bytes: [UInt8](data))
        } catch {
            throw .malformedJSON(line: nil, column: nil)
        }
    }

    /// Reads, decodes and validates every card; images are loaded relative to the file's folder.
    public static func load(contentsOf url: URL, wallClockOrigin: Date? = nil) throws(CardError) -> [ResolvedCard] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .invalidValue(path: url.path, reason: "cannot read the file: \(error.localizedDescription)", line: nil)
        }
        return try load(data, imageDirectory: url.deletingLastPathComponent(), wallClockOrigin: wallClockOrigin)
    }

    /// Decodes and validates cards file bytes; image paths are relative to `imageDirectory`.
    public static func load(_ data: Data, imageDirectory: URL, wallClockOrigin: Date? = nil) throws(CardError) -> [ResolvedCard] {
        let file = try decode(data)
        guard file.cards.count <= Timeline.maxCards else { throw .tooManyCards(limit: Timeline.maxCards) }
        let validator = CardValidator(imageDirectory: imageDirectory, wallClockOrigin: wallClockOrigin)
        var seen = Set<String>()
        var resolved: [ResolvedCard] = []
        for (index, card) in file.cards.enumerated() {
            guard seen.insert(card.id).inserted else { throw .duplicateID(card.id) }
            resolved.append(try validator.resolve(card, path: "cards[\(index)]"))
        }
        return resolved
    }

    /// The line of `fieldPath` (`cards[2].price.amount`, as errors spell it) in cards file bytes,
    /// or of its nearest ancestor in the file (a defaulted field has no line of its own).
    public static func line(of fieldPath: String, in data: Data) -> Int? {
        var steps = parse(fieldPath)
        let bytes = [UInt8](data)
        while !steps.isEmpty {
            if let position = JSONLocator.position(of: steps, in: bytes) { return position.line }
            steps.removeLast()
        }
        return nil
    }

    /// `cards[2].price` -> key cards, index 2, key price (keys in this schema hold no dots or brackets).
    static func parse(_ fieldPath: String) -> [JSONPathStep] {
        var steps: [JSONPathStep] = []
        for component in fieldPath.split(separator: ".") {
            let parts = component.split(separator: "[", omittingEmptySubsequences: false)
            if let name = parts.first, !name.isEmpty { steps.append(.key(String(name))) }
            for index in parts.dropFirst() {
                guard let value = Int(index.dropLast()), index.hasSuffix("]") else { return steps }
                steps.append(.index(value))
            }
        }
        return steps
    }

    /// `cards[2].price.amount` from a coding path.
    static func render(_ path: [CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
        return text.isEmpty ? "(root)" : text
    }

    private static func steps(_ path: [CodingKey]) -> [JSONPathStep] {
        path.map { key in key.intValue.map(JSONPathStep.index) ?? .key(key.stringValue) }
    }

    private static func line(of path: [CodingKey], in bytes: [UInt8]) -> Int? {
        JSONLocator.position(of: steps(path), in: bytes)?.line
    }

    static func map(_ error: DecodingError, bytes: [UInt8]) -> CardError {
        switch error {
        case let .keyNotFound(key, context):
            // The missing key has no position of its own: report the object that lacks it.
            return .missingField(path: render(context.codingPath + [key]), line: line(of: context.codingPath, in: bytes))
        case let .typeMismatch(type, context):
            return .wrongType(path: render(context.codingPath), expected: describe(type, context),
                              line: line(of: context.codingPath, in: bytes))
        case let .valueNotFound(type, context):
            return .wrongType(path: render(context.codingPath), expected: "\(describe(type, context)), found null",
                              line: line(of: context.codingPath, in: bytes))
        case let .dataCorrupted(context):
            if context.codingPath.isEmpty {
                let position = JSONLocator.syntaxError(in: bytes)
                return .malformedJSON(line: position?.line, column: position?.column)
            }
            return .invalidValue(path: render(context.codingPath), reason: reason(context),
                                 line: line(of: context.codingPath, in: bytes))
        @unknown default:
            return .malformedJSON(line: nil, column: nil)
        }
    }

    private static func describe(_ type: Any.Type, _ context: DecodingError.Context) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Double.Type, is Int.Type: return "a number"
        case is Bool.Type: return "true or false"
        case is CountdownTarget.Type: return "seconds (number) or an ISO 8601 date (string)"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "an object (\(name))"
        }
    }

    private static func reason(_ context: DecodingError.Context) -> String {
        // Enum decoding reports "Cannot initialize Anchor from invalid String value x"; keep it as is.
        context.debugDescription
    }
}
