// End to end: the real `vitrine serve` takes RTMP publishes from the real ffmpeg CLI and
// GStreamer, and writes live HLS that ffprobe/ffmpeg read while it is live and after it ends.
// Each test starts its own server on a free loopback port and kills it at the end.
import Foundation
import Testing

@Suite(.serialized) struct LiveIngestTests {
    static let gstLaunch = "/usr/bin/gst-launch-1.0"
    static var gstreamerAvailable: Bool { FileManager.default.isExecutableFile(atPath: gstLaunch) }

    /// Waits for the key's master playlist, then returns the folder.
    private func waitForMaster(_ server: LiveServer, key: String, seconds: Double = 15) throws -> String {
        let hls = try server.hls(key)
        let appeared = waitUntil(seconds: seconds) { FileManager.default.fileExists(atPath: "\(hls)/master.m3u8") }
        #expect(appeared, "no master playlist for \(key): \(server.logText())")
        return hls
    }

    /// Waits past the grace period for ENDLIST in every rendition, then reads the whole ladder.
    private func expectEndedAndReadable(_ hls: String, seconds: Double = 12) throws {
        let variants = try masterVariants("\(hls)/master.m3u8")
        #expect(!variants.isEmpty)
        for variant in variants {
            let ended = waitUntil(seconds: seconds) { livePlaylist("\(hls)/\(variant.uri)")?.isEnded == true }
            #expect(ended, "\(variant.uri) has no EXT-X-ENDLIST")
        }
        let read = try run("ffmpeg", ["-v", "error", "-i", "\(hls)/master.m3u8", "-map", "0", "-f", "null", "-"], timeout: 60)
        #expect(read.status == 0 && read.stderr.isEmpty, "ffmpeg reading the ended playlist: \(read.stderr)")
    }

    @Test func publishIsLiveThenEnds() throws {
        let key = "sk-live-7f3a9"
        // TS, for the players that know no fMP4 (the default); the other live tests use fMP4.
        let server = try LiveServer(keys: [key], extra: ["--ladder", "360p:800k,240p:400k", "--list-size", "3", "--grace", "2", "--live-format", "ts"])
        defer { server.stop() }
        let publisher = try Publisher.ffmpeg(server.url(key), scratch: server.data)
        let hls = try waitForMaster(server, key: key)
        let variants = try masterVariants("\(hls)/master.m3u8")
        #expect(variants.map(\.uri) == ["360p/index.m3u8", "240p/index.m3u8"])
        #expect(variants.allSatisfy { $0.attributes["CODECS"]?.contains("mp4a.40.2") == true })

        // While it publishes: a sliding window with wall-clock times and no end.
        var sequences: [Int] = []
        var probed = 0
        while publisher.process.isRunning {
            for variant in variants {
                guard let playlist = livePlaylist("\(hls)/\(variant.uri)") else { continue }
                guard publisher.process.isRunning else { break }
                #expect(!playlist.isEnded, "ENDLIST while the publisher is live")
                #expect(playlist.segments.count <= 3, "window larger than --list-size")
                #expect(playlist.programDateTimes == playlist.segments.count)
                if variant.uri.hasPrefix("360p") {
                    // RFC 8216bis 6.2.2: a segment that just left the window is still there to fetch.
                    if playlist.mediaSequence > 0 && !sequences.contains(where: { $0 > 0 }) {
                        #expect(FileManager.default.fileExists(atPath: "\(hls)/360p/seg_00000.ts"), "deleted as it left the window")
                    }
                    sequences.append(playlist.mediaSequence)
                }
                if let newest = playlist.segments.last, probed < 4 {
                    let folder = (variant.uri as NSString).deletingLastPathComponent
                    let packets = try videoPackets("\(hls)/\(folder)/\(newest.uri)")
                    #expect(packets.first?.key == true, "\(newest.uri) does not start with a keyframe")
                    probed += 1
                }
            }
            usleep(700_000)
        }
        #expect(publisher.wait(seconds: 5) == 0, "publisher: \(publisher.output)")
        #expect(zip(sequences, sequences.dropFirst()).allSatisfy { $0 <= $1 }, "media sequence went back: \(sequences)")
        #expect((sequences.last ?? 0) > 0, "the window never slid: \(sequences)")
        #expect(probed > 0)
        try expectEndedAndReadable(hls)
        // The key is a secret: no path under DIR and no line the live pipeline logs names it
        // (VitrineRTMP's own connection lines are out of this check).
        let paths = FileManager.default.subpaths(atPath: server.data) ?? []
        #expect(!paths.contains { $0.contains(key) }, "the stream key appears in an output path")
        let ours = server.logText().split(separator: "\n").filter { $0.contains("vitrine.live") || $0.contains("vitrine.serve") }
        #expect(!ours.contains { $0.contains(key) }, "the stream key appears in the live log")
        #expect(try !String(contentsOfFile: "\(hls)/master.m3u8", encoding: .utf8).contains(key))
    }

