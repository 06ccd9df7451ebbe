// End to end: the real ffmpeg CLI publishes to RTMPServer on 127.0.0.1 (Adobe RTMP spec 1.0,
// FFmpeg's digest handshake and command sequence, FLV 10.1 H.264 + AAC tags). Loopback only.

import Foundation
import Logging
import Testing
@testable import VitrineRTMP

/// Records what the pipeline would receive.
final class CollectingDelegate: RTMPPublishDelegate, @unchecked Sendable {
    private let lock = NSLock()
    private let acceptedKeys: Set<String>
    private var _units: [AccessUnit] = []
    private var _metadata: [[AMF0Property]] = []
    private var _started: [RTMPPublication] = []
    private var _ended: [(RTMPPublication, String)] = []

    init(acceptedKeys: Set<String>) { self.acceptedKeys = acceptedKeys }

    var units: [AccessUnit] { lock.withLock { _units } }
    var metadata: [[AMF0Property]] { lock.withLock { _metadata } }
    var started: [RTMPPublication] { lock.withLock { _started } }
    var ended: [(RTMPPublication, String)] { lock.withLock { _ended } }

    func rtmpShouldAcceptPublish(_ publication: RTMPPublication) -> RTMPPublishDecision {
        acceptedKeys.contains(publication.key.value) ? .accept : .reject(.unknownKey)
    }
    func rtmpPublishDidStart(_ publication: RTMPPublication) { lock.withLock { _started.append(publication) } }
    func rtmpPublication(_ publication: RTMPPublication, didReceiveMetadata metadata: [AMF0Property]) {
        lock.withLock { _metadata.append(metadata) }
    }
    func rtmpPublication(_ publication: RTMPPublication, didReceive unit: AccessUnit) {
        lock.withLock { _units.append(unit) }
    }
    func rtmpPublishDidEnd(_ publication: RTMPPublication, reason: String) {
        lock.withLock { _ended.append((publication, reason)) }
    }
}

/// A LogHandler that keeps lines in memory so tests can look for what the server logged.
final class CapturingLogHandler: LogHandler, @unchecked Sendable {
    final class Store: @unchecked Sendable {
        private let lock = NSLock()
        private var _lines: [String] = []
        var lines: [String] { lock.withLock { _lines } }
        func append(_ line: String) { lock.withLock { _lines.append(line) } }
    }

    let store: Store
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .debug

    init(store: Store) { self.store = store }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let pairs = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        store.append("\(event.level) \(event.message) \(pairs)")
    }
}

@Suite(.serialized) struct EndToEndFFmpegTests {
    static var ffmpegAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/ffmpeg") }

    /// Runs ffmpeg publishing a generated clip; returns its exit status (nil on timeout).
    static func publish(port: Int, key: String, seconds: Int = 3, timeout: Double = 60) async throws -> Int32? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = [
            "-nostdin", "-hide_banner", "-loglevel", "error", "-re",
            "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30", "-f", "lavfi", "-i", "sine",
            "-t", "\(seconds)", "-c:v", "libx264", "-g", "30", "-c:a", "aac",
            "-f", "flv", "rtmp://127.0.0.1:\(port)/live/\(key)",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline {
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        if process.isRunning {
            process.terminate()
            return nil
        }
        return process.terminationStatus
    }

    static func startServer(_ delegate: CollectingDelegate, logs: CapturingLogHandler.Store) async throws -> (RTMPServer, Int) {
        var configuration = RTMPServer.Configuration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.session.applications = ["live"]
        let logger = Logger(label: "test.rtmp") { _ in CapturingLogHandler(store: logs) }
        let server = RTMPServer(configuration: configuration, delegate: delegate, logger: logger)
        let port = try await server.start()
        return (server, port)
    }

    static func waitUntil(_ condition: () -> Bool, seconds: Double = 5) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() && Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
    }

