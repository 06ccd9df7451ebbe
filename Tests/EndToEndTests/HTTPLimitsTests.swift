// End to end: what one HTTP client may hold at the real `vitrine serve`. A request head that
// trickles in is cut off at the head deadline, a response nobody reads at the write deadline,
// open connections are capped in all and per address, and request bodies being read at once
// share a byte budget. Each bound is set small through the environment or a flag.
import Foundation
import Testing

@Suite(.serialized)
struct HTTPLimitsTests {
    /// A client that opens a connection to the origin and sends nothing is cut off after the idle
    /// timeout (2 s here, by VITRINE_HTTP_IDLE_TIMEOUT_SECONDS), while the origin goes on answering.
    @Test func anIdleConnectionIsClosed() throws {
        let server = try LiveServer(keys: [], environment: ["VITRINE_HTTP_IDLE_TIMEOUT_SECONDS": "2"])
        defer { server.stop() }
        let silent = try RawClient(port: server.httpPort)
        #expect(!silent.closedByServer(within: 1), "closed before the timeout")
        #expect(silent.closedByServer(within: 4), "an idle HTTP connection was left open")
        #expect(try curl(server.base + "/healthz", [], scratch: server.data).status == 200)
    }

    /// Slowloris: one header line every half second keeps the idle timer (30 s) from firing, but
    /// the head is not complete within the 2 s head deadline, so the connection is closed.
    @Test func aTricklingRequestHeadIsCutOff() throws {
        let server = try LiveServer(keys: [], environment: ["VITRINE_HTTP_HEADER_TIMEOUT_SECONDS": "2"])
        defer { server.stop() }
        let slow = try RawClient(port: server.httpPort)
        #expect(slow.send(Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n".utf8)))
        var cut = false
        for line in 0..<20 where !cut {
            if !slow.send(Array("X-Trickle-\(line): 1\r\n".utf8)) { cut = true; break }
            cut = slow.closedByServer(within: 0.5)
        }
        #expect(cut, "a request head trickling for 10 s was never cut off")
        #expect(waitUntil(seconds: 5) { server.logText().contains("no complete request head within 2.0 s") }, "\(server.logText().suffix(600))")
        // A client that sends its head at once, then waits between requests, is answered.
        #expect(try curl(server.base + "/healthz", [], scratch: server.data).status == 200)
    }

    /// At the cap (3 here) a new connection is not served until one closes, and the cap is logged.
    @Test func connectionsPastTheCapWait() throws {
        let server = try LiveServer(keys: [], environment: ["VITRINE_HTTP_MAX_CONNECTIONS": "3"])
        defer { server.stop() }
        var held = try (0..<3).map { _ in try RawClient(port: server.httpPort) }
        #expect(waitUntil(seconds: 5) { server.logText().contains("http connection cap reached") }, "\(server.logText().suffix(600))")
        #expect(try curl(server.base + "/healthz", ["--max-time", "2"], scratch: server.data).status == 0, "served past the cap")
        held.removeFirst()
        #expect(waitUntil(seconds: 10) { (try? curl(server.base + "/healthz", ["--max-time", "2"], scratch: server.data).status) == 200 })
        _ = held
    }

