// End to end: a live job process killed mid-show (SIGKILL, as a crash would) comes back with the
// show's cards as they were: the configured ones keep their times on the publish's clock (none
// starts over), an operator's pushed and re-priced card is still on screen and announced with
// the same ranges, and the API goes on addressing it.
import Foundation
import Testing

@Suite(.serialized)
struct LiveCardsRestartTests {
    private func ranges(_ path: String) -> [String: [String: String]] { liveDateRanges(path) }

    @Test func cardsOutliveACrashOfTheJobProcess() throws {
        let scratch = try Paths.scratch()
        try CardFixture.write(to: scratch, cards: [CardFixture.shirt])
        let key = "sk-cardcrash-5b1"
        let server = try LiveServer(keys: [key], extra: ["--ladder", "240p:400k", "--preset", "ultrafast", "--list-size", "30",
                                                         "--grace", "4", "--cards", "\(scratch)/cards.json"])
        defer { server.stop() }
        let publisher = try Publisher.ffmpeg(server.url(key), loops: 4, scratch: scratch)
        let hls = try server.hls(key)
        let playlist = "\(hls)/240p/index.m3u8"
        #expect(waitUntil(seconds: 30) { (livePlaylist(playlist)?.segments.count ?? 0) >= 3 }, "\(server.logText().suffix(1500))")
        let jobID = try server.runningJobID()

        let deal = CardFixture.deal
        #expect(try server.api("POST", "/v1/jobs/\(jobID)/cards", body: deal).status == 201)
        Thread.sleep(forTimeInterval: 1)
        let patched = try server.api("PATCH", "/v1/jobs/\(jobID)/cards/deal", body: ["price": ["amount": "9.99"]])
        #expect(patched.status == 200, "\(patched.json)")
        var before: [String: [String: String]] = [:]
        #expect(waitUntil(seconds: 10) {
            before = ranges(playlist)
            return before.keys.contains("shirt") && before.keys.contains("deal") && before.keys.contains("deal~r2")
        }, "ranges before the kill: \(before.keys.sorted())")

        let pid = try #require(try run("/usr/bin/pgrep", ["-f", "job-process --label live:\((hls as NSString).lastPathComponent)"])
            .stdout.split(separator: "\n").first.flatMap { Int32($0) })
        kill(pid, SIGKILL)
        #expect(waitUntil(seconds: 10) {
            let job = try? server.api("GET", "/v1/jobs/\(jobID)").json
            return ((job?["restarts"] as? [[String: Any]])?.first?["recoverySeconds"] as? Double) != nil
        }, "no recovery: \(server.logText().suffix(2000))")
        // Two segments of the new process listed: its playlist writes carry its cards.
        let listed = livePlaylist(playlist)?.segments.count ?? 0
        #expect(waitUntil(seconds: 15) { (livePlaylist(playlist)?.segments.count ?? 0) >= listed + 2 })

        let after = ranges(playlist)
        for (id, attributes) in before {
            #expect(after[id]?["START-DATE"] == attributes["START-DATE"], "\(id): \(attributes) then \(after[id] ?? [:])")
        }
        // Nothing started over: no range the first process did not announce, the re-priced deal on.
        #expect(Set(after.keys) == Set(before.keys), "\(after.keys.sorted()) after \(before.keys.sorted())")
        #expect(after["deal~r2"]?["X-PRICE"] == "9.99" && after["deal~r2"]?["DURATION"] == nil, "\(after["deal~r2"] ?? [:])")

        let cards = try #require(server.api("GET", "/v1/jobs/\(jobID)/cards").json["cards"] as? [[String: Any]])
        let shown = try #require(cards.first { $0["id"] as? String == "deal" })
        #expect((shown["price"] as? [String: Any])?["amount"] as? String == "9.99", "\(shown)")
        #expect(try server.api("POST", "/v1/jobs/\(jobID)/cards", body: deal).status == 409)
        #expect(try server.api("PATCH", "/v1/jobs/\(jobID)/cards/deal", body: ["price": ["amount": "8.49"]]).status == 200)
        #expect(waitUntil(seconds: 10) { ranges(playlist)["deal~r3"]?["X-PRICE"] == "8.49" }, "\(ranges(playlist).keys.sorted())")
        #expect(!server.logText().contains("could not be restored"), "\(server.logText().suffix(1500))")
        #expect(publisher.wait(seconds: 60) == 0, "the publisher was cut off: \(publisher.output)")
    }
}
