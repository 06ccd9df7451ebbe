// End to end: the show report of a live publish (ffmpeg over RTMP), with three ffmpeg HLS
// clients watching for a while: the report counts 3 viewers while they play and 0 once they
// stopped, a card hidden and shown again has two intervals, its price drop is in the history;
// the same report comes as CSV from the API and, offline once the server stopped, from
// `vitrine report FOLDER` with the audience the server saved by itself.
import Foundation
import Testing

@Suite(.serialized)
struct ShowReportLiveTests {
    /// The viewers the report gives for now (its last sample).
    static func viewersNow(_ report: [String: Any]) -> Int? {
        ((report["audience"] as? [String: Any])?["samples"] as? [[String: Any]])?.last?["viewers"] as? Int
    }

    @Test func viewersCardsAndPricesOfALiveShow() throws {
        let key = "sk-report-3f2"
        let server = try LiveServer(keys: [key], extra: ["--ladder", "360p:800k", "--preset", "ultrafast", "--grace", "1", "--list-size", "40"])
        defer { server.stop() }
        let publisher = try Publisher.ffmpeg(server.url(key), loops: 5, scratch: server.data)
        let hls = try server.hls(key)
        let playbackID = (hls as NSString).lastPathComponent
        #expect(waitUntil(seconds: 30) { (livePlaylist("\(hls)/360p/index.m3u8")?.segments.count ?? 0) >= 2 }, "\(server.logText().suffix(1500))")
        let jobID = try server.runningJobID()
        let cards = "/v1/jobs/\(jobID)/cards"

        // Shown, re-priced, hidden, shown again, hidden.
        let deal = CardFixture.deal
        #expect(try server.api("POST", cards, body: deal).status == 201)
        Thread.sleep(forTimeInterval: 1.5)
        #expect(try server.api("PATCH", "\(cards)/deal", body: ["price": ["amount": "9.99"]]).status == 200)
        Thread.sleep(forTimeInterval: 1.5)
        #expect(try server.api("DELETE", "\(cards)/deal").status == 204)
        Thread.sleep(forTimeInterval: 1.5)
        let again = try server.api("POST", cards, body: deal)
        #expect(again.status == 201, "a hidden card can be shown again: \(again.json)")
        Thread.sleep(forTimeInterval: 1.5)
        #expect(try server.api("DELETE", "\(cards)/deal").status == 204)

        // Three players, each its own session (the master hands each a token).
        let master = "\(server.base)/hls/\(playbackID)/master.m3u8"
        let tagged = String(decoding: try curl(master, [], scratch: server.data).body, as: UTF8.self)
        #expect(tagged.contains("index.m3u8?vs="), "\(tagged)")
        let viewers = try (0..<3).map { _ in
            try Publisher("/usr/bin/ffmpeg", ["-nostdin", "-hide_banner", "-loglevel", "error", "-i", master, "-c", "copy", "-f", "null", "-"],
                          scratch: server.data)
        }
        var report: [String: Any] = [:]
        #expect(waitUntil(seconds: 20) {
            report = (try? server.api("GET", "/v1/jobs/\(jobID)/report").json) ?? [:]
            return Self.viewersNow(report) == 3
        }, "viewers now: \(String(describing: Self.viewersNow(report))), audience \(report["audience"] ?? "none")")
        Thread.sleep(forTimeInterval: 3)
        // Players that vanish (closed tab, lost network): no goodbye, only silence.
        for viewer in viewers {
            kill(viewer.process.processIdentifier, SIGKILL)
            viewer.process.waitUntilExit()
        }
        #expect(waitUntil(seconds: 20) {
            report = (try? server.api("GET", "/v1/jobs/\(jobID)/report").json) ?? [:]
            return Self.viewersNow(report) == 0
        }, "viewers after they stopped: \(String(describing: Self.viewersNow(report))) \(((report["audience"] as? [String: Any])?["samples"] as? [[String: Any]])?.suffix(12) ?? [])")
        let audience = try #require(report["audience"] as? [String: Any])
        // The test's own fetch of the master above is a session too, for its few seconds.
        #expect((3...4).contains(audience["peak"] as? Int ?? 0) && (audience["sessions"] as? Int ?? 0) >= 3, "\(audience)")

        let product = try #require((report["products"] as? [[String: Any]])?.first { $0["id"] as? String == "deal" }, "\(report)")
        let intervals = try #require(product["intervals"] as? [[String: Any]])
        #expect(intervals.count == 2, "shown twice: \(intervals)")
        #expect((product["prices"] as? [[String: Any]])?.map { $0["amount"] as? String } == ["19.99", "9.99", "19.99"],
                "the drop and the second showing's price: \(product["prices"] ?? "")")
        let csv = try curl("\(server.base)/v1/jobs/\(jobID)/report?format=csv", ["-H", "Authorization: Bearer \(LiveServer.token)"], scratch: server.data)
        let text = String(decoding: csv.body, as: UTF8.self)
        #expect(csv.headers["content-type"]?.hasPrefix("text/csv") == true)
        #expect(text.components(separatedBy: "\r\ninterval,deal,").count - 1 == 2, "\(text.prefix(800))")

        // Offline, from the folder the show left (its record and the audience the server saves by
        // itself: removed, it comes back within a sweep, with no report asked for).
        #expect(publisher.wait(seconds: 90) == 0, "the publisher was cut off: \(publisher.output)")
        #expect(waitUntil(seconds: 15) { livePlaylist("\(hls)/360p/index.m3u8")?.isEnded == true })
        let saved = "\(hls)/audience.json"
        #expect(FileManager.default.fileExists(atPath: saved))
        try? FileManager.default.removeItem(atPath: saved)
        #expect(waitUntil(seconds: 15) { FileManager.default.fileExists(atPath: saved) }, "the audience was not saved again")
        server.stop()
        let offline = try vitrine(["report", hls, "--job", jobID])
        #expect(offline.status == 0, "\(offline.stderr)")
        let printed = try #require(try JSONSerialization.jsonObject(with: Data(offline.stdout.utf8)) as? [String: Any])
        let printedDeal = (printed["products"] as? [[String: Any]])?.first { $0["id"] as? String == "deal" }
        #expect((printedDeal?["intervals"] as? [[String: Any]])?.count == 2)
        #expect((3...4).contains((printed["audience"] as? [String: Any])?["peak"] as? Int ?? 0))
        #expect(try vitrine(["report", server.data]).status == 66, "a folder without a record says so")
    }
}