    /// One address holding its 8 connections (--http-max-per-address 8, the global cap 12) does
    /// not shut out another: 127.0.0.2 is answered at once while every further connection from
    /// 127.0.0.1 is closed as it opens, and the refusals are logged at most once a second with
    /// their count. Without the per-address cap, 127.0.0.1's 12 sockets would fill the global cap.
    @Test func oneAddressCannotTakeEverySlot() throws {
        let server = try LiveServer(keys: [], extra: ["--http-max-per-address", "8"], environment: ["VITRINE_HTTP_MAX_CONNECTIONS": "12"])
        defer { server.stop() }
        let clients = try (0..<12).map { _ in try RawClient(port: server.httpPort) }
        // Which 4 are refused depends on the order the event loops take them up, not on the
        // order they were opened.
        #expect(waitUntil(seconds: 5) { server.logText().contains("http connection refused") }, "\(server.logText().suffix(600))")
        Thread.sleep(forTimeInterval: 0.3)
        let held = clients.filter { !$0.closedByServer(within: 0.1) }
        #expect(held.count == 8, "\(held.count) connections from one address kept open; the cap is 8")
        let started = Date()
        let other = try curl(server.base + "/healthz", ["--interface", "127.0.0.2", "--max-time", "3"], scratch: server.data)
        #expect(other.status == 200, "another address was not answered")
        #expect(Date().timeIntervalSince(started) < 1.5, "another address waited \(Date().timeIntervalSince(started)) s")
        #expect(held.allSatisfy { !$0.closedByServer(within: 0.05) }, "a connection within the cap was closed")
        // The first refusal is logged at once; the next three (within the second) are folded into
        // the line of the next refusal a second later.
        Thread.sleep(forTimeInterval: 1.1)
        let late = try RawClient(port: server.httpPort)
        #expect(late.closedByServer(within: 2))
        #expect(waitUntil(seconds: 5) { server.logText().contains("refused=4") }, "\(server.logText().suffix(800))")
        #expect(server.logText().components(separatedBy: "http connection refused").count - 1 == 2, "not rate-limited")
        _ = held
    }

    /// A client that asks for a 16 MiB segment and reads none of it is cut off at the write
    /// deadline (2 s here), logged; without it the response would sit in memory while the
    /// connection lives (it is not idle: a response is in flight).
    @Test func aResponseNobodyReadsIsCutOff() throws {
        // The other deadlines far off: the head deadline runs from a response's end being queued.
        let server = try LiveServer(keys: [], extra: ["--http-write-timeout", "2"], environment: [
            "VITRINE_HTTP_IDLE_TIMEOUT_SECONDS": "60", "VITRINE_HTTP_HEADER_TIMEOUT_SECONDS": "60",
        ])
        defer { server.stop() }
        let folder = (server.data as NSString).appendingPathComponent("hls/AbCdEfGh12345678/360p")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(count: 16 << 20).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent("seg_00001.m4s")))
        let sleeper = try RawClient(port: server.httpPort, receiveBuffer: 4096)
        #expect(sleeper.send(Array("GET /hls/AbCdEfGh12345678/360p/seg_00001.m4s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)))
        #expect(waitUntil(seconds: 8) { server.logText().contains("the client took nothing of a response for 2.0 s") },
                "\(server.logText().suffix(600))")
        // What the kernel already held arrives, then the end.
        #expect(sleeper.closedByServer(within: 5), "the stalled connection was left open")
        #expect(try curl(server.base + "/healthz", [], scratch: server.data).status == 200)
    }

    /// Two uploads of 1 MiB each are being read (their bodies have not arrived); with a 2 MiB
    /// budget a third request is answered 503 with Retry-After before its body is read, and once
    /// the two go away the budget is free again.
    @Test func requestBodiesShareAByteBudget() throws {
        let server = try LiveServer(keys: [], environment: [
            "VITRINE_MAX_BODY_BYTES": "1048576", "VITRINE_CONCURRENT_BODY_BYTES": "2097152",
            "VITRINE_HTTP_HEADER_TIMEOUT_SECONDS": "60",
        ])
        defer { server.stop() }
        let head = "POST /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(LiveServer.token)\r\n"
            + "Content-Type: application/json\r\nContent-Length: 1048576\r\n\r\n{\"input\":"
        var uploads = try (0..<2).map { _ in try RawClient(port: server.httpPort) }
        for upload in uploads { #expect(upload.send(Array(head.utf8))) }
        var third = try server.api("POST", "/v1/jobs", body: ["input": "/nowhere.mp4"])
        #expect(waitUntil(seconds: 10) {
            third = (try? server.api("POST", "/v1/jobs", body: ["input": "/nowhere.mp4"])) ?? third
            return third.status == 503
        }, "status \(third.status): \(third.errorMessage)")
        #expect(third.errorMessage.contains("too many request bodies"))
        #expect(third.raw.headers["retry-after"] == "1")
        uploads.removeAll()
        #expect(waitUntil(seconds: 10) { (try? server.api("POST", "/v1/jobs", body: ["input": "/nowhere.mp4"]).status) == 400 })
    }
}
