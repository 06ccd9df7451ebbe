// CurrencyTable.swift - the data the price formatter needs: ISO 4217 minor units and per-locale
// separators, grouping and symbol placement (values taken from CLDR 44).
//
// We keep our own table because Foundation's NumberFormatter on Linux does not match what shoppers
// read everywhere (ja-JP gives "¥" U+00A5 where CLDR's Japanese data has the full-width "￥").

import Foundation

/// An ISO 4217 currency we can format.
struct CurrencyInfo: Sendable {
    let code: String
    /// Digits after the decimal separator (JPY 0, EUR 2, KWD 3).
    let minorUnits: Int
    /// Symbol used when the locale has no specific one (CLDR root), e.g. "US$" or "JP¥".
    let symbol: String
}

/// How a locale writes amounts of money.
struct LocaleFormat: Sendable {
    enum Placement: Sendable {
        /// Symbol before the number, followed by `spacing` ("" for "$19.99", NBSP for "R$ 129,90").
        case prefix(spacing: String)
        /// Symbol after the number, preceded by `spacing` ("19,99 €").
        case suffix(spacing: String)
    }

    let identifier: String
    let decimal: String
    let group: String
    /// CLDR minimumGroupingDigits: 2 means "1299" stays ungrouped but "12 999" is grouped (es, pt-PT).
    let minimumGrouping: Int
    /// Size of the groups after the first one (2 for the Indian "12,34,567").
    let secondaryGroupSize: Int
    let placement: Placement
    /// Between the number and "%" (NBSP in de, narrow NBSP in fr, nothing in en).
    let percentSpacing: String
    /// Symbols that differ from the root one in this locale (e.g. USD is "$" in en-US).
    let symbols: [String: String]
}

enum CurrencyTable {
    static let nbsp = "\u{00A0}"
    static let narrowNbsp = "\u{202F}"

    static let currencies: [String: CurrencyInfo] = {
        let list: [(String, Int, String)] = [
            ("USD", 2, "US$"), ("EUR", 2, "€"), ("BRL", 2, "R$"), ("JPY", 0, "JP¥"), ("GBP", 2, "£"),
            ("CNY", 2, "CN¥"), ("KRW", 0, "₩"), ("INR", 2, "₹"), ("MXN", 2, "MX$"), ("CAD", 2, "CA$"),
            ("AUD", 2, "A$"), ("CHF", 2, "CHF"), ("SEK", 2, "SEK"), ("PLN", 2, "PLN"), ("ARS", 2, "ARS"),
            ("CLP", 0, "CLP"), ("COP", 2, "COP"), ("KWD", 3, "KWD"), ("BHD", 3, "BHD"), ("VND", 0, "₫"),
            ("SAR", 2, "SAR"), ("AED", 2, "AED"), ("TRY", 2, "TRY"),
        ]
        return Dictionary(uniqueKeysWithValues: list.map { ($0.0, CurrencyInfo(code: $0.0, minorUnits: $0.1, symbol: $0.2)) })
    }()

