// End to end: `vitrine serve --http` as the HLS origin. The ffmpeg CLI publishes over RTMP;
// curl and the ffmpeg CLI (as an HLS client) read the live stream over HTTP on loopback, and
// path traversal attempts never reach a file outside what Vitrine wrote.
import Foundation
import Testing

/// One HTTP exchange through curl: status, response headers (lower-cased names) and body.
struct CurlResponse {
    var status: Int
    var headers: [String: String]
    var body: Data
}

func curl(_ url: String, _ options: [String] = [], scratch: String) throws -> CurlResponse {
    let stem = (scratch as NSString).appendingPathComponent("curl-\(UUID().uuidString.prefix(8))")
    // --path-as-is: send "..", "%2e" and friends exactly as written, as a hostile client would.
    let result = try run("/usr/bin/curl", ["-sS", "--path-as-is", "--max-time", "20", "-D", stem + ".h", "-o", stem + ".b",
                                           "-w", "%{http_code}"] + options + [url], timeout: 30)
    let head = (try? String(contentsOfFile: stem + ".h", encoding: .utf8)) ?? ""
    var headers: [String: String] = [:]
    for line in head.split(separator: "\r\n").dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    let body = FileManager.default.contents(atPath: stem + ".b") ?? Data()
    return CurlResponse(status: Int(result.stdout) ?? 0, headers: headers, body: body)
}

@Suite(.serialized) struct OriginHTTPTests {
    @Test func servesTheLiveStreamOverHTTP() throws {
        let key = "sk-origin-51c2e"
        let server = try LiveServer(keys: [key], extra: ["--ladder", "360p:800k,240p:400k", "--list-size", "3", "--grace", "2"])
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.httpPort)"
        let scratch = server.data
        #expect(try curl("\(base)/healthz", scratch: scratch).status == 200)
        #expect(try curl("\(base)/readyz", scratch: scratch).status == 200)

        let publisher = try Publisher.ffmpeg(server.url(key), loops: 3, scratch: scratch)
        let hls = try server.hls(key)
        let id = (hls as NSString).lastPathComponent
        let masterURL = "\(base)/hls/\(id)/master.m3u8"
        let appeared = waitUntil(seconds: 20) { (try? curl(masterURL, scratch: scratch).status) == 200 }
        try #require(appeared, "no master over HTTP: \(server.logText())")

        let master = try curl(masterURL, scratch: scratch)
        #expect(master.headers["content-type"] == "application/vnd.apple.mpegurl")
        // Each player's master carries its own viewer session token, so no shared cache keeps it.
        #expect(master.headers["cache-control"] == "private, no-store")
        #expect(master.headers["access-control-allow-origin"] == "*")
        let tagged = String(decoding: master.body, as: UTF8.self)
        let token = try #require(tagged.range(of: "360p/index.m3u8?vs=").map { String(tagged[$0.upperBound...].prefix { $0 != "\n" }) })
        let again = try curl(masterURL + "?vs=" + token, scratch: scratch)
        #expect(String(decoding: again.body, as: UTF8.self).contains("360p/index.m3u8?vs=" + token), "a player keeps its token")
        let forged = try curl(masterURL + "?vs=myplayer01", scratch: scratch)
        #expect(!String(decoding: forged.body, as: UTF8.self).contains("vs=myplayer01"), "a made-up token was kept")

        let media = try curl("\(base)/hls/\(id)/360p/index.m3u8", scratch: scratch)
        #expect(media.status == 200)
        #expect(media.headers["content-type"] == "application/vnd.apple.mpegurl")
        #expect(media.headers["cache-control"] == "public, max-age=1")
        #expect(media.headers["access-control-allow-origin"] == "*")
        let newest = try #require(String(decoding: media.body, as: UTF8.self).split(separator: "\n").last { $0.hasPrefix("seg_") })

