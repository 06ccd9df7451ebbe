// End to end: the real binary turns the bundled show into a ladder; ffprobe and ffmpeg check it.
import Foundation
import Testing

@Suite(.serialized)
struct LadderOutputTests {
    static let ladder = "720p:3000k,480p:1400k,360p:800k"

    @Test func tsLadderSegmentsStartOnAlignedKeyframes() throws {
        let out = try Paths.scratch()
        let result = try vitrine(["transcode", Paths.fixture("show-720p.mp4"), "-o", out, "--ladder", Self.ladder, "--segment-duration", "2"])
        #expect(result.status == 0, "\(result.stderr)")

        var startsByRendition: [String: [Double]] = [:]
        var durationsByRendition: [String: [Double]] = [:]
        for name in ["720p", "480p", "360p"] {
            let playlist = try PlaylistText(path: "\(out)/\(name)/index.m3u8")
            #expect(playlist.value(of: "#EXT-X-PLAYLIST-TYPE") == "VOD")
            #expect(playlist.lines.last == "#EXT-X-ENDLIST")
            #expect(playlist.segments.count == 3)
            let target = Int(playlist.value(of: "#EXT-X-TARGETDURATION") ?? "") ?? -1
            #expect(target == playlist.segments.map { Int($0.duration.rounded()) }.max())
            durationsByRendition[name] = playlist.segments.map(\.duration)
            var starts: [Double] = []
            for segment in playlist.segments {
                let packets = try videoPackets("\(out)/\(name)/\(segment.uri)")
                let first = try #require(packets.first)
                #expect(first.key, "\(name)/\(segment.uri) does not start with a keyframe")
                #expect(packets.filter(\.key).count == 1, "\(name)/\(segment.uri) has a keyframe inside")
                starts.append(packets.map(\.pts).min()!)
                // The segment decodes on its own, with every frame.
                let decoded = try run("ffmpeg", ["-v", "error", "-i", "\(out)/\(name)/\(segment.uri)", "-f", "null", "-"])
                #expect(decoded.status == 0 && decoded.stderr.isEmpty, "\(name)/\(segment.uri): \(decoded.stderr)")
            }
            startsByRendition[name] = starts
        }
        #expect(startsByRendition["720p"] == startsByRendition["480p"])
        #expect(startsByRendition["720p"] == startsByRendition["360p"])
        #expect(durationsByRendition["720p"] == durationsByRendition["360p"])
        #expect(durationsByRendition["720p"]?.reduce(0, +) ?? 0 > 5.9)
    }

    @Test func masterPlaylistDescribesWhatWasEncoded() throws {
        let out = try Paths.scratch()
        let result = try vitrine(["transcode", Paths.fixture("show-720p.mp4"), "-o", out, "--ladder", Self.ladder])
        #expect(result.status == 0, "\(result.stderr)")
        let variants = try masterVariants("\(out)/master.m3u8")
        #expect(variants.map(\.uri) == ["720p/index.m3u8", "480p/index.m3u8", "360p/index.m3u8"])
        let expected = [("1280x720", 3_000_000), ("854x480", 1_400_000), ("640x360", 800_000)]
        for (variant, (resolution, bitrate)) in zip(variants, expected) {
            let a = variant.attributes
            #expect(a["RESOLUTION"] == resolution)
            #expect(a["FRAME-RATE"] == "30.000")
            let bandwidth = Int(a["BANDWIDTH"] ?? "") ?? 0
            let average = Int(a["AVERAGE-BANDWIDTH"] ?? "") ?? 0
            #expect(bandwidth >= average && average > 0)
            // Measured, so near the target but not equal to it.
            #expect(Double(average) > Double(bitrate) * 0.6 && Double(average) < Double(bitrate) * 1.6)
            let stream = try #require(try streams("\(out)/\(variant.uri)").first { $0["codec_type"] as? String == "video" })
            let profile = stream["profile"] as? String ?? ""
            let level = stream["level"] as? Int ?? 0
            let codecs = a["CODECS"] ?? ""
            #expect(codecs.hasSuffix(",mp4a.40.2"))
            let avc = String(codecs.prefix { $0 != "," })
            #expect(avc.hasPrefix(profile == "High" ? "avc1.64" : "avc1.4d"), "\(avc) vs \(profile)")
            #expect(Int(avc.suffix(2), radix: 16) == level)
            // Measured peak: the largest segment's bits over its duration.
            let playlist = try PlaylistText(path: "\(out)/\(variant.uri)")
            let dir = (("\(out)/\(variant.uri)") as NSString).deletingLastPathComponent
            let peak = try playlist.segments.map { s -> Double in
                let size = try FileManager.default.attributesOfItem(atPath: "\(dir)/\(s.uri)")[.size] as! Int
                return Double(size * 8) / s.duration
            }.max() ?? 0
            #expect(abs(Double(bandwidth) - peak) / peak < 0.01)
        }
        let audio = try streams("\(out)/360p/index.m3u8").first { $0["codec_type"] as? String == "audio" }
        #expect(audio?["sample_rate"] as? String == "48000")
        #expect(audio?["channels"] as? Int == 2)
        #expect(audio?["profile"] as? String == "LC")
    }

