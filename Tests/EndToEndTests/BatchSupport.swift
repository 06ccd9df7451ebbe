// Helpers for the `vitrine batch` end-to-end tests: small recordings made on the fly by the ffmpeg
// CLI (good, truncated, not media), a batch run in the background that a test can kill, and the
// checks every finished ladder must pass.
import Foundation
import Testing

enum BatchFixture {
    static let ladder = "180p:400k,90p:150k"
    static let renditions = ["180p", "90p"]

    /// A `seconds`-long 320x180 30 fps H.264 + AAC recording; `white` makes a plain white picture
    /// (card pixels then stand out), otherwise a moving test pattern.
    static func recording(_ path: String, seconds: Double = 4, white: Bool = false, size: String = "320x180") throws {
        let video = white ? "color=c=white:size=\(size):rate=30:duration=\(seconds)"
                          : "testsrc2=size=\(size):rate=30:duration=\(seconds)"
        try makeMedia(path, ["-f", "lavfi", "-i", video, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=\(seconds)",
                             "-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"])
    }

    /// A recording cut off at a third of its bytes: the container still declares the full length.
    static func truncated(_ path: String) throws {
        let full = path + ".full.flv"
        try recording(full, seconds: 6)
        let data = try Data(contentsOf: URL(fileURLWithPath: full))
        try data.prefix(data.count / 3).write(to: URL(fileURLWithPath: path))
        unlink(full)
    }

    static func notMedia(_ path: String) throws {
        try Data("These are the presenter's notes, not a recording.\n".utf8).write(to: URL(fileURLWithPath: path))
    }
}

/// Checks a finished show folder: master and media playlists parse with ffprobe, every segment a
/// playlist names exists, and no segment lies around that no playlist names.
func expectValidLadder(_ folder: String, renditions: [String] = BatchFixture.renditions, duration: Double? = nil) throws {
    let master = "\(folder)/master.m3u8"
    #expect(FileManager.default.fileExists(atPath: master), "\(master) missing")
    guard FileManager.default.fileExists(atPath: master) else { return }
    let kinds = try streams(master).compactMap { $0["codec_type"] as? String }
    #expect(kinds.contains("video") && kinds.contains("audio"), "\(master): streams \(kinds)")
    for name in renditions {
        let playlist = try PlaylistText(path: "\(folder)/\(name)/index.m3u8")
        let listed = Set(playlist.segments.map(\.uri))
        let onDisk = Set(try FileManager.default.contentsOfDirectory(atPath: "\(folder)/\(name)").filter { $0.hasPrefix("seg_") })
        #expect(listed == onDisk, "\(folder)/\(name): listed \(listed.sorted()), on disk \(onDisk.sorted())")
        if let duration {
            let total = playlist.segments.map(\.duration).reduce(0, +)
            #expect(abs(total - duration) < 0.2, "\(folder)/\(name): \(total) s of \(duration) s")
        }
    }
}

/// A batch started in the background, so a test can kill it mid-job.
final class BackgroundBatch {
    let process = Process()

    /// Runs `vitrine batch ARGUMENTS`; its stdout goes to `stdout` when given (--json lines).
    init(_ arguments: [String], stdout: String? = nil) throws {
        process.executableURL = URL(fileURLWithPath: Paths.vitrine)
        process.arguments = ["batch"] + arguments
        if let stdout {
            FileManager.default.createFile(atPath: stdout, contents: nil)
            process.standardOutput = FileHandle(forWritingAtPath: stdout)
        } else {
            process.standardOutput = FileHandle.nullDevice
        }
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Waits (up to `timeout` s) until `condition` holds; false if it never did.
    static func wait(timeout: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }

    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// Segment files (any rendition) under a show folder.
func segmentFiles(_ folder: String) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
    return walker.compactMap { $0 as? String }.filter { ($0 as NSString).lastPathComponent.hasPrefix("seg_") }
}

func modificationDate(_ path: String) -> Date? {
    (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
}
