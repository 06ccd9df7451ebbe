// End to end: the show kinds driven through the HTTP API on a live publish (ffmpeg over RTMP):
// a poll whose votes change and which closes, a viewer's question, a ticker fed one event at a
// time, and a flash offer that ends by itself. Each state is a new EXT-X-DATERANGE with its
// kind's attributes, the same in every rendition, and the overlays are burned into the pictures.
import Foundation
import Testing

@Suite(.serialized)
struct ShowOverlaysLiveTests {
    @Test func pollQuestionTickerAndFlashOfferOnALiveShow() throws {
        let key = "sk-showkinds-71c"
        let server = try LiveServer(keys: [key], extra: ["--ladder", "720p:2500k,360p:800k", "--preset", "ultrafast",
                                                         "--grace", "1", "--list-size", "40"])
        defer { server.stop() }
        let publisher = try Publisher.ffmpeg(server.url(key), loops: 4, scratch: server.data)
        let hls = try server.hls(key)
        let playlist = "\(hls)/360p/index.m3u8"
        #expect(waitUntil(seconds: 30) { (livePlaylist(playlist)?.segments.count ?? 0) >= 2 }, "\(server.logText().suffix(1500))")
        let jobID = try server.runningJobID()
        let cards = "/v1/jobs/\(jobID)/cards"

        let poll: [String: Any] = ["id": "colour", "sku": "TOTE", "kind": "poll", "question": "Which colour next?",
                                   "options": [["label": "Red", "votes": 2], ["label": "Blue", "votes": 1]]]
        let pushed = try server.api("POST", cards, body: poll)
        #expect(pushed.status == 201, "\(pushed.json)")
        let pollStart = try #require(pushed.json["start"] as? Double)
        let question: [String: Any] = ["id": "q1", "sku": "TOTE", "kind": "question", "name": "Ana <b>L</b>",
                                       "question": "Does it come in size 38? 👟"]
        #expect(try server.api("POST", cards, body: question).status == 201)
        let ticker: [String: Any] = ["id": "proof", "sku": "TOTE", "kind": "socialProof", "events": ["Ana from Lyon just bought"]]
        #expect(try server.api("POST", cards, body: ticker).status == 201)
        let offer: [String: Any] = ["id": "flash", "sku": "SHIRT", "kind": "flashOffer", "title": "Linen shirt", "endsIn": 3,
                                    "price": ["amount": "19.99", "currency": "EUR", "locale": "fr-FR"]]
        let offered = try server.api("POST", cards, body: offer)
        #expect(offered.status == 201, "\(offered.json)")
        // Refused with the field named: a poll of one option, markup is fine but control bytes are not.
        let lonely = try server.api("POST", cards, body: poll.merging(["id": "lonely", "options": [["label": "Red"]]]) { $1 })
        #expect(lonely.status == 400 && "\(lonely.json)".contains("options"), "\(lonely.json)")
        let control = try server.api("POST", cards, body: question.merging(["id": "q2", "name": "Bob\u{7}"]) { $1 })
        #expect(control.status == 400 && "\(control.json)".contains("name"), "\(control.json)")

        Thread.sleep(forTimeInterval: 1.2)
        let votes = try server.api("PATCH", "\(cards)/colour", body: ["options": [["label": "Red", "votes": 2], ["label": "Blue", "votes": 7]]])
        #expect(votes.status == 200, "\(votes.json)")
        #expect(try server.api("PATCH", "\(cards)/proof", body: ["event": "87 bought in the last 10 minutes"]).status == 200)
        #expect(try server.api("PATCH", "\(cards)/colour", body: ["event": "not a ticker"]).status == 400)
        Thread.sleep(forTimeInterval: 1.2)
        #expect(try server.api("PATCH", "\(cards)/colour", body: ["closed": true]).status == 200)

        // Each state its own range, in every rendition alike; the offer ends by itself after 3 s.
        var ranges: [String: [String: String]] = [:]
        #expect(waitUntil(seconds: 15) {
            ranges = liveDateRanges(playlist)
            return ["colour", "colour~r2", "colour~r3", "q1", "proof", "proof~r2", "flash", "flash~ended"].allSatisfy(ranges.keys.contains)
                && ranges["flash~ended"]?["DURATION"] != nil
        }, "ranges: \(ranges.keys.sorted())")
        let other = liveDateRanges("\(hls)/720p/index.m3u8")
        for id in ["colour", "colour~r2", "q1", "proof", "flash"] {
            #expect(other[id]?.filter { $0.key != "DURATION" } == ranges[id]?.filter { $0.key != "DURATION" }, "\(id) differs at 720p")
        }
        #expect(ranges["colour"]?["X-CARD-KIND"] == "poll" && ranges["colour"]?["X-STATE"] == "open")
        #expect(ranges["colour"]?["X-VOTES"] == "2,1" && ranges["colour~r2"]?["X-VOTES"] == "2,7")
        #expect(ranges["colour~r3"]?["X-STATE"] == "closed" && ranges["colour~r3"]?["X-WINNER"] == "Blue", "\(ranges["colour~r3"] ?? [:])")
        #expect(ranges["q1"]?["X-VIEWER"] == "Ana%20%3Cb%3EL%3C%2Fb%3E", "\(ranges["q1"] ?? [:])")
        #expect(ranges["proof~r2"]?["X-EVENT"] == "87%20bought%20in%20the%20last%2010%20minutes")
        #expect(ranges["flash"]?["X-STATE"] == "active" && ranges["flash"]?["X-PRICE"] == "19.99")
        #expect(ranges["flash~ended"]?["X-STATE"] == "ended")
        let flashDuration = Double(ranges["flash"]?["DURATION"] ?? "") ?? 0
        #expect(abs(flashDuration - 3) < 0.01, "the active offer lasts its 3 s: \(ranges["flash"] ?? [:])")
        #expect(abs((Double(ranges["flash~ended"]?["DURATION"] ?? "") ?? 0) - 3) < 0.01)
        let api = try #require(server.api("GET", cards).json["cards"] as? [[String: Any]])
        let shownPoll = try #require(api.first { $0["id"] as? String == "colour" })
        #expect(shownPoll["closed"] as? Bool == true && shownPoll["previousVotes"] == nil, "\(shownPoll)")
        #expect((api.first { $0["id"] as? String == "proof" }?["events"] as? [String])?.count == 2)

        // The poll is burned in at the top right: the 360p picture there changes when it appears.
        #expect(publisher.wait(seconds: 90) == 0, "the publisher was cut off: \(publisher.output)")
        #expect(waitUntil(seconds: 15) { livePlaylist(playlist)?.isEnded == true })
        let at = Int((pollStart * 30).rounded(.up)) + 3
        let luma = try LumaFrames(playlist, indices: [max(0, at - 20), at], width: 640, height: 360)
        let pollRegion = Region(x0: 0.70, x1: 0.95, y0: 0.08, y1: 0.30)
        #expect(abs(luma.meanLuma(frame: max(0, at - 20), in: pollRegion) - luma.meanLuma(frame: at, in: pollRegion)) > 10,
                "no poll drawn at frame \(at)")
    }
}
