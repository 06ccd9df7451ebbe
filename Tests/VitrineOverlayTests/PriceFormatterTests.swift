// PriceFormatterTests.swift - the locale table: the four examples and more, exact minor
// units, grouping rules, discounts and the errors for unknown currencies, locales and bad amounts.

import Testing
@testable import VitrineOverlay

private let nbsp = "\u{00A0}"
private let nnbsp = "\u{202F}"

@Suite struct PriceFormatterTests {
    @Test(arguments: [
        ("129.90", "BRL", "pt-BR", "R$\(nbsp)129,90"),
        ("19.99", "EUR", "fr-FR", "19,99\(nbsp)€"),
        ("19.99", "USD", "en-US", "$19.99"),
        ("1299", "JPY", "ja-JP", "￥1,299"),
        ("1299.00", "JPY", "ja-JP", "￥1,299"),
        ("1234567.5", "BRL", "pt-BR", "R$\(nbsp)1.234.567,50"),
        ("1299.5", "EUR", "fr-FR", "1\(nnbsp)299,50\(nbsp)€"),
        ("1299.5", "EUR", "de-DE", "1.299,50\(nbsp)€"),
        ("1299.5", "EUR", "es-ES", "1299,50\(nbsp)€"),
        ("12999.5", "EUR", "es-ES", "12.999,50\(nbsp)€"),
        ("0.5", "GBP", "en-GB", "£0.50"),
        ("1234567", "INR", "en-IN", "₹12,34,567.00"),
        ("19.99", "USD", "pt-BR", "US$\(nbsp)19,99"),
        ("19.99", "USD", "fr-FR", "19,99\(nbsp)$US"),
        ("50000", "KRW", "ko-KR", "₩50,000"),
        ("88", "CNY", "zh-CN", "¥88.00"),
        ("1.5", "KWD", "en-US", "KWD\(nbsp)1.500"),
        ("7", "MXN", "es-MX", "$7.00"),
        ("19.99", "BRL", "pt_BR", "R$\(nbsp)19,99"),
    ])
    func formats(amount: String, currency: String, locale: String, expected: String) throws {
        let formatter = try PriceFormatter(currency: currency, locale: locale)
        #expect(try formatter.format(amount) == expected)
    }

    @Test func unknownCurrencyIsAnError() {
        #expect(throws: PriceFormatter.Failure.unknownCurrency("XYZ")) { try PriceFormatter(currency: "XYZ", locale: "en-US") }
        #expect(throws: PriceFormatter.Failure.unknownCurrency("usd")) { try PriceFormatter(currency: "usd", locale: "en-US") }
    }

    @Test func unknownLocaleIsAnError() {
        #expect(throws: PriceFormatter.Failure.unknownLocale("xx-YY")) { try PriceFormatter(currency: "USD", locale: "xx-YY") }
        #expect(throws: PriceFormatter.Failure.unknownLocale("en")) { try PriceFormatter(currency: "USD", locale: "en") }
    }

    @Test(arguments: ["12,90", "", "-1.00", "1.2.3", "1e3", "12.", ".5", "١٢"])
    func rejectsMalformedAmounts(amount: String) throws {
        let formatter = try PriceFormatter(currency: "USD", locale: "en-US")
        #expect(throws: PriceFormatter.Failure.self) { try formatter.parse(amount) }
    }

    @Test func rejectsMoreDecimalsThanTheCurrencyHas() throws {
        let yen = try PriceFormatter(currency: "JPY", locale: "ja-JP")
        #expect(throws: PriceFormatter.Failure.self) { try yen.parse("1299.5") }
        let dollars = try PriceFormatter(currency: "USD", locale: "en-US")
        #expect(throws: PriceFormatter.Failure.self) { try dollars.parse("19.999") }
        #expect(try dollars.parse("19.990").minorUnits == 1999)
    }

    @Test func amountsAreExactMinorUnits() throws {
        let formatter = try PriceFormatter(currency: "USD", locale: "en-US")
        #expect(try formatter.parse("0.1").minorUnits == 10)
        #expect(try formatter.parse("1234567890123.99").minorUnits == 123_456_789_012_399)
        #expect(throws: PriceFormatter.Failure.self) { try formatter.parse("12345678901234") }
    }

    @Test func discountBadge() throws {
        let us = try PriceFormatter(currency: "USD", locale: "en-US")
        #expect(us.discount(price: try us.parse("69.99"), compareAt: try us.parse("99.99")) == "-30%")
        #expect(us.discount(price: try us.parse("10"), compareAt: try us.parse("10")) == nil)
        #expect(us.discount(price: try us.parse("12"), compareAt: try us.parse("10")) == nil)
        let fr = try PriceFormatter(currency: "EUR", locale: "fr-FR")
        #expect(fr.discount(price: try fr.parse("19.99"), compareAt: try fr.parse("28.50")) == "-30\(nnbsp)%")
    }
}