    @Test func twoPublishersAtOnceAndAWrongKey() throws {
        let server = try LiveServer(keys: ["alpha", "beta"], extra: ["--ladder", "240p:400k", "--grace", "2", "--preset", "ultrafast"])
        defer { server.stop() }
        let a = try Publisher.ffmpeg(server.url("alpha"), loops: 0, scratch: server.data)
        let b = try Publisher.ffmpeg(server.url("beta"), loops: 0, scratch: server.data)
        usleep(1_000_000)
        let wrong = try Publisher.ffmpeg(server.url("gamma"), loops: 0, scratch: server.data)
        let wrongStatus = wrong.wait(seconds: 10)
        #expect(wrongStatus != nil && wrongStatus != 0, "an unknown key was not refused: \(wrong.output)")
        #expect(a.process.isRunning && b.process.isRunning, "a refused publish disturbed the others")
        #expect(a.wait(seconds: 20) == 0, "alpha: \(a.output)")
        #expect(b.wait(seconds: 20) == 0, "beta: \(b.output)")
        let hlsA = try waitForMaster(server, key: "alpha")
        let hlsB = try waitForMaster(server, key: "beta")
        #expect(hlsA != hlsB)
        try expectEndedAndReadable(hlsA)
        try expectEndedAndReadable(hlsB)
    }

    @Test func duplicateKeyIsRefusedWhileTheFirstGoesOn() throws {
        let server = try LiveServer(keys: ["solo"], extra: ["--ladder", "240p:400k", "--grace", "2", "--preset", "ultrafast"])
        defer { server.stop() }
        let first = try Publisher.ffmpeg(server.url("solo"), loops: 0, scratch: server.data)
        let hls = try waitForMaster(server, key: "solo")
        let second = try Publisher.ffmpeg(server.url("solo"), loops: 0, scratch: server.data)
        let secondStatus = second.wait(seconds: 10)
        #expect(secondStatus != nil && secondStatus != 0, "a second publisher on a live key was accepted")
        #expect(first.process.isRunning, "the first publisher was dropped")
        #expect(first.wait(seconds: 15) == 0, "first: \(first.output)")
        try expectEndedAndReadable(hls)
        // The whole 6 s of the first publish made it, uninterrupted.
        let playlist = try PlaylistText(path: "\(hls)/240p/index.m3u8")
        #expect(!playlist.lines.contains("#EXT-X-DISCONTINUITY"))
        #expect(playlist.segments.reduce(0) { $0 + $1.duration } > 5.5)
    }

    @Test func reconnectWithinGraceContinuesAfterADiscontinuity() throws {
        let server = try LiveServer(keys: ["again"], extra: ["--ladder", "240p:400k", "--grace", "4", "--list-size", "10",
                                                             "--preset", "ultrafast"])
        defer { server.stop() }
        let first = try Publisher.ffmpeg(server.url("again"), loops: 0, scratch: server.data)
        #expect(first.wait(seconds: 15) == 0, "first: \(first.output)")
        let hls = try server.hls("again")
        let before = try #require(livePlaylist("\(hls)/240p/index.m3u8"))
        let second = try Publisher.ffmpeg(server.url("again"), loops: 0, scratch: server.data)
        #expect(second.wait(seconds: 15) == 0, "second: \(second.output)")
        // Still live right after the second publish ends: the grace period runs again.
        let during = try #require(livePlaylist("\(hls)/240p/index.m3u8"))
        #expect(!during.isEnded, "ENDLIST before the grace period passed")
        try expectEndedAndReadable(hls)
        let after = try PlaylistText(path: "\(hls)/240p/index.m3u8")
        #expect(after.lines.filter { $0 == "#EXT-X-DISCONTINUITY" }.count == 1, "\(after.lines)")
        #expect(after.mediaSequence == before.mediaSequence, "media sequence reset")
        let numbers = after.segments.compactMap { Int($0.uri.dropFirst(4).prefix(5)) }
        #expect(numbers == Array(numbers.first! ..< numbers.first! + numbers.count), "segments not continuing: \(numbers)")
        #expect(after.segments.count > before.segments.count)
    }

