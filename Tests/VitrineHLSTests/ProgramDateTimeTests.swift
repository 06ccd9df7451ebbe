// EXT-X-PROGRAM-DATE-TIME and START-DATE text: milliseconds, UTC, and a date read back from a
// playlist (a restarted process restores its window from one) prints as the same text again.
import Foundation
import Testing
@testable import VitrineHLS

struct ProgramDateTimeTests {
    @Test(arguments: [
        (1_796_227_278.241, "2026-12-02T16:01:18.241Z"),
        (1_738_893_301.0219142, "2025-02-07T01:55:01.022Z"),
        (1_767_489_014.3696914, "2026-01-04T01:10:14.370Z"),
        (1_767_225_599.9996, "2026-01-01T00:00:00.000Z"),
        (0.005, "1970-01-01T00:00:00.005Z"),
        (-0.25, "1969-12-31T23:59:59.750Z"),
    ])
    func printsMillisecondsRoundedInUTC(seconds: Double, text: String) {
        #expect(ProgramDateTime.format(Date(timeIntervalSince1970: seconds)) == text)
    }

    @Test func readingBackPrintsTheSameText() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let date = Date(timeIntervalSince1970: Double.random(in: 1.6e9..<2.0e9, using: &generator))
            let text = ProgramDateTime.format(date)
            let parsed = ProgramDateTime.parse(text)
            #expect(parsed.map(ProgramDateTime.format) == text, "\(date.timeIntervalSince1970)")
            #expect(abs((parsed?.timeIntervalSince1970 ?? 0) - date.timeIntervalSince1970) <= 0.0005 + 1e-6)
        }
    }

    /// Text with more digits than a millisecond reads as the date it prints: equal to itself
    /// parsed again (a restored live playlist compares its segments' dates).
    @Test func finerTextReadsAsTheMillisecondItPrints() throws {
        for text in ["2023-11-14T22:13:24.0001Z", "2023-11-14T22:13:24.2416Z", "2023-11-14T22:13:24.9999Z"] {
            let date = try #require(ProgramDateTime.parse(text))
            #expect(ProgramDateTime.parse(ProgramDateTime.format(date)) == date, "\(text)")
        }
        #expect(ProgramDateTime.parse("2023-11-14T22:13:24.2416Z").map(ProgramDateTime.format) == "2023-11-14T22:13:24.242Z")
    }

    @Test func readsOffsetsAndRefusesWhatIsNoDate() {
        #expect(ProgramDateTime.parse("2026-12-02T18:01:18.241+02:00").map(ProgramDateTime.format) == "2026-12-02T16:01:18.241Z")
        #expect(ProgramDateTime.parse("2026-12-02 16:01") == nil)
        #expect(ProgramDateTime.parse("") == nil)
    }
}