    @Test func fmp4LadderUsesInitSegmentsAndPlaysBack() throws {
        let out = try Paths.scratch()
        let result = try vitrine(["transcode", Paths.fixture("show-720p.mp4"), "-o", out, "--ladder", "480p:1400k,360p:800k", "--segment-format", "fmp4"])
        #expect(result.status == 0, "\(result.stderr)")
        let playlist = try PlaylistText(path: "\(out)/360p/index.m3u8")
        #expect(playlist.value(of: "#EXT-X-MAP") == "URI=\"init.mp4\"")
        #expect(playlist.value(of: "#EXT-X-VERSION") == "7")
        #expect(playlist.segments.allSatisfy { $0.uri.hasSuffix(".m4s") })
        let initBytes = try Data(contentsOf: URL(fileURLWithPath: "\(out)/360p/init.mp4"))
        #expect(String(decoding: initBytes[4..<8], as: UTF8.self) == "ftyp")
        // ffmpeg as an HLS client reads the whole ladder without an error.
        let decoded = try run("ffmpeg", ["-v", "error", "-i", "\(out)/master.m3u8", "-map", "0", "-f", "null", "-"])
        #expect(decoded.status == 0 && decoded.stderr.isEmpty, "\(decoded.stderr)")
        // Each segment joined to its init segment starts on a keyframe.
        for segment in playlist.segments {
            let joined = "\(out)/joined.mp4"
            var data = initBytes
            data.append(try Data(contentsOf: URL(fileURLWithPath: "\(out)/360p/\(segment.uri)")))
            try data.write(to: URL(fileURLWithPath: joined))
            #expect(try videoPackets(joined).first?.key == true)
        }
    }

    @Test func defaultLadderComesFromTheSourceAndNeverUpscales() throws {
        let out = try Paths.scratch()
        let result = try vitrine(["transcode", Paths.fixture("show-720p.mp4"), "-o", out])
        #expect(result.status == 0, "\(result.stderr)")
        let resolutions = try masterVariants("\(out)/master.m3u8").map { $0.attributes["RESOLUTION"] ?? "" }
        #expect(resolutions == ["1280x720", "854x480", "640x360", "426x240"])
        #expect(!FileManager.default.fileExists(atPath: "\(out)/1080p"))
    }

    @Test func jsonProgressIsOneObjectPerLine() throws {
        let out = try Paths.scratch()
        let result = try vitrine(["transcode", Paths.fixture("show-720p.mp4"), "-o", out, "--ladder", "360p:800k", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let objects = result.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(objects.count == result.stdout.split(separator: "\n").count)
        let progress = objects.filter { $0["event"] as? String == "progress" }
        #expect(!progress.isEmpty)
        #expect(progress.allSatisfy { $0["fps"] != nil && $0["speed"] != nil && $0["seconds"] != nil })
        #expect((progress.last?["percent"] as? Double ?? 0) > 90)
        let done = try #require(objects.last)
        #expect(done["event"] as? String == "done")
        #expect((done["master"] as? String)?.hasSuffix("master.m3u8") == true)
    }
}
