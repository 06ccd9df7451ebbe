// End to end: every bad input gives one clear error line, the documented exit code, and no
// playlist pointing at missing segments.
import Foundation
import Testing

@Suite(.serialized)
struct BadInputTests {
    /// The error line vitrine printed (there must be exactly one).
    func errorLine(_ result: ProcessResult) -> String {
        let lines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("vitrine: error:") || $0.hasPrefix("Error:") }
        #expect(lines.count == 1, "expected one error line, got: \(result.stderr)")
        return lines.first.map(String.init) ?? ""
    }

    func expectNoPlaylists(_ out: String) {
        let files = (FileManager.default.enumerator(atPath: out)?.allObjects as? [String]) ?? []
        #expect(!files.contains { $0.hasSuffix(".m3u8") }, "playlists left behind: \(files)")
        #expect(!files.contains { $0.hasSuffix(".ts") || $0.hasSuffix(".m4s") }, "segments left behind: \(files)")
    }

    @Test func missingInput() throws {
        let out = try Paths.scratch()
        let result = try vitrine(["transcode", "\(out)/nope.mp4", "-o", "\(out)/hls"])
        #expect(result.status == 66)
        #expect(errorLine(result).contains("nope.mp4 does not exist"))
    }

    @Test func notMedia() throws {
        let dir = try Paths.scratch()
        let input = "\(dir)/notes.mp4"
        try Data("these are a presenter's notes, not a video\n".utf8).write(to: URL(fileURLWithPath: input))
        let result = try vitrine(["transcode", input, "-o", "\(dir)/hls"])
        #expect(result.status == 66)
        #expect(errorLine(result).contains("notes.mp4 is not readable media"))
        expectNoPlaylists("\(dir)/hls")
    }

    @Test func aFIFOIsRefusedWithoutBlocking() throws {
        let dir = try Paths.scratch()
        let input = "\(dir)/pipe.mp4"
        #expect(mkfifo(input, 0o644) == 0)
        let result = try vitrine(["transcode", input, "-o", "\(dir)/hls"])
        #expect(result.status == 66)
        #expect(errorLine(result).contains("is not a regular file"))
    }

    /// A playlist dropped among the recordings must not make the worker fetch anything: only local
    /// files are opened, and only media containers.
    @Test func aPlaylistOrURLReferenceIsNotFollowed() throws {
        let dir = try Paths.scratch()
        // Something that would notice a fetch: a listening socket nobody should connect to.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var bound = address
        _ = withUnsafePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        #expect(listen(listener, 4) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        let port = UInt16(bigEndian: bound.sin_port)
        let playlist = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nhttp://127.0.0.1:\(port)/seg.ts\n#EXT-X-ENDLIST\n"
        for name in ["show.m3u8", "show.mp4"] {
            try Data(playlist.utf8).write(to: URL(fileURLWithPath: "\(dir)/\(name)"))
            let result = try vitrine(["transcode", "\(dir)/\(name)", "-o", "\(dir)/hls-\(name)"])
            #expect(result.status == 66, "\(name): \(result.stderr)")
            #expect(errorLine(result).contains("is not readable media"))
        }
        _ = fcntl(listener, F_SETFL, O_NONBLOCK)
        #expect(accept(listener, nil, nil) < 0, "the worker connected to a URL named in an input")
    }

    @Test func truncatedInput() throws {
        let dir = try Paths.scratch()
        let input = "\(dir)/cut.ts"
        try makeMedia("\(dir)/full.ts", ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30:duration=8", "-c:v", "libx264", "-b:v", "400k"])
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/full.ts"))
        try data.prefix(data.count * 4 / 10).write(to: URL(fileURLWithPath: input))
        // A TS declares no duration, so cut an MP4 too: its index promises more than the file holds.
        try makeMedia("\(dir)/full.mp4", ["-i", "\(dir)/full.ts", "-c", "copy", "-movflags", "+faststart"])
        let mp4 = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/full.mp4"))
        try mp4.prefix(mp4.count / 2).write(to: URL(fileURLWithPath: "\(dir)/cut.mp4"))
        let result = try vitrine(["transcode", "\(dir)/cut.mp4", "-o", "\(dir)/hls", "--ladder", "240p:400k"])
        #expect(result.status == 65, "\(result.stderr)")
        #expect(errorLine(result).contains("truncated"))
        expectNoPlaylists("\(dir)/hls")
    }

    @Test func corruptMiddleIsCountedAndTheJobGoesOn() throws {
        let dir = try Paths.scratch()
        try makeMedia("\(dir)/clean.ts", ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30:duration=6", "-c:v", "libx264", "-b:v", "500k", "-g", "30"])
        var data = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/clean.ts"))
        // Scribble over 40 KB in the middle, keeping TS sync bytes so the demuxer goes on.
        var rng = SystemRandomNumberGenerator()
        let start = data.count / 2 / 188 * 188
        for offset in stride(from: start, to: min(data.count, start + 40_000), by: 188) {
            for i in 4..<188 where offset + i < data.count { data[offset + i] = UInt8.random(in: 0...255, using: &rng) }
        }
        try data.write(to: URL(fileURLWithPath: "\(dir)/damaged.ts"))
        let result = try vitrine(["transcode", "\(dir)/damaged.ts", "-o", "\(dir)/hls", "--ladder", "240p:400k"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("decode errors"))
        let decoded = try run("ffmpeg", ["-v", "error", "-i", "\(dir)/hls/master.m3u8", "-f", "null", "-"])
        #expect(decoded.status == 0 && decoded.stderr.isEmpty, "\(decoded.stderr)")
    }

    @Test func unwritableOutput() throws {
        let dir = try Paths.scratch()
        try Data("x".utf8).write(to: URL(fileURLWithPath: "\(dir)/a-file"))
        let underFile = try vitrine(["transcode", Paths.fixture("show-720p.mp4"), "-o", "\(dir)/a-file/hls"])
        #expect(underFile.status == 73)
        #expect(errorLine(underFile).contains("a-file/hls"))
        // /proc refuses new folders even to root.
        let proc = try vitrine(["transcode", Paths.fixture("show-720p.mp4"), "-o", "/proc/vitrine-out"])
        #expect(proc.status == 73)
        #expect(errorLine(proc).contains("/proc/vitrine-out"))
    }

    static let canMountTmpfs: Bool = {
        let probe = "/tmp/vitrine-mount-probe"
        try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)
        guard let r = try? run("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe]), r.status == 0 else { return false }
        _ = try? run("umount", [probe])
        return true
    }()

    @Test(.enabled(if: canMountTmpfs, "needs root to mount a small tmpfs"))
    func fullDisk() throws {
        let dir = try Paths.scratch()
        let small = "\(dir)/small"
        try FileManager.default.createDirectory(atPath: small, withIntermediateDirectories: true)
        #expect(try run("/bin/mount", ["-t", "tmpfs", "-o", "size=400k", "tmpfs", small]).status == 0)
        defer { _ = try? run("/bin/umount", [small]) }
        let result = try vitrine(["transcode", Paths.fixture("show-720p.mp4"), "-o", "\(small)/hls", "--ladder", "720p:3000k"])
        #expect(result.status == 74, "\(result.stderr)")
        #expect(errorLine(result).contains("disk full"))
        expectNoPlaylists("\(small)/hls")
    }

    @Test(arguments: ["720p", "720p:fast", "huge:3000k", "721p:3000k", "720p:3000k,,360p:800k", ""])
    func ladderThatDoesNotParse(ladder: String) throws {
        let dir = try Paths.scratch("ladder")
        let result = try vitrine(["transcode", Paths.fixture("show-720p.mp4"), "-o", "\(dir)/hls", "--ladder", ladder])
        #expect(result.status == 64)
        #expect(errorLine(result).contains("--ladder"))
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/hls/master.m3u8"))
    }
}
