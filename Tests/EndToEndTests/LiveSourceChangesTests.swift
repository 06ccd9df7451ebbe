// End to end: publishes whose shape is unusual — a mid-stream resolution change (a new AVC
// sequence header) and a video-only publish — through the real `vitrine serve`.
import Foundation
import Testing

@Suite(.serialized)
struct LiveSourceChangesTests {
    /// Joins two FLV files tag by tag, the second's timestamps after the first's, keeping its
    /// sequence headers: a publisher that switches resolution mid-stream, as OBS does on a
    /// canvas change. (ffmpeg's FLV muxer forwards the new sequence header when copying.)
    static func joinFLV(_ first: String, _ second: String, into output: String) throws {
        func tags(_ path: String) throws -> [(type: UInt8, time: Int, body: Data)] {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let bytes = [UInt8](data)
            var offset = Int(bytes[5]) << 24 | Int(bytes[6]) << 16 | Int(bytes[7]) << 8 | Int(bytes[8])
            offset += 4
            var result: [(UInt8, Int, Data)] = []
            while offset + 11 <= bytes.count {
                let size = Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
                let time = Int(bytes[offset + 7]) << 24 | Int(bytes[offset + 4]) << 16 | Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6])
                guard offset + 11 + size <= bytes.count else { break }
                result.append((bytes[offset], time, Data(bytes[(offset + 11)..<(offset + 11 + size)])))
                offset += 11 + size + 4
            }
            return result
        }
        var out = Data([0x46, 0x4C, 0x56, 1, 5, 0, 0, 0, 9, 0, 0, 0, 0])
        func append(_ type: UInt8, _ time: Int, _ body: Data) {
            let size = body.count
            out.append(contentsOf: [type, UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF),
                                    UInt8(time >> 16 & 0xFF), UInt8(time >> 8 & 0xFF), UInt8(time & 0xFF), UInt8(time >> 24 & 0xFF), 0, 0, 0])
            out.append(body)
            let total = size + 11
            out.append(contentsOf: [UInt8(total >> 24 & 0xFF), UInt8(total >> 16 & 0xFF), UInt8(total >> 8 & 0xFF), UInt8(total & 0xFF)])
        }
        var last = 0
        for tag in try tags(first) {
            append(tag.type, tag.time, tag.body)
            last = max(last, tag.time)
        }
        for tag in try tags(second) where tag.type != 18 { append(tag.type, tag.time + last + 33, tag.body) }
        try out.write(to: URL(fileURLWithPath: output))
    }

    @Test func resolutionChangeMidStreamKeepsTheLadder() throws {
        let scratch = try Paths.scratch()
        let tone = ["-f", "lavfi", "-i", "sine=frequency=440:duration=3", "-c:a", "aac"]
        try makeMedia("\(scratch)/a.flv", ["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=3"] + tone + ["-c:v", "libx264", "-g", "30"])
        try makeMedia("\(scratch)/b.flv", ["-f", "lavfi", "-i", "testsrc2=size=480x270:rate=30:duration=3"] + tone + ["-c:v", "libx264", "-g", "30"])
        try Self.joinFLV("\(scratch)/a.flv", "\(scratch)/b.flv", into: "\(scratch)/switch.flv")

        let server = try LiveServer(keys: ["switchkey"], extra: ["--ladder", "360p:800k,240p:400k", "--grace", "1"])
        defer { server.stop() }
        let publisher = try Publisher("/usr/bin/ffmpeg", ["-nostdin", "-v", "error", "-re", "-i", "\(scratch)/switch.flv", "-c", "copy", "-f", "flv",
                                                          server.url("switchkey")], scratch: scratch)
        #expect(publisher.wait(seconds: 30) == 0, "publish failed: \(publisher.output)")
        let hls = try server.hls("switchkey")
        #expect(waitUntil(seconds: 10) { livePlaylist("\(hls)/240p/index.m3u8")?.isEnded == true }, "\(server.logText().suffix(600))")
        #expect(server.logText().contains("decoder re-initialised"))

        // Both halves are in the output, at the ladder's sizes, decodable without an error.
        for (name, width, height) in [("360p", 640, 360), ("240p", 426, 240)] {
            let frames = try probe("\(hls)/\(name)/index.m3u8", ["-select_streams", "v:0", "-show_entries", "frame=width,height"])["frames"] as? [[String: Any]] ?? []
            #expect(frames.count >= 175, "\(name): \(frames.count) frames of 180")
            #expect(frames.allSatisfy { $0["width"] as? Int == width && $0["height"] as? Int == height })
            let decoded = try run("ffmpeg", ["-v", "error", "-i", "\(hls)/\(name)/index.m3u8", "-f", "null", "-"])
            #expect(decoded.status == 0 && decoded.stderr.isEmpty, "\(decoded.stderr)")
        }
        #expect(!(livePlaylist("\(hls)/360p/index.m3u8")?.lines.contains("#EXT-X-DISCONTINUITY") ?? true))
    }

    @Test func videoOnlyPublishGivesVideoOnlyRenditions() throws {
        let scratch = try Paths.scratch()
        let server = try LiveServer(keys: ["silentkey"], extra: ["--ladder", "240p:400k", "--grace", "1"])
        defer { server.stop() }
        let publisher = try Publisher("/usr/bin/ffmpeg", ["-nostdin", "-v", "error", "-re", "-i", Paths.fixture("show-720p.mp4"), "-an", "-c", "copy",
                                                          "-f", "flv", server.url("silentkey")], scratch: scratch)
        #expect(publisher.wait(seconds: 30) == 0, "publish failed: \(publisher.output)")
        let hls = try server.hls("silentkey")
        #expect(waitUntil(seconds: 10) { livePlaylist("\(hls)/240p/index.m3u8")?.isEnded == true }, "\(server.logText().suffix(600))")
        let variants = try masterVariants("\(hls)/master.m3u8")
        #expect(variants.count == 1)
        #expect(variants.first?.attributes["CODECS"]?.hasPrefix("avc1.") == true)
        #expect(variants.first?.attributes["CODECS"]?.contains("mp4a") == false)
        let kinds = try streams("\(hls)/240p/index.m3u8").compactMap { $0["codec_type"] as? String }
        #expect(kinds == ["video"])
    }
}