    @Test(.enabled(if: LiveIngestTests.gstreamerAvailable)) func gstreamerPublishGoesLive() throws {
        let server = try LiveServer(keys: ["gst"], extra: ["--grace", "2", "--preset", "ultrafast"])
        defer { server.stop() }
        // Live sources pace the publish in real time, as a camera would.
        let pipeline = "videotestsrc is-live=true num-buffers=150 ! video/x-raw,width=320,height=240,framerate=30/1"
            + " ! x264enc tune=zerolatency key-int-max=30 ! h264parse ! flvmux name=mux streamable=true"
            + " ! rtmp2sink location=\(server.url("gst"))"
            + " audiotestsrc is-live=true num-buffers=230 ! audio/x-raw,rate=44100,channels=2 ! voaacenc ! aacparse ! mux."
        let publisher = try Publisher(Self.gstLaunch, ["-q", "-e"] + pipeline.split(separator: " ").map(String.init), scratch: server.data)
        let hls = try waitForMaster(server, key: "gst")
        #expect(publisher.wait(seconds: 20) == 0, "gst-launch: \(publisher.output)")
        let variants = try masterVariants("\(hls)/master.m3u8")
        #expect(variants.map(\.attributes["RESOLUTION"]) == ["320x240"])
        try expectEndedAndReadable(hls)
    }

    @Test func sigtermEndsThePlaylistsAndExitsCleanly() throws {
        let server = try LiveServer(keys: ["stop"], extra: ["--ladder", "240p:400k", "--grace", "30", "--preset", "ultrafast"])
        defer { server.stop() }
        let publisher = try Publisher.ffmpeg(server.url("stop"), scratch: server.data)
        let hls = try waitForMaster(server, key: "stop")
        server.stop()
        #expect(server.process.terminationStatus == 0, "\(server.logText())")
        // Shutdown does not wait out the grace period: the playlists end now and read whole.
        #expect(livePlaylist("\(hls)/240p/index.m3u8")?.isEnded == true)
        try expectEndedAndReadable(hls, seconds: 1)
        publisher.wait(seconds: 10)
    }

    @Test func audioOnlyPublishGivesAnAudioRendition() throws {
        let server = try LiveServer(keys: ["radio"], extra: ["--grace", "1"])
        defer { server.stop() }
        let publisher = try Publisher("/usr/bin/ffmpeg", ["-nostdin", "-hide_banner", "-loglevel", "error", "-re",
                                                          "-i", Paths.fixture("show-720p.mp4"), "-vn", "-c", "copy", "-f", "flv",
                                                          server.url("radio")], scratch: server.data)
        #expect(publisher.wait(seconds: 15) == 0, "publisher: \(publisher.output)")
        let hls = try waitForMaster(server, key: "radio", seconds: 5)
        let variants = try masterVariants("\(hls)/master.m3u8")
        #expect(variants.map(\.uri) == ["audio/index.m3u8"])
        #expect(variants.first?.attributes["CODECS"] == "mp4a.40.2")
        try expectEndedAndReadable(hls)
    }

    @Test func recordWritesAPlayableFLV() throws {
        let server = try LiveServer(keys: ["rec"], extra: ["--ladder", "240p:400k", "--grace", "1", "--record", "--preset", "ultrafast"])
        defer { server.stop() }
        let publisher = try Publisher.ffmpeg(server.url("rec"), loops: 0, scratch: server.data)
        #expect(publisher.wait(seconds: 15) == 0, "publisher: \(publisher.output)")
        let folder = (server.data as NSString).appendingPathComponent("recordings")
        var files: [String] = []
        waitUntil(seconds: 5) {
            files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".flv") }
            return !files.isEmpty && server.logText().contains("recording closed")
        }
        #expect(files.count == 1)
        let id = (try server.hls("rec") as NSString).lastPathComponent
        let file = try #require(files.first)
        #expect(file.hasPrefix("\(id)-") && !file.contains("rec-"))
        let path = "\(folder)/\(file)"
        let codecs = try streams(path).compactMap { $0["codec_name"] as? String }
        #expect(codecs.sorted() == ["aac", "h264"])
        let json = try probe(path, ["-show_entries", "format=duration"])
        let duration = Double((json["format"] as? [String: Any])?["duration"] as? String ?? "") ?? 0
        #expect(abs(duration - 6) < 0.5, "recorded \(duration) s of a 6 s publish")
        let decode = try run("ffmpeg", ["-v", "error", "-i", path, "-f", "null", "-"], timeout: 60)
        #expect(decode.status == 0 && decode.stderr.isEmpty, "decoding the recording: \(decode.stderr)")
    }
}
