// Helpers for the live ingest tests: the real `vitrine serve` as a child process on a port it
// picks itself (read back from its log), real publishers (ffmpeg, GStreamer) as child processes,
// and polling with deadlines. Loopback only.
import Foundation
import Testing

/// A running `vitrine serve`; stop() sends SIGTERM, then SIGKILL if it lingers.
final class LiveServer {
    let data: String
    let logPath: String
    let process = Process()
    private(set) var port = 0
    /// The HLS origin's port.
    private(set) var httpPort = 0

    /// The id of the job of the (one) show being published.
    func runningJobID() throws -> String {
        let jobs = try #require(api("GET", "/v1/jobs?state=running").json["jobs"] as? [[String: Any]])
        return try #require(jobs.first?["id"] as? String, "no running job: \(logText().suffix(1500))")
    }

    /// The API token every test server uses (VITRINE_API_TOKEN).
    static let token = "test-token-0123456789abcdef"

    /// Always with HTTP on a free port: serve's default HTTP port would collide between tests.
    /// `data`: reuse a folder (a restart); nil makes a fresh one.
    init(keys: [String], extra: [String] = [], data reuse: String? = nil,
         environment extraEnvironment: [String: String] = [:], name: String = #function) throws {
        data = try reuse ?? Paths.scratch(name)
        logPath = (data as NSString).appendingPathComponent("serve.log")
        guard FileManager.default.createFile(atPath: logPath, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        process.executableURL = URL(fileURLWithPath: Paths.vitrine)
        process.arguments = ["serve", "--rtmp", "127.0.0.1:0", "--data", data] + keys.flatMap { ["--stream-key", $0] }
            + ["--http", "127.0.0.1:0"] + extra
        var environment = ProcessInfo.processInfo.environment
        environment["VITRINE_API_TOKEN"] = Self.token
        environment.merge(extraEnvironment) { $1 }
        process.environment = environment
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let found = waitUntil(seconds: 15) { [self] in
            guard let line = logText().split(separator: "\n").first(where: { $0.contains("rtmp server listening") }),
                  let range = line.range(of: "port=") else { return false }
            port = Int(line[range.upperBound...].prefix { $0.isNumber }) ?? 0
            guard let httpLine = logText().split(separator: "\n").first(where: { $0.contains("http server listening") }),
                  let httpRange = httpLine.range(of: "port=") else { return false }
            httpPort = Int(httpLine[httpRange.upperBound...].prefix { $0.isNumber }) ?? 0
            return port > 0 && httpPort > 0
        }
        if !found {
            stop()
            throw LiveTestError.serverDidNotStart(logText())
        }
    }

    func logText() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func url(_ key: String) -> String { "rtmp://127.0.0.1:\(port)/live/\(key)" }

    /// The key's HLS folder, named by its playback id from DIR/keys.json.
    func hls(_ key: String) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: (self.data as NSString).appendingPathComponent("keys.json")))
        let map = try JSONSerialization.jsonObject(with: data) as? [String: String] ?? [:]
        let id = try #require(map[key])
        return (self.data as NSString).appendingPathComponent("hls/\(id)")
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        if !waitUntil(seconds: 10, { !self.process.isRunning }) {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }

    deinit { stop() }
}

enum LiveTestError: Error {
    case serverDidNotStart(String)
}

/// A publisher child process (ffmpeg or gst-launch-1.0), output kept for failure messages.
final class Publisher {
    let process = Process()
    private let errPath: String

    init(_ executable: String, _ arguments: [String], scratch: String) throws {
        errPath = (scratch as NSString).appendingPathComponent("publisher-\(UUID().uuidString.prefix(6)).log")
        guard FileManager.default.createFile(atPath: errPath, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = err
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// ffmpeg copying `fixture` to `url` in real time; `loops` extra passes.
    static func ffmpeg(_ url: String, fixture: String = "show-720p.mp4", loops: Int = 1, scratch: String) throws -> Publisher {
        try Publisher("/usr/bin/ffmpeg", ["-nostdin", "-hide_banner", "-loglevel", "error", "-re", "-stream_loop", "\(loops)",
                                          "-i", Paths.fixture(fixture), "-c", "copy", "-f", "flv", url], scratch: scratch)
    }

    var output: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

    /// Waits for the exit; nil when it is still running at the deadline (it is then killed).
    @discardableResult
    func wait(seconds: Double) -> Int32? {
        if !waitUntil(seconds: seconds, { !self.process.isRunning }) {
            process.terminate()
            process.waitUntilExit()
            return nil
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}

/// Polls `condition` every 100 ms until it holds or `seconds` pass.
@discardableResult
func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(100_000)
    }
    return condition()
}

/// The playlist at `path` if it exists and parses.
/// ID -> the DATERANGE's attributes, in one rendition's live playlist.
func liveDateRanges(_ path: String) -> [String: [String: String]] {
    var found: [String: [String: String]] = [:]
    for line in livePlaylist(path)?.lines ?? [] where line.hasPrefix("#EXT-X-DATERANGE:") {
        let attributes = parseAttributes(String(line.dropFirst(17)))
        if let id = attributes["ID"] { found[id] = attributes }
    }
    return found
}

func livePlaylist(_ path: String) -> PlaylistText? {
    FileManager.default.fileExists(atPath: path) ? try? PlaylistText(path: path) : nil
}

extension PlaylistText {
    var isEnded: Bool { lines.contains("#EXT-X-ENDLIST") }
    var mediaSequence: Int { Int(value(of: "#EXT-X-MEDIA-SEQUENCE") ?? "") ?? -1 }
    /// PROGRAM-DATE-TIME lines, one expected before every segment.
    var programDateTimes: Int { lines.filter { $0.hasPrefix("#EXT-X-PROGRAM-DATE-TIME:") }.count }
}
