// End to end with GStreamer publishers (design.md "Real clients"): flvmux + rtmp2sink (GStreamer's
// own RTMP client) and rtmpsink (librtmp). Runs only where gst-launch-1.0 is installed; loopback only.

import Foundation
import Logging
import Testing
@testable import VitrineRTMP

@Suite(.serialized) struct EndToEndGStreamerTests {
    static let gstLaunch = "/usr/bin/gst-launch-1.0"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: gstLaunch) }

    @Test(.enabled(if: EndToEndGStreamerTests.available), arguments: ["rtmp2sink", "rtmpsink"])
    func gstreamerPublishes(sink: String) async throws {
        let delegate = CollectingDelegate(acceptedKeys: ["gst"])
        let logs = CapturingLogHandler.Store()
        let (server, port) = try await EndToEndFFmpegTests.startServer(delegate, logs: logs)
        let url = "rtmp://127.0.0.1:\(port)/live/gst" + (sink == "rtmpsink" ? " live=1" : "")
        let pipeline = "videotestsrc num-buffers=90 ! video/x-raw,width=320,height=240,framerate=30/1"
            + " ! x264enc key-int-max=30 ! h264parse ! flvmux name=mux streamable=true ! \(sink) location=\"\(url)\""
            + " audiotestsrc num-buffers=130 ! audio/x-raw,rate=44100,channels=2 ! voaacenc ! aacparse ! mux."
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.gstLaunch)
        process.arguments = ["-q", "-e"] + Self.split(pipeline)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try await EndToEndFFmpegTests.waitUntil({ !process.isRunning }, seconds: 60)
        if process.isRunning { process.terminate() }
        try await EndToEndFFmpegTests.waitUntil { !delegate.ended.isEmpty }
        try await server.stop()

        #expect(delegate.started.count == 1, "\(logs.lines)")
        let video = delegate.units.filter { $0.track == .video }
        let audio = delegate.units.filter { $0.track == .audio }
        #expect(video.first?.isSequenceHeader == true)
        #expect(audio.first?.isSequenceHeader == true)
        let frames = video.filter { !$0.isSequenceHeader }
        #expect((85...90).contains(frames.count), "video frames: \(frames.count)")
        #expect(frames.first?.isKeyframe == true)
        #expect(zip(frames, frames.dropFirst()).allSatisfy { $0.dts <= $1.dts })
        #expect(audio.filter { !$0.isSequenceHeader }.count >= 100)
    }

    /// gst-launch takes the pipeline as separate arguments; quoted parts stay whole.
    static func split(_ pipeline: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        for ch in pipeline {
            if ch == "\"" { quoted.toggle(); continue }
            if ch == " " && !quoted {
                if !current.isEmpty { parts.append(current) }
                current = ""
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { parts.append(current) }
        return parts
    }
}