        // A segment: immutable, validated, ranged, and HEAD-able.
        let segmentURL = "\(base)/hls/\(id)/360p/\(newest)"
        let segment = try curl(segmentURL, scratch: scratch)
        #expect(segment.status == 200)
        #expect(segment.headers["content-type"] == "video/mp4", "live segments are fMP4 by default")
        #expect(segment.headers["cache-control"] == "public, max-age=31536000, immutable")
        #expect(segment.body == FileManager.default.contents(atPath: "\(hls)/360p/\(newest)"))
        let size = segment.body.count
        let etag = try #require(segment.headers["etag"])
        #expect(try curl(segmentURL, ["-H", "If-None-Match: \(etag)"], scratch: scratch).status == 304)
        let part = try curl(segmentURL, ["-H", "Range: bytes=0-187"], scratch: scratch)
        #expect(part.status == 206)
        #expect(part.headers["content-range"] == "bytes 0-187/\(size)")
        #expect(part.body == segment.body.prefix(188))
        let beyond = try curl(segmentURL, ["-H", "Range: bytes=\(size)-"], scratch: scratch)
        #expect(beyond.status == 416)
        #expect(beyond.headers["content-range"] == "bytes */\(size)")
        let head = try curl(segmentURL, ["--head"], scratch: scratch)
        #expect(head.status == 200)
        #expect(head.headers["content-length"] == "\(size)")
        #expect(head.headers["etag"] == etag)
        let preflight = try curl(segmentURL, ["-X", "OPTIONS", "-H", "Origin: https://shop.example",
                                              "-H", "Access-Control-Request-Headers: range"], scratch: scratch)
        #expect(preflight.status == 204)
        #expect(preflight.headers["access-control-allow-origin"] == "*")

        // The ffmpeg CLI as an HLS client reads the live ladder over HTTP.
        let read = try run("ffmpeg", ["-v", "error", "-i", masterURL, "-map", "0", "-t", "4", "-f", "null", "-"], timeout: 60)
        #expect(read.status == 0 && read.stderr.isEmpty, "ffmpeg reading over HTTP: \(read.stderr)")

        try expectTraversalRefused(base: base, id: id, port: server.httpPort, key: key, scratch: scratch)

        #expect(publisher.wait(seconds: 60) == 0, "publisher: \(publisher.output)")
        // After the grace period the playlist ends and may be cached a little longer.
        let ended = waitUntil(seconds: 15) {
            String(decoding: (try? curl("\(base)/hls/\(id)/360p/index.m3u8", scratch: scratch).body) ?? Data(), as: UTF8.self)
                .contains("#EXT-X-ENDLIST")
        }
        #expect(ended, "no EXT-X-ENDLIST over HTTP")
        #expect(try curl("\(base)/hls/\(id)/360p/index.m3u8", scratch: scratch).headers["cache-control"] == "public, max-age=60")
    }

    /// keys.json holds the stream key: no request outside the validated shapes may return it.
    private func expectTraversalRefused(base: String, id: String, port: Int, key: String, scratch: String) throws {
        let attempts = [
            "/hls/../keys.json", "/hls/%2e%2e/keys.json", "/hls/%2E%2E/%2E%2E/keys.json", "/hls/\(id)/720p/.seg_00001.ts.tmp",
            "/hls/\(id)/360p/.index.m3u8.tmp", "/hls/\(id)/360p/../../keys.json", "/hls/\(id)/360p/..%2f..%2fkeys.json",
            "/hls/\(id)/360p/index.m3u8%00", "/hls/\(id)%2f..%2f..%2fkeys.json", "/keys.json", "/hls/keys.json",
        ]
        for attempt in attempts {
            let response = try curl(base + attempt, scratch: scratch)
            #expect([400, 404].contains(response.status), "\(attempt) answered \(response.status)")
            #expect(!String(decoding: response.body, as: UTF8.self).contains(key), "\(attempt) leaked keys.json")
        }
        // A raw NUL byte in the request line (curl cannot send one): the parser refuses it.
        let raw = try run("/bin/bash", ["-c", """
            exec 3<>/dev/tcp/127.0.0.1/\(port)
            printf 'GET /hls/\(id)/master.m3u8\\x00/../../keys.json HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n' >&3
            timeout 5 cat <&3
            """], timeout: 20)
        #expect(raw.stdout.hasPrefix("HTTP/1.1 400") || raw.stdout.hasPrefix("HTTP/1.1 404") || raw.stdout.isEmpty, "NUL answered: \(raw.stdout.prefix(80))")
        #expect(!raw.stdout.contains(key))
    }
}
