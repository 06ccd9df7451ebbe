// PriceFormatter.swift - turns a decimal amount string + ISO 4217 code + locale into the text a
// shopper of that locale reads ("R$ 129,90", "19,99 €", "$19.99", "￥1,299").
//
// Amounts are exact integers of minor units end to end: no Double ever touches a price.

/// An exact amount of money in minor units (cents), parsed from a decimal string.
public struct Money: Hashable, Sendable {
    public let minorUnits: Int64
    public let currency: String

    /// Longest integer part we accept; keeps every multiplication well inside Int64.
    static let maxIntegerDigits = 13
}

/// Formats amounts for one (currency, locale) pair; creating it checks both are known.
public struct PriceFormatter: Sendable {
    public enum Failure: Error, Equatable, Sendable {
        case unknownCurrency(String)
        case unknownLocale(String)
        case invalidAmount(String, reason: String)
    }

    let currency: CurrencyInfo
    let locale: LocaleFormat

    public init(currency code: String, locale identifier: String) throws(Failure) {
        guard let currency = CurrencyTable.currency(code) else { throw .unknownCurrency(code) }
        guard let locale = CurrencyTable.locale(identifier) else { throw .unknownLocale(identifier) }
        self.currency = currency
        self.locale = locale
    }

    /// Parses "129.90", "129.9" or "1299" (a dot is the only decimal separator in data files).
    /// Extra fraction digits are allowed only when they are zeros ("1299.00" for JPY).
    public func parse(_ amount: String) throws(Failure) -> Money {
        let parts = amount.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty,
              whole.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .invalidAmount(amount, reason: "expected digits with an optional \".\" and fraction, e.g. \"129.90\"")
        }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard parts.count == 1 || (!fraction.isEmpty && fraction.allSatisfy({ $0.isASCII && $0.isNumber })) else {
            throw .invalidAmount(amount, reason: "the fraction after \".\" must be digits")
        }
        let trimmedWhole = whole.drop(while: { $0 == "0" })
        guard trimmedWhole.count <= Money.maxIntegerDigits else {
            throw .invalidAmount(amount, reason: "more than \(Money.maxIntegerDigits) integer digits")
        }
        let minor = currency.minorUnits
        let significant = fraction.prefix(minor)
        guard fraction.dropFirst(minor).allSatisfy({ $0 == "0" }) else {
            throw .invalidAmount(amount, reason: "\(currency.code) has \(minor) decimal digits")
        }
        var value: Int64 = 0
        for ch in trimmedWhole { value = value * 10 + Int64(ch.wholeNumberValue!) }
        for index in 0..<minor {
            let digit = index < significant.count ? significant[significant.index(significant.startIndex, offsetBy: index)] : "0"
            value = value * 10 + Int64(digit.wholeNumberValue!)
        }
        return Money(minorUnits: value, currency: currency.code)
    }

    /// Parses and formats in one step.
    public func format(_ amount: String) throws(Failure) -> String {
        format(try parse(amount))
    }

    public func format(_ money: Money) -> String {
        let minor = currency.minorUnits
        var divisor: Int64 = 1
        for _ in 0..<minor { divisor *= 10 }
        let whole = money.minorUnits / divisor
        let fraction = money.minorUnits % divisor
        var number = group(String(whole))
        if minor > 0 {
            let digits = String(fraction)
            number += locale.decimal + String(repeating: "0", count: minor - digits.count) + digits
        }
        let symbol = locale.symbols[currency.code] ?? currency.symbol
        // CLDR currencySpacing: a symbol that ends (or starts) with a letter, like "KWD", never
        // touches the digits; a no-break space keeps it apart.
        func spaced(_ spacing: String, letter: Unicode.Scalar?) -> String {
            spacing.isEmpty && (letter?.properties.isAlphabetic ?? false) ? CurrencyTable.nbsp : spacing
        }
        switch locale.placement {
        case let .prefix(spacing): return symbol + spaced(spacing, letter: symbol.unicodeScalars.last) + number
        case let .suffix(spacing): return number + spaced(spacing, letter: symbol.unicodeScalars.first) + symbol
        }
    }

    /// The discount badge ("-30%", "-30 %" in French) when `compareAt` is above `price`, else nil.
    /// Rounded to the nearest whole percent, halves away from zero.
    public func discount(price: Money, compareAt: Money) -> String? {
        guard compareAt.minorUnits > price.minorUnits, compareAt.minorUnits > 0 else { return nil }
        let saved = compareAt.minorUnits - price.minorUnits
        let percent = (saved * 200 + compareAt.minorUnits) / (2 * compareAt.minorUnits)
        guard percent > 0 else { return nil }
        return "-\(percent)" + locale.percentSpacing + "%"
    }

    /// Inserts group separators: groups of 3 from the right, then `secondaryGroupSize`.
    private func group(_ digits: String) -> String {
        let chars = Array(digits)
        guard chars.count >= 3 + locale.minimumGrouping else { return digits }
        var groups: [String] = [String(chars.suffix(3))]
        var end = chars.count - 3
        while end > 0 {
            let start = max(0, end - locale.secondaryGroupSize)
            groups.insert(String(chars[start..<end]), at: 0)
            end = start
        }
        return groups.joined(separator: locale.group)
    }
}
