// Helpers for end-to-end tests: run the real `vitrine` binary and the real ffmpeg/ffprobe CLIs.
import Foundation
import Testing

enum Paths {
    /// The package root, found from this file's location.
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The built binary: $VITRINE_BIN, else the debug build SwiftPM made for these tests.
    static var vitrine: String {
        if let path = ProcessInfo.processInfo.environment["VITRINE_BIN"] { return path }
        return root.appendingPathComponent(".build/debug/vitrine").path
    }

    static func fixture(_ name: String) -> String {
        root.appendingPathComponent("Fixtures/media/\(name)").path
    }

    /// A fresh folder for one test.
    static func scratch(_ name: String = #function) throws -> String {
        let clean = name.filter { $0.isLetter || $0.isNumber }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vitrine-e2e-\(clean)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }
}

struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs a program to completion (bounded by `timeout` seconds) and captures its output.
@discardableResult
func run(_ executable: String, _ arguments: [String], timeout: Double = 300, environment: [String: String] = [:]) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/\(executable)")
    process.arguments = arguments
    if !environment.isEmpty {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read both pipes while the process runs, so a chatty child never blocks on a full pipe.
    let outData = Collected(), errData = Collected()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { outData.data = out.fileHandleForReading.readDataToEndOfFile() }
    DispatchQueue.global().async(group: group) { errData.data = err.fileHandleForReading.readDataToEndOfFile() }
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(20_000) }
    if process.isRunning {
        process.terminate()
        Issue.record("\(executable) \(arguments.joined(separator: " ")) timed out after \(timeout) s")
    }
    process.waitUntilExit()
    group.wait()
    return ProcessResult(status: process.terminationStatus, stdout: String(decoding: outData.data, as: UTF8.self),
                         stderr: String(decoding: errData.data, as: UTF8.self))
}

/// One pipe's bytes, written by its reader task and read after the group is done.
private final class Collected: @unchecked Sendable {
    var data = Data()
}

func vitrine(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
    try run(Paths.vitrine, arguments, environment: environment)
}

/// Makes a media file with the ffmpeg CLI (a test client, never used by Vitrine itself).
func makeMedia(_ path: String, _ arguments: [String]) throws {
    let result = try run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y"] + arguments + [path])
    #expect(result.status == 0, "ffmpeg could not make \(path): \(result.stderr)")
}

/// ffprobe's JSON for `arguments` plus the input.
func probe(_ input: String, _ arguments: [String]) throws -> [String: Any] {
    let input = try withInitSegment(input)
    let result = try run("ffprobe", ["-v", "error", "-of", "json"] + arguments + [input])
    guard result.status == 0, let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
        Issue.record("ffprobe failed on \(input): \(result.stderr)")
        return [:]
    }
    return object
}

/// An fMP4 media segment (.m4s) does not play without its init segment: a temporary file of
/// the rendition's init.mp4 followed by the segment, as a player would feed them. Anything else
/// is returned as it is.
func withInitSegment(_ path: String) throws -> String {
    guard path.hasSuffix(".m4s") else { return path }
    let folder = (path as NSString).deletingLastPathComponent
    let joined = (NSTemporaryDirectory() as NSString).appendingPathComponent("vitrine-probe-\(UUID().uuidString.prefix(8)).mp4")
    let initBytes = try Data(contentsOf: URL(fileURLWithPath: (folder as NSString).appendingPathComponent("init.mp4")))
    try (initBytes + (try Data(contentsOf: URL(fileURLWithPath: path)))).write(to: URL(fileURLWithPath: joined))
    return joined
}

/// Video packets of a file: pts seconds and whether each is a keyframe.
func videoPackets(_ input: String) throws -> [(pts: Double, key: Bool)] {
    let json = try probe(input, ["-select_streams", "v:0", "-show_entries", "packet=pts_time,flags"])
    let packets = json["packets"] as? [[String: Any]] ?? []
    return packets.compactMap { p in
        guard let pts = Double(p["pts_time"] as? String ?? "") else { return nil }
        return (pts, (p["flags"] as? String ?? "").hasPrefix("K"))
    }
}

/// Streams of a file as ffprobe describes them.
func streams(_ input: String) throws -> [[String: Any]] {
    let json = try probe(input, ["-show_streams"])
    return json["streams"] as? [[String: Any]] ?? []
}

/// Parses a media playlist into (duration, uri) pairs plus its tag lines.
struct PlaylistText {
    var lines: [String]
    var segments: [(duration: Double, uri: String)]

    init(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        lines = text.split(separator: "\n").map(String.init)
        segments = []
        var pending: Double?
        for line in lines {
            if line.hasPrefix("#EXTINF:") {
                pending = Double(line.dropFirst(8).split(separator: ",").first ?? "")
            } else if !line.hasPrefix("#"), let duration = pending {
                segments.append((duration, line))
                pending = nil
            }
        }
    }

    func value(of tag: String) -> String? {
        lines.first { $0.hasPrefix(tag + ":") }.map { String($0.dropFirst(tag.count + 1)) }
    }
}

/// The STREAM-INF variants of a master playlist: attributes and URI.
func masterVariants(_ path: String) throws -> [(attributes: [String: String], uri: String)] {
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    var variants: [([String: String], String)] = []
    for (i, line) in lines.enumerated() where line.hasPrefix("#EXT-X-STREAM-INF:") && i + 1 < lines.count {
        variants.append((parseAttributes(String(line.dropFirst("#EXT-X-STREAM-INF:".count))), lines[i + 1]))
    }
    return variants
}

/// Splits `A=1,B="x,y"` into a dictionary (quotes removed).
func parseAttributes(_ text: String) -> [String: String] {
    var result: [String: String] = [:]
    var key = "", value = "", inKey = true, quoted = false
    for ch in text {
        if inKey {
            if ch == "=" { inKey = false } else { key.append(ch) }
        } else if ch == "\"" {
            quoted.toggle()
        } else if ch == "," && !quoted {
            result[key] = value
            key = ""; value = ""; inKey = true
        } else {
            value.append(ch)
        }
    }
    if !key.isEmpty { result[key] = value }
    return result
}

/// Under Scripts/sanitize.sh (VITRINE_SANITIZER): ASan reports a segfault and then aborts
/// (ASAN_OPTIONS abort_on_error=1), and job processes run without their memory limit, since
/// RLIMIT_DATA would count ASan's shadow memory.
enum Sanitizer {
    static let name = ProcessInfo.processInfo.environment["VITRINE_SANITIZER"]
    static var addressOn: Bool { name == "address" }
    /// How the job protocol names the signal a segfaulting job process dies of.
    static var segfaultSignal: String { addressOn ? "signal 6 (SIGABRT)" : "signal 11 (SIGSEGV)" }
}
