// HLSOrigin without a port: headers, validators, ranges and refusals on files in a temp folder.
import Foundation
import HTTPTypes
import Hummingbird
import Testing
@testable import VitrineServer
@testable import VitrinePipeline

struct HLSOriginTests {
    static let id = "AbCdEfGh_-123456"
    let root: String
    let origin: HLSOrigin
    let segment = (0 ..< 1000).map { UInt8($0 % 251) }

    init() throws {
        root = try OriginFixture.root(id: Self.id, prefix: "vitrine-origin")
        let rendition = "\(root)/\(Self.id)/720p"
        try Data(segment).write(to: URL(fileURLWithPath: "\(rendition)/seg_00000.ts"))
        try Data("secret".utf8).write(to: URL(fileURLWithPath: "\(rendition)/.seg_00001.ts.tmp"))
        try Data("{}".utf8).write(to: URL(fileURLWithPath: "\(root)/keys.json"))
        try FileManager.default.createSymbolicLink(atPath: "\(rendition)/seg_00002.ts", withDestinationPath: "\(root)/keys.json")
        origin = HLSOrigin(root: root)
    }

    private func get(_ target: String, _ headers: [HTTPField.Name: String] = [:], method: HTTPRequest.Method = .get) async -> Response {
        var fields = HTTPFields()
        for (name, value) in headers { fields[name] = value }
        return await origin.respond(method: method, target: target, headers: fields)
    }

    private func body(_ response: Response) async throws -> [UInt8] {
        let collector = Collector()
        try await response.body.write(collector)
        return collector.bytes
    }

    @Test func playlistsAreLabelledForPlayersAndCaches() async throws {
        let master = await get("/hls/\(Self.id)/master.m3u8")
        #expect(master.status == .ok)
        #expect(master.headers[.contentType] == "application/vnd.apple.mpegurl")
        #expect(master.headers[.cacheControl] == "no-cache")
        #expect(master.headers[.accessControlAllowOrigin] == "*")
        let media = await get("/hls/\(Self.id)/720p/index.m3u8")
        #expect(media.headers[.cacheControl] == "public, max-age=1")
        #expect(try await body(media) == Array("#EXTM3U\n#EXTINF:2.0,\nseg_00000.ts\n".utf8))
    }

    @Test func segmentValidatorsRangesAndHead() async throws {
        let path = "/hls/\(Self.id)/720p/seg_00000.ts"
        let full = await get(path)
        #expect(full.status == .ok)
        #expect(full.headers[.contentType] == "video/mp2t")
        #expect(full.headers[.cacheControl] == "public, max-age=31536000, immutable")
        #expect(try await body(full) == segment)
        let etag = try #require(full.headers[.eTag])
        #expect(etag.hasPrefix("\"") && !etag.hasPrefix("W/"))

        #expect(await get(path, [.ifNoneMatch: etag]).status == .notModified)
        #expect(await get(path, [.ifNoneMatch: "W/\(etag), \"other\""]).status == .notModified)
        #expect(await get(path, [.ifNoneMatch: "\"other\""]).status == .ok)

        let part = await get(path, [.range: "bytes=10-19"])
        #expect(part.status == .partialContent)
        #expect(part.headers[.contentRange] == "bytes 10-19/1000")
        #expect(part.headers[.contentLength] == "10")
        #expect(try await body(part) == Array(segment[10 ... 19]))
        #expect(await get(path, [.range: "bytes=10-19", .ifRange: "\"stale\""]).status == .ok)

        let beyond = await get(path, [.range: "bytes=5000-"])
        #expect(beyond.status == .rangeNotSatisfiable)
        #expect(beyond.headers[.contentRange] == "bytes */1000")

        let head = await get(path, method: .head)
        #expect(head.status == .ok)
        #expect(head.headers[.contentLength] == "1000")
        #expect(head.headers[.eTag] == etag)
        #expect(try await body(head).isEmpty)
    }

