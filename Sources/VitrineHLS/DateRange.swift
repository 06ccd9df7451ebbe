// EXT-X-DATERANGE (RFC 8216bis 4.4.5.1): a timed interval players can act on, e.g. a product card
// on screen, so a smart player can put a buy button where the pixels show the card.
import Foundation

public struct DateRange: Equatable, Sendable {
    public var id: String
    public var classification: String?
    public var startDate: Date
    public var duration: Double?
    public var endDate: Date?
    /// X- attributes, names without the X- prefix (e.g. "PRODUCT-ID"); values are quoted strings.
    public var clientAttributes: [(name: String, value: String)]

    public init(id: String, classification: String? = nil, startDate: Date, duration: Double? = nil,
                endDate: Date? = nil, clientAttributes: [(name: String, value: String)] = []) {
        self.id = id
        self.classification = classification
        self.startDate = startDate
        self.duration = duration
        self.endDate = endDate
        self.clientAttributes = clientAttributes
    }

    public static func == (a: DateRange, b: DateRange) -> Bool {
        a.id == b.id && a.classification == b.classification && a.startDate == b.startDate && a.duration == b.duration
            && a.endDate == b.endDate && a.clientAttributes.map { "\($0.name)=\($0.value)" } == b.clientAttributes.map { "\($0.name)=\($0.value)" }
    }

    public func render() -> String {
        var attributes = ["ID=\(Self.quoted(id))"]
        if let classification { attributes.append("CLASS=\(Self.quoted(classification))") }
        attributes.append("START-DATE=\(Self.quoted(ProgramDateTime.format(startDate)))")
        if let endDate { attributes.append("END-DATE=\(Self.quoted(ProgramDateTime.format(endDate)))") }
        if let duration { attributes.append("DURATION=\(String(format: "%.3f", duration))") }
        for (name, value) in clientAttributes { attributes.append("X-\(name)=\(Self.quoted(value))") }
        return "#EXT-X-DATERANGE:" + attributes.joined(separator: ",")
    }

    /// Quoted-string values may not hold a double quote or line break (RFC 8216bis 4.2).
    static func quoted(_ value: String) -> String {
        "\"" + value.filter { $0 != "\"" && $0 != "\n" && $0 != "\r" } + "\""
    }
}

/// ISO 8601 with milliseconds and a time zone, as EXT-X-PROGRAM-DATE-TIME wants.
public enum ProgramDateTime {
    public static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    public static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