    @Test(.enabled(if: EndToEndFFmpegTests.ffmpegAvailable))
    func ffmpegPublishesH264AndAAC() async throws {
        let delegate = CollectingDelegate(acceptedKeys: ["teststream"])
        let logs = CapturingLogHandler.Store()
        let (server, port) = try await Self.startServer(delegate, logs: logs)
        let status = try await Self.publish(port: port, key: "teststream")
        try await Self.waitUntil { !delegate.ended.isEmpty }
        try await server.stop()

        #expect(status == 0)
        #expect(delegate.started.map(\.key.value) == ["teststream"])
        #expect(delegate.ended.count == 1)
        #expect(delegate.metadata.first?.contains { $0.key == "width" && $0.value == .number(320) } == true)

        let video = delegate.units.filter { $0.track == .video }
        let audio = delegate.units.filter { $0.track == .audio }
        let firstVideo = try #require(video.first)
        #expect(firstVideo.isSequenceHeader)
        #expect(AVCDecoderConfiguration(record: firstVideo.payload)?.nalLengthSize == 4)
        let frames = video.filter { !$0.isSequenceHeader }
        #expect((88...92).contains(frames.count), "video frames: \(frames.count)")
        #expect(frames.first?.isKeyframe == true)
        #expect(frames.filter(\.isKeyframe).count == 3)
        #expect(frames.allSatisfy { $0.pts >= $0.dts })
        #expect(frames.contains { $0.pts > $0.dts }, "B-frames give composition offsets")
        #expect(zip(frames, frames.dropFirst()).allSatisfy { $0.dts <= $1.dts })

        let firstAudio = try #require(audio.first)
        #expect(firstAudio.isSequenceHeader)
        #expect(AACAudioConfiguration(config: firstAudio.payload)?.sampleRate == 44100)
        let audioFrames = audio.filter { !$0.isSequenceHeader }
        #expect(audioFrames.count >= 120, "audio frames: \(audioFrames.count)")   // 3 s * 44100 / 1024 = 129
        #expect(zip(audioFrames, audioFrames.dropFirst()).allSatisfy { $0.dts <= $1.dts })
        #expect(delegate.units.allSatisfy { !$0.discontinuity })
    }

    @Test(.enabled(if: EndToEndFFmpegTests.ffmpegAvailable))
    func wrongKeyIsRefused() async throws {
        let delegate = CollectingDelegate(acceptedKeys: ["teststream"])
        let logs = CapturingLogHandler.Store()
        let (server, port) = try await Self.startServer(delegate, logs: logs)
        let status = try await Self.publish(port: port, key: "wrongkey", seconds: 1, timeout: 30)
        try await Self.waitUntil { logs.lines.contains { $0.contains("NetStream.Publish.BadName") } }
        try await server.stop()

        #expect(status != nil && status != 0)
        #expect(delegate.started.isEmpty)
        #expect(delegate.units.isEmpty)
        // The refused key is named, redacted: keys are secrets even when wrong.
        #expect(logs.lines.contains { $0.contains("NetStream.Publish.BadName") && $0.contains("wro***(8)") })
        #expect(!logs.lines.contains { $0.contains("wrongkey") })
    }

    /// FFmpeg as a player verifies the server's S1 digest and S2 signature before it sends
    /// connect; getting as far as "play" proves the digest answer is right.
    @Test(.enabled(if: EndToEndFFmpegTests.ffmpegAvailable))
    func ffmpegPlayerAcceptsTheDigestHandshake() async throws {
        let delegate = CollectingDelegate(acceptedKeys: [])
        let logs = CapturingLogHandler.Store()
        let (server, port) = try await Self.startServer(delegate, logs: logs)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = ["-nostdin", "-hide_banner", "-loglevel", "quiet", "-i", "rtmp://127.0.0.1:\(port)/live/x",
                             "-t", "1", "-f", "null", "-"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        try await Self.waitUntil({ !process.isRunning }, seconds: 15)
        if process.isRunning { process.terminate() }
        try await Self.waitUntil { logs.lines.contains { $0.contains("play requested") } }
        try await server.stop()
        #expect(logs.lines.contains { $0.contains("play requested; this server only ingests") })
    }

    @Test(.enabled(if: EndToEndFFmpegTests.ffmpegAvailable))
    func httpClientIsClosedWithReason() async throws {
        let delegate = CollectingDelegate(acceptedKeys: [])
        let logs = CapturingLogHandler.Store()
        let (server, port) = try await Self.startServer(delegate, logs: logs)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = ["-nostdin", "-hide_banner", "-loglevel", "quiet", "-rw_timeout", "5000000",
                             "-i", "http://127.0.0.1:\(port)/live.m3u8", "-f", "null", "-"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        try await Self.waitUntil({ !process.isRunning }, seconds: 15)
        if process.isRunning { process.terminate() }
        try await Self.waitUntil { logs.lines.contains { $0.contains("HTTP request sent to the RTMP port") } }
        try await server.stop()
        #expect(logs.lines.contains { $0.contains("HTTP request sent to the RTMP port (starts with \"GET /liv\")") })
    }
}