    @Test func aClipMP4IsStreamedInChunksWithRanges() async throws {
        // Larger than two chunks, so whole and ranged answers each cross chunk boundaries.
        let clip = (0 ..< 2 * StreamedFile.chunkBytes + 1234).map { UInt8(($0 * 7) % 253) }
        try Data(clip).write(to: URL(fileURLWithPath: "\(root)/\(Self.id)/\(Self.id).mp4"))
        let path = "/hls/\(Self.id)/\(Self.id).mp4"
        let full = await get(path)
        #expect(full.status == .ok)
        #expect(full.headers[.contentType] == "video/mp4" && full.headers[.acceptRanges] == "bytes")
        #expect(full.headers[.cacheControl] == "public, max-age=31536000, immutable")
        #expect(full.headers[.contentLength] == "\(clip.count)")
        let collector = Collector()
        try await full.body.write(collector)
        #expect(collector.bytes == clip)
        #expect(collector.writes == 3, "read and sent in \(collector.writes) pieces")

        let from = StreamedFile.chunkBytes - 10, to = StreamedFile.chunkBytes + 20
        let part = await get(path, [.range: "bytes=\(from)-\(to)"])
        #expect(part.status == .partialContent)
        #expect(part.headers[.contentRange] == "bytes \(from)-\(to)/\(clip.count)")
        #expect(try await body(part) == Array(clip[from ... to]))
        let etag = try #require(full.headers[.eTag])
        #expect(await get(path, [.ifNoneMatch: etag]).status == .notModified)
        #expect(await get(path, [.range: "bytes=\(clip.count)-"]).status == .rangeNotSatisfiable)
        let head = await get(path, method: .head)
        #expect(head.status == .ok && head.headers[.contentLength] == "\(clip.count)")
        #expect(try await body(head).isEmpty)

        // Only the clip's own name, never a link out of the HLS root.
        try Data(clip).write(to: URL(fileURLWithPath: "\(root)/\(Self.id)/other.mp4"))
        #expect(await get("/hls/\(Self.id)/other.mp4").status == .notFound)
        let linked = "ZyXwVuTs_-654321"
        try FileManager.default.createDirectory(atPath: "\(root)/\(linked)", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: "\(root)/\(linked)/\(linked).mp4", withDestinationPath: "\(root)/keys.json")
        #expect(await get("/hls/\(linked)/\(linked).mp4").status == .notFound, "a symbolic link is followed")
    }

    @Test func refusesTempFilesLinksAndUnknownNames() async {
        #expect(await get("/hls/\(Self.id)/720p/.seg_00001.ts.tmp").status == .notFound)
        #expect(await get("/hls/\(Self.id)/720p/seg_00002.ts").status == .notFound, "a symbolic link is followed")
        #expect(await get("/hls/\(Self.id)/720p/seg_00009.ts").status == .notFound)
        #expect(await get("/hls/../keys.json").status == .notFound)
        #expect(await get("/hls/\(Self.id)/720p/seg_00000.ts", method: .post).status == .methodNotAllowed)
    }

    @Test func answersPreflight() async {
        let preflight = await get("/hls/\(Self.id)/720p/seg_00000.ts", method: .options)
        #expect(preflight.status == .noContent)
        #expect(preflight.headers[.accessControlAllowOrigin] == "*")
        #expect(preflight.headers[.accessControlAllowHeaders]?.contains("Range") == true)
    }

    @Test func readinessNamesWhatIsMissing() {
        let readiness = Readiness()
        #expect(readiness.missing == ["rtmp", "http"])
        readiness.rtmpDidStart()
        readiness.httpDidStart()
        #expect(readiness.missing.isEmpty)
        readiness.shutdownBegan()
        #expect(readiness.missing == ["shutting down"])
    }
}

/// Collects a response body in memory.
final class Collector: ResponseBodyWriter, @unchecked Sendable {
    var bytes: [UInt8] = []
    var writes = 0
    func write(_ buffer: ByteBuffer) async throws {
        bytes += buffer.readableBytesView
        writes += 1
    }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

/// Live files in memory are served first, with their own validators; disk answers the rest.
struct HLSOriginMemoryTests {
    @Test func memoryEntriesWinOverDiskAndMissingOnesFallBack() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vitrine-origin-mem-\(UUID().uuidString.prefix(8))").path
        let id = "AbCdEfGh_-123456"
        try FileManager.default.createDirectory(atPath: "\(root)/\(id)/360p", withIntermediateDirectories: true)
        try Data("#EXTM3U\n# disk\n".utf8).write(to: URL(fileURLWithPath: "\(root)/\(id)/360p/index.m3u8"))
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: "\(root)/\(id)/360p/seg_00001.ts"))
        let memory = LiveHLSMemory()
        memory.put("\(id)/360p/index.m3u8", Array("#EXTM3U\n# memory\n".utf8))
        let origin = HLSOrigin(root: root, memory: memory)
        let playlist = await origin.respond(method: .get, target: "/hls/\(id)/360p/index.m3u8", headers: [:])
        #expect(playlist.status == .ok)
        #expect(playlist.headers[.eTag]?.hasPrefix("\"m") == true)
        let segment = await origin.respond(method: .get, target: "/hls/\(id)/360p/seg_00001.ts", headers: [:])
        #expect(segment.status == .ok && segment.headers[.contentLength] == "3")
        #expect(segment.headers[.eTag]?.hasPrefix("\"m") == false)
        var conditional = HTTPFields()
        conditional[.ifNoneMatch] = try #require(playlist.headers[.eTag])
        #expect(await origin.respond(method: .get, target: "/hls/\(id)/360p/index.m3u8", headers: conditional).status == .notModified)
    }

    @Test(arguments: [(784_111_777.0, "Sun, 06 Nov 1994 08:49:37 GMT"), (1_796_227_278.9, "Wed, 02 Dec 2026 16:01:18 GMT"),
                      (951_782_400.0, "Tue, 29 Feb 2000 00:00:00 GMT")])
    func lastModifiedIsAnIMFFixdate(seconds: Double, text: String) {
        #expect(HLSOrigin.httpDate(Date(timeIntervalSince1970: seconds)) == text)
    }
}
