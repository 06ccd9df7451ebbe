// End to end: every card event also goes in band, for players that surface ID3 but not
// DATERANGE. In TS, ffprobe sees a timed_id3 stream whose packets sit on the instant of the first
// frame with the card; in fMP4 each fragment showing a change starts with an emsg box (ffprobe's
// trace names it) carrying the same ID3. The JSON payload matches the playlist's DATERANGE.
import Foundation
import Testing

@Suite(.serialized)
struct TimedID3Tests {
    struct Event: Equatable {
        var seconds: Double
        var json: [String: String]
    }

    /// The shirt (1 s to 3 s) and the open-ended tote (from 4 s) through a transcode.
    func transcode(_ format: String) throws -> String {
        let dir = try Paths.scratch("id3-\(format)")
        try CardFixture.write(to: dir, cards: [CardFixture.shirt, CardFixture.tote])
        let result = try vitrine(["transcode", Paths.fixture("show-720p.mp4"), "-o", "\(dir)/out", "--ladder", "360p:800k",
                                  "--preset", "ultrafast", "--segment-format", format, "--cards", "\(dir)/cards.json"])
        #expect(result.status == 0, "\(result.stderr)")
        return "\(dir)/out/360p"
    }

    /// The JSON object after the TXXX description in an ID3 tag.
    static func payload(_ bytes: [UInt8]) -> [String: String]? {
        let marker = Array("com.vitrine.card".utf8) + [0]
        guard let at = (0...(max(0, bytes.count - marker.count))).first(where: { Array(bytes[$0..<$0 + marker.count]) == marker }),
              let object = try? JSONSerialization.jsonObject(with: Data(bytes[(at + marker.count)...])) as? [String: String] else { return nil }
        return object
    }

    /// Expected: shown at 1 s, hidden at 3 s, the tote shown at 4 s; each matches its DATERANGE.
    func check(_ events: [Event], playlist: String) throws {
        let shown = events.filter { $0.json["state"] == "shown" }
        #expect(shown.map(\.json["id"]) == ["shirt", "tote"], "\(events)")
        #expect(events.contains { $0.json["id"] == "shirt" && $0.json["state"] == "hidden" && abs($0.seconds - 3) < 0.04 }, "\(events)")
        let text = try String(contentsOfFile: "\(playlist)/index.m3u8", encoding: .utf8)
        let ranges = text.split(separator: "\n").filter { $0.hasPrefix("#EXT-X-DATERANGE:") }.map { parseAttributes(String($0.dropFirst(17))) }
        for (event, start) in zip(shown, [1.0, 4.0]) {
            #expect(abs(event.seconds - start) < 0.04, "\(event.json["id"] ?? "") at \(event.seconds) s, card from \(start) s")
            let range = try #require(ranges.first { $0["ID"] == event.json["id"] }, "no DATERANGE for \(event.json)")
            #expect(range["X-PRODUCT-ID"]?.removingPercentEncoding == event.json["sku"])
            #expect(range["X-PRICE"] == event.json["price"] && range["X-CURRENCY"] == event.json["currency"])
            #expect(range["X-CARD-KIND"] == event.json["kind"])
        }
    }

    @Test func tsCarriesATimedID3Stream() throws {
        let out = try transcode("ts")
        let segments = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".ts") }.sorted()
        var events: [Event] = []
        var videoStart: Double?
        for name in segments {
            let path = "\(out)/\(name)"
            #expect(try streams(path).contains { $0["codec_name"] as? String == "timed_id3" }, "\(name) has no timed_id3 stream")
            if videoStart == nil { videoStart = try videoPackets(path).map(\.pts).min() }
            let packets = try probe(path, ["-select_streams", "d", "-show_packets", "-show_data"])["packets"] as? [[String: Any]] ?? []
            for packet in packets {
                let pts = Double(packet["pts_time"] as? String ?? "") ?? -1
                let bytes = Self.hexDump(packet["data"] as? String ?? "")
                let json = try #require(Self.payload(bytes), "not our ID3: \(bytes.prefix(32))")
                events.append(Event(seconds: pts, json: json))
            }
        }
        let start = try #require(videoStart)
        try check(events.map { Event(seconds: $0.seconds - start, json: $0.json) }, playlist: out)
    }

    @Test func fmp4FragmentsCarryEmsgBoxes() throws {
        let out = try transcode("fmp4")
        let segments = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".m4s") }.sorted()
        var events: [Event] = []
        for name in segments {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(name)")))
            let (boxes, found) = try Self.emsgEvents(bytes, name: name)
            events += found
            // Every emsg comes before the fragment it belongs to, never after a moof's mdat.
            if let last = boxes.lastIndex(of: "emsg") { #expect(last + 1 < boxes.count && boxes[last + 1] == "moof", "\(name): \(boxes)") }
        }
        try check(events, playlist: out)
        let withEvents = try #require(segments.first { name in
            (try? Data(contentsOf: URL(fileURLWithPath: "\(out)/\(name)")))?.range(of: Data("emsg".utf8)) != nil
        })
        let trace = try run("ffprobe", ["-v", "trace", try withInitSegment("\(out)/\(withEvents)")])
        #expect(trace.stderr.contains("type:'emsg'"), "ffprobe did not see the emsg box")
    }

    /// The top-level box types of an fMP4 fragment, and its emsg boxes' events (their
    /// presentation time, seconds on the media timeline).
    static func emsgEvents(_ bytes: [UInt8], name: String) throws -> (boxes: [String], events: [Event]) {
        var offset = 0
        var boxes: [String] = []
        var events: [Event] = []
        while offset + 8 <= bytes.count {
            let size = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            guard size >= 8, offset + size <= bytes.count else { break }
            boxes.append(type)
            if type == "emsg" {
                let box = Array(bytes[offset..<offset + size])
                #expect(box[8] == 1, "emsg version 1")
                let timescale = box[12..<16].reduce(0) { $0 << 8 | Int($1) }
                let time = box[16..<24].reduce(0) { $0 << 8 | Int($1) }
                #expect(String(decoding: box[32..<60], as: UTF8.self) == "https://aomedia.org/emsg/ID3")
                let json = try #require(Self.payload(box), "no ID3 payload in \(name)")
                events.append(Event(seconds: Double(time) / Double(timescale), json: json))
            }
            offset += size
        }
        return (boxes, events)
    }

    /// ffprobe's -show_data text ("00000000: 0000 0001 ...  ascii") back to bytes.
    static func hexDump(_ text: String) -> [UInt8] {
        text.split(separator: "\n").flatMap { line -> [UInt8] in
            guard let colon = line.firstIndex(of: ":") else { return [] }
            let hex = line[line.index(after: colon)...].prefix(41).replacingOccurrences(of: " ", with: "")
            return stride(from: 0, to: hex.count - 1, by: 2).compactMap { i in
                UInt8(hex.dropFirst(i).prefix(2), radix: 16)
            }
        }
    }
}
