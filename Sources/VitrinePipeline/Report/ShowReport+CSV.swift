// ShowReport+CSV.swift - the report as one CSV table for a spreadsheet: a `section` column says
// what each row is (an interval on screen, a price, a stock change, a poll option, a viewers
// sample), and only that section's columns are filled. Text that a spreadsheet would run as a
// formula (=, +, -, @ first, after any leading whitespace, in any width) is prefixed with a
// quote: viewer text reaches these cells.
import Foundation
import VitrineHLS

extension ShowReport {
    public static let csvColumns = ["section", "id", "kind", "sku", "label", "start_s", "end_s", "date", "seconds",
                                    "peak_viewers", "average_viewers", "amount", "compare_at", "currency", "stock",
                                    "sold_out", "option", "votes", "percent"]

    public var csv: String {
        var rows = [Self.csvColumns]
        func row(_ fields: [String: String]) -> [String] { Self.csvColumns.map { fields[$0] ?? "" } }
        for product in products {
            let base = ["id": product.id, "kind": product.kind, "sku": product.sku, "label": product.label]
            for interval in product.intervals {
                rows.append(row(base.merging([
                    "section": "interval", "start_s": Self.number(interval.start), "end_s": Self.number(interval.end),
                    "date": ProgramDateTime.format(interval.startDate), "seconds": Self.number(interval.end - interval.start),
                    "peak_viewers": "\(interval.peakViewers)", "average_viewers": Self.number(interval.averageViewers),
                ]) { $1 }))
            }
            for price in product.prices {
                rows.append(row(base.merging([
                    "section": "price", "start_s": Self.number(price.at), "date": ProgramDateTime.format(origin.addingTimeInterval(price.at)),
                    "amount": price.amount, "compare_at": price.compareAt ?? "", "currency": price.currency,
                ]) { $1 }))
            }
            for point in product.stock {
                rows.append(row(base.merging([
                    "section": "stock", "start_s": Self.number(point.at), "date": ProgramDateTime.format(origin.addingTimeInterval(point.at)),
                    "stock": point.stock ?? "", "sold_out": point.soldOut ? "true" : "false",
                ]) { $1 }))
            }
            for option in product.poll?.options ?? [] {
                rows.append(row(base.merging([
                    "section": product.poll?.closed == true ? "poll_result" : "poll_standing", "option": option.label,
                    "votes": "\(option.votes)", "percent": "\(option.percent)",
                ]) { $1 }))
            }
        }
        for sample in audience.samples {
            rows.append(row(["section": "viewers", "start_s": Self.number(sample.at),
                             "date": ProgramDateTime.format(origin.addingTimeInterval(sample.at)), "peak_viewers": "\(sample.viewers)"]))
        }
        return rows.map { $0.map(Self.cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func number(_ value: Double) -> String { String(format: "%.3f", value) }

    /// RFC 4180 quoting, and no formula injection.
    static func cell(_ text: String) -> String {
        var value = text
        if looksLikeFormula(value) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Spreadsheets skip leading blanks (tab, CR, LF, spaces of any width) and invisible format
    /// characters before judging a cell, and some take the full-width signs (U+FF1D and the
    /// like) for = + - @: so the sign is looked for where the spreadsheet looks, in its
    /// compatibility form. A plain number (-12.5) stays a number.
    static func looksLikeFormula(_ text: String) -> Bool {
        let judged = text.drop { $0.isWhitespace || $0.unicodeScalars.allSatisfy { $0.properties.generalCategory == .format } }
        guard let first = judged.first,
              let sign = String(first).precomposedStringWithCompatibilityMapping.first, "=+-@".contains(sign) else { return false }
        return Double(judged) == nil
    }
}
