// End to end: a live show's card events go in band too. Publishing with a configured card (the
// shirt, 1 s to 3 s of the publish) and pushing one through the API while it runs, the live TS
// segments (fMP4, live's default) carry emsg boxes whose ID3 payloads match the live playlist's DATERANGEs, each on
// the wall-clock instant its START-DATE names (the segment's PROGRAM-DATE-TIME plus its offset).
import Foundation
import Testing

@Suite(.serialized)
struct LiveTimedID3Tests {
    struct Event {
        var date: Date
        var json: [String: String]
    }

    /// The ID3 events in every segment the live playlist lists, dated on the wall clock.
    static func events(_ folder: String, playlist: PlaylistText) throws -> [Event] {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var events: [Event] = []
        var date: Date?
        for line in playlist.lines {
            if line.hasPrefix("#EXT-X-PROGRAM-DATE-TIME:") {
                date = formatter.date(from: String(line.dropFirst(25)))
            } else if !line.hasPrefix("#"), !line.isEmpty, let segmentDate = date {
                let path = "\(folder)/\(line)"
                let start = try #require(try videoPackets(path).map(\.pts).min(), "\(line) has no video")
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
                for event in try TimedID3Tests.emsgEvents(bytes, name: line).events {
                    events.append(Event(date: segmentDate.addingTimeInterval(event.seconds - start), json: event.json))
                }
                date = nil
            }
        }
        return events
    }

    @Test func liveSegmentsCarryTheCardsID3() throws {
        let scratch = try Paths.scratch()
        try CardFixture.write(to: scratch, cards: [CardFixture.shirt])
        let key = "sk-id3live-7c21"
        let server = try LiveServer(keys: [key], extra: ["--ladder", "240p:400k", "--preset", "ultrafast", "--list-size", "30",
                                                         "--cards", "\(scratch)/cards.json"])
        defer { server.stop() }
        let publisher = try Publisher.ffmpeg(server.url(key), loops: 2, scratch: scratch)
        let folder = "\(try server.hls(key))/240p"
        let path = "\(folder)/index.m3u8"
        #expect(waitUntil(seconds: 30) { (livePlaylist(path)?.segments.count ?? 0) >= 3 }, "\(server.logText().suffix(1500))")
        let jobID = try server.runningJobID()
        let deal = CardFixture.deal
        #expect(try server.api("POST", "/v1/jobs/\(jobID)/cards", body: deal).status == 201)

        // The pushed card's range is listed, and a segment after it has been written.
        var events: [Event] = []
        #expect(waitUntil(seconds: 20) {
            guard let playlist = livePlaylist(path), liveDateRanges(path)["deal"] != nil else { return false }
            events = (try? Self.events(folder, playlist: playlist)) ?? []
            return events.contains { $0.json["id"] == "deal" }
        }, "no ID3 for the pushed card: \(events.map(\.json)) \(server.logText().suffix(1500))")

        let ranges = liveDateRanges(path)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for id in ["shirt", "deal"] {
            let range = try #require(ranges[id], "no DATERANGE for \(id): \(ranges.keys.sorted())")
            let shown = try #require(events.first { $0.json["id"] == id && $0.json["state"] == "shown" }, "\(id) never shown in band")
            let start = try #require(formatter.date(from: range["START-DATE"] ?? ""))
            #expect(abs(shown.date.timeIntervalSince(start)) < 0.1, "\(id): ID3 at \(shown.date), DATERANGE from \(start)")
            #expect(range["X-PRODUCT-ID"]?.removingPercentEncoding == shown.json["sku"], "\(id): \(range) \(shown.json)")
            #expect(range["X-PRICE"] == shown.json["price"] && range["X-CURRENCY"] == shown.json["currency"], "\(id): \(range) \(shown.json)")
            #expect(range["X-CARD-KIND"] == shown.json["kind"], "\(id): \(range) \(shown.json)")
        }
        // The shirt leaves at 3 s of the publish: that goes in band as well, two seconds after it came.
        let shirtShown = try #require(events.first { $0.json["id"] == "shirt" && $0.json["state"] == "shown" })
        let hidden = try #require(events.first { $0.json["id"] == "shirt" && $0.json["state"] == "hidden" }, "\(events.map(\.json))")
        #expect(abs(hidden.date.timeIntervalSince(shirtShown.date) - 2) < 0.1, "shirt shown \(shirtShown.date), hidden \(hidden.date)")
        #expect(publisher.wait(seconds: 60) == 0, "the publisher was cut off: \(publisher.output)")
    }
}
