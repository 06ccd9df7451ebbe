// End to end: hostile RTMP peers against the real `vitrine serve` while a real ffmpeg publish is
// live. Each hostile connection is closed with a log line naming the reason; the publish goes on
// untouched and its HLS ends complete.
import Foundation
import Testing

@Suite(.serialized)
struct HostilePeerTests {
    /// Each case: a name, what to send after connecting (nil handshake = raw bytes first), and
    /// a piece of the reason the server must log.
    struct Case: CustomStringConvertible {
        var name: String
        var handshake: Bool
        var bytes: [UInt8]
        var reason: String
        var description: String { name }
    }

    static var cases: [Case] {
        let (one, connect, createStream, publish) = (amf0One, rtmpConnect(), rtmpCreateStream(), rtmpPublish)
        var deep = amf0String("connect") + one
        for _ in 0..<100 { deep += [3, 0, 1, UInt8(ascii: "a")] }
        // 70 chunk streams, each left holding an unfinished 200-byte message.
        var manyStreams: [UInt8] = []
        for csid in 3..<63 { manyStreams += chunkHeader(csid: UInt8(csid), type: 20, length: 200) + [UInt8](repeating: 5, count: 128) }
        for id in 0..<10 { manyStreams += [0, UInt8(id)] + Array(chunkHeader(csid: 0, type: 20, length: 200).dropFirst()) + [UInt8](repeating: 5, count: 128) }
        return [
            Case(name: "wrong version byte", handshake: false, bytes: [99] + [UInt8](repeating: 1, count: 1536), reason: "version byte 99"),
            Case(name: "HTTP request", handshake: false, bytes: Array("GET /live/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8), reason: "HTTP request"),
            Case(name: "random flood", handshake: false, bytes: [3] + (0..<65_536).map { _ in UInt8.random(in: 0...255) }, reason: "rtmp connection closed"),
            Case(name: "chunk size 0", handshake: true, bytes: chunkHeader(csid: 2, type: 1, length: 4) + [0, 0, 0, 0], reason: "Chunk Size 0 outside"),
            Case(name: "chunk size 2^31-1", handshake: true, bytes: chunkHeader(csid: 2, type: 1, length: 4) + [0x7F, 0xFF, 0xFF, 0xFF], reason: "Chunk Size 2147483647"),
            Case(name: "message over the cap", handshake: true, bytes: chunkHeader(csid: 3, type: 20, length: 0xFF_FFFF) + [2], reason: "exceeds limit 10485760"),
            Case(name: "type-1 chunk without a type-0", handshake: true, bytes: chunkHeader(csid: 5, type: 20, length: 10, fmt: 1) + [UInt8](repeating: 0, count: 10), reason: "never had a type-0"),
            Case(name: "publish before connect", handshake: true, bytes: publish("key"), reason: "before connect"),
            Case(name: "AMF0 nested past the limit", handshake: true, bytes: chunked(csid: 3, type: 20, body: deep), reason: "nesting deeper than 64"),
            Case(name: "unknown message type", handshake: true, bytes: chunked(csid: 3, type: 0x7E, body: [1, 2, 3, 4]), reason: "unknown message type 126"),
            Case(name: "too many chunk streams", handshake: true, bytes: manyStreams, reason: "limit of 64 chunk streams"),
            Case(name: "over-long key", handshake: true, bytes: connect + createStream + publish(String(repeating: "k", count: 300)), reason: "name of 300 bytes exceeds"),
            Case(name: "path-like key", handshake: true, bytes: connect + createStream + publish("..secret"), reason: "path-like"),
        ]
    }

    /// A publisher that never reads while it makes the server answer (pings, after publishing,
    /// where no reply budget applies): the server stops reading from it once its output stops
    /// draining, so what it takes from the peer stays bounded, and closes it within seconds
    /// (the close does not wait on the zero window).
    @Test func aPublisherThatNeverReadsIsClosedWithBoundedMemory() throws {
        let server = try LiveServer(keys: ["deafkey"], extra: ["--ladder", "360p:800k"])
        defer { server.stop() }
        let client = try RawClient(port: server.port, receiveBuffer: 4096)
        #expect(client.handshake())
        #expect(client.send(rtmpConnect() + rtmpCreateStream() + rtmpPublish("deafkey")))
        var pings: [UInt8] = []
        for i in 0..<4096 { pings += rtmpPing(UInt32(i)) }
        let budget = 64 << 20
        var taken = 0, pending = pings[...]
        var last = RawClient.Attempt.sent(0)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if pending.isEmpty { pending = pings[...] }
            last = taken < budget ? client.trySend(Array(pending)) : .wouldBlock
            if case .sent(let n) = last { taken += n; pending = pending.dropFirst(n); continue }
            if last == .closed { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(last == .closed, "the server kept a non-reading peer open; it took \(taken >> 20) MiB of pings")
        #expect(taken < 32 << 20, "the server took \(taken >> 20) MiB from a peer that reads nothing")
        #expect(waitUntil(seconds: 5) { server.logText().contains("peer has not read our output") }, "\(server.logText().suffix(800))")
    }

    @Test func hostilePeersAreClosedWhileAPublishGoesOn() throws {
        let server = try LiveServer(keys: ["showkey"], extra: ["--ladder", "360p:800k", "--grace", "2"])
        defer { server.stop() }
        let scratch = try Paths.scratch()
        let publisher = try Publisher.ffmpeg(server.url("showkey"), loops: 0, scratch: scratch)
        let hls = try server.hls("showkey")
        #expect(waitUntil(seconds: 15) { livePlaylist("\(hls)/360p/index.m3u8") != nil }, "publish never went live: \(server.logText().suffix(800))")

        // A peer that connects and never speaks is cut off at the handshake deadline.
        let staller = try RawClient(port: server.port)
        for hostile in Self.cases {
            let client = try RawClient(port: server.port)
            if hostile.handshake { #expect(client.handshake(), "\(hostile.name): handshake failed") }
            client.send(hostile.bytes)
            #expect(client.closedByServer(within: 5), "\(hostile.name): connection left open")
        }
        #expect(staller.closedByServer(within: 12), "a silent peer was never cut off")

        #expect(publisher.wait(seconds: 30) == 0, "the publish was disturbed: \(publisher.output)")
        let log = server.logText()
        let closes = log.split(separator: "\n").filter { $0.contains("rtmp connection closed") }
        for hostile in Self.cases {
            #expect(closes.contains { $0.localizedCaseInsensitiveContains(hostile.reason) }, "no close reason mentioning '\(hostile.reason)' for \(hostile.name)")
        }
        #expect(closes.contains { $0.contains("ms") && $0.contains("within") || $0.contains("nothing received") }, "no deadline close logged")
        #expect(!log.contains("showkey"), "the stream key leaked into the log")

        #expect(waitUntil(seconds: 10) { livePlaylist("\(hls)/360p/index.m3u8")?.isEnded == true })
        let playlist = try #require(livePlaylist("\(hls)/360p/index.m3u8"))
        #expect(!playlist.lines.contains("#EXT-X-DISCONTINUITY"))
        let decoded = try run("ffmpeg", ["-v", "error", "-i", "\(hls)/360p/index.m3u8", "-f", "null", "-"])
        #expect(decoded.status == 0 && decoded.stderr.isEmpty, "\(decoded.stderr)")
    }
}

@Suite(.serialized)
struct ConnectionCapTests {
    /// One address may hold only so many connections (here 3, by VITRINE_RTMP_MAX_PER_ADDRESS):
    /// the next is closed at once with a log line, and the slot comes back when one closes.
    @Test func anAddressPastItsCapIsRefusedAndLogged() throws {
        let server = try LiveServer(keys: ["capkey"], environment: ["VITRINE_RTMP_MAX_PER_ADDRESS": "3"])
        defer { server.stop() }
        // Four at once: which one is refused depends on which event loop sets its connection up
        // last, so exactly one of the four is closed and three stay.
        var clients = try (0..<4).map { _ in try RawClient(port: server.port) }
        Thread.sleep(forTimeInterval: 0.5)
        let closed = clients.map { $0.closedByServer(within: 0.3) }
        #expect(closed.filter { $0 }.count == 1, "closed: \(closed)")
        #expect(waitUntil(seconds: 5) { server.logText().contains("per-address cap") }, "\(server.logText().suffix(800))")
        clients = zip(clients, closed).filter { !$0.1 }.map(\.0)
        clients.removeFirst()
        Thread.sleep(forTimeInterval: 0.5)
        let again = try RawClient(port: server.port)
        #expect(again.handshake(), "the freed slot was not given back")
    }
}