    static let locales: [String: LocaleFormat] = {
        let list: [LocaleFormat] = [
            LocaleFormat(identifier: "en-US", decimal: ".", group: ",", minimumGrouping: 1, secondaryGroupSize: 3,
                         placement: .prefix(spacing: ""), percentSpacing: "",
                         symbols: ["USD": "$", "JPY": "¥", "CAD": "CA$"]),
            LocaleFormat(identifier: "en-GB", decimal: ".", group: ",", minimumGrouping: 1, secondaryGroupSize: 3,
                         placement: .prefix(spacing: ""), percentSpacing: "",
                         symbols: ["GBP": "£", "JPY": "JP¥"]),
            LocaleFormat(identifier: "en-CA", decimal: ".", group: ",", minimumGrouping: 1, secondaryGroupSize: 3,
                         placement: .prefix(spacing: ""), percentSpacing: "",
                         symbols: ["CAD": "$", "JPY": "JP¥"]),
            LocaleFormat(identifier: "en-IN", decimal: ".", group: ",", minimumGrouping: 1, secondaryGroupSize: 2,
                         placement: .prefix(spacing: ""), percentSpacing: "",
                         symbols: ["INR": "₹", "USD": "$", "JPY": "JP¥"]),
            LocaleFormat(identifier: "pt-BR", decimal: ",", group: ".", minimumGrouping: 1, secondaryGroupSize: 3,
                         placement: .prefix(spacing: nbsp), percentSpacing: "",
                         symbols: ["BRL": "R$", "JPY": "JP¥"]),
            LocaleFormat(identifier: "pt-PT", decimal: ",", group: nbsp, minimumGrouping: 2, secondaryGroupSize: 3,
                         placement: .suffix(spacing: nbsp), percentSpacing: "",
                         symbols: ["EUR": "€", "JPY": "JP¥"]),
            LocaleFormat(identifier: "fr-FR", decimal: ",", group: narrowNbsp, minimumGrouping: 1, secondaryGroupSize: 3,
                         placement: .suffix(spacing: nbsp), percentSpacing: narrowNbsp,
                         symbols: ["USD": "$US", "GBP": "£GB", "JPY": "JPY", "CAD": "$CA"]),
            LocaleFormat(identifier: "de-DE", decimal: ",", group: ".", minimumGrouping: 1, secondaryGroupSize: 3,
                         placement: .suffix(spacing: nbsp), percentSpacing: nbsp,
                         symbols: ["USD": "$", "JPY": "¥"]),
            LocaleFormat(identifier: "es-ES", decimal: ",", group: ".", minimumGrouping: 2, secondaryGroupSize: 3,
                         placement: .suffix(spacing: nbsp), percentSpacing: nbsp,
                         symbols: ["JPY": "JPY"]),
            LocaleFormat(identifier: "es-MX", decimal: ".", group: ",", minimumGrouping: 1, secondaryGroupSize: 3,
                         placement: .prefix(spacing: ""), percentSpacing: "",
                         symbols: ["MXN": "$", "USD": "USD"]),
            LocaleFormat(identifier: "it-IT", decimal: ",", group: ".", minimumGrouping: 1, secondaryGroupSize: 3,
                         placement: .suffix(spacing: nbsp), percentSpacing: "",
                         symbols: ["USD": "USD", "JPY": "JPY"]),
            LocaleFormat(identifier: "ja-JP", decimal: ".", group: ",", minimumGrouping: 1, secondaryGroupSize: 3,
                         placement: .prefix(spacing: ""), percentSpacing: "",
                         symbols: ["JPY": "￥", "USD": "$", "CNY": "元"]),
            LocaleFormat(identifier: "zh-CN", decimal: ".", group: ",", minimumGrouping: 1, secondaryGroupSize: 3,
                         placement: .prefix(spacing: ""), percentSpacing: "",
                         symbols: ["CNY": "¥", "JPY": "JP¥"]),
            LocaleFormat(identifier: "ko-KR", decimal: ".", group: ",", minimumGrouping: 1, secondaryGroupSize: 3,
                         placement: .prefix(spacing: ""), percentSpacing: "",
                         symbols: ["KRW": "₩", "JPY": "JP¥"]),
        ]
        return Dictionary(uniqueKeysWithValues: list.map { ($0.identifier, $0) })
    }()

    /// Accepts BCP 47 ("pt-BR") and POSIX ("pt_BR") spellings, case-insensitively.
    static func locale(_ identifier: String) -> LocaleFormat? {
        let parts = identifier.replacingOccurrences(of: "_", with: "-").split(separator: "-")
        guard parts.count == 2 else { return nil }
        return locales["\(parts[0].lowercased())-\(parts[1].uppercased())"]
    }

    static func currency(_ code: String) -> CurrencyInfo? {
        currencies[code]
    }
}
