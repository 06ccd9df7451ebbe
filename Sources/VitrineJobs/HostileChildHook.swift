// A test hook, off unless a test sets it (docs/job-protocol.md): VITRINE_TEST_HOSTILE=DIR makes a
// live job process act as hostile code inside it would. Twice a second it looks for DIR/PLAYBACK_ID;
// when that file appears it removes it and does once what its first line says:
//   overflow        figures whose frame counts add past the integer range
//   hijack OTHER    a new master playlist for another show's playback id OTHER
//   escape          a ladder whose rendition is named "../../../x", then a crash (so a new
//                   process is started with whatever ladder serve kept)
//   flood           48 memory-served files of 8 MiB under its own playback id
//   garbage         a JSON frame that is no message
//   hang            stops itself (SIGSTOP): reads nothing, answers nothing, ignores `stop`
//   trespass PORT   tries to write beside DATA, read DATA/keys.json, connect to 127.0.0.1:PORT,
//                   signal serve and read VITRINE_API_TOKEN; logs how each attempt ended
// End-to-end tests and Benchmarks/chaos.sh use it to play a hostile child against the real
// supervisor without preloading a library. Production never sets it.
import Foundation
import Logging
import VitrinePipeline

struct HostileChildHook {
    let order: String
    let playbackID: String
    let dataDirectory: String

    init?(environment: [String: String], playbackID: String, dataDirectory: String) {
        guard let directory = environment["VITRINE_TEST_HOSTILE"], !directory.isEmpty else { return nil }
        order = (directory as NSString).appendingPathComponent(playbackID)
        self.playbackID = playbackID
        self.dataDirectory = dataDirectory
    }

    /// Carries out a pending order, if the test left one.
    func strikeIfOrdered(writer: FrameWriter) {
        guard let text = try? String(contentsOfFile: order, encoding: .utf8) else { return }
        try? FileManager.default.removeItem(atPath: order)
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        switch words.first ?? "" {
        case "overflow":
            let huge = [RenditionProgress(name: "240p", framesEncoded: .max, busySeconds: 1),
                        RenditionProgress(name: "360p", framesEncoded: .max, busySeconds: 1)]
            try? writer.encode(FromJob.liveProgress(LiveJobFigures(framesIn: .max, handledUnits: .max, droppedUnits: .max, droppedGOPs: 0,
                                                                   renditions: huge, cardClockStart: nil)))
        case "hijack" where words.count > 1:
            let foreign = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=400000\nhttps://attacker.invalid/x.m3u8\n"
            try? writer.write(JobFrame.encode(LiveHLSMemory.Change.put("\(words[1])/master.m3u8", Array(foreign.utf8))))
        case "escape":
            let spec = RenditionSpec(name: "../../../x", width: 426, height: 240, bitrate: 400_000, profile: "main")
            try? writer.encode(FromJob.ladderFixed(LiveLadder(specs: [spec])))
            // Give the supervisor time to read it, then die as a crash would.
            usleep(300_000)
            exit(70)
        case "flood":
            let chunk = [UInt8](repeating: 0x47, count: 8 << 20)
            for index in 0..<48 {
                try? writer.write(JobFrame.encode(LiveHLSMemory.Change.put("\(playbackID)/240p/seg_9\(String(format: "%04d", index)).m4s", chunk)))
            }
        case "garbage":
            try? writer.write(Data(#"{"nonsense":{"x":1}}"#.utf8))
        case "hang":
            raise(SIGSTOP)
        case "trespass" where words.count > 1:
            let line = JobLogLine(level: .warning, message: "trespass: " + trespass(port: UInt16(words[1]) ?? 0), metadata: [:])
            try? writer.encode(FromJob.log(line))
        default:
            break
        }
    }

    /// What hostile code would try first; each result is "allowed" or the errno it met.
    private func trespass(port: UInt16) -> String {
        func outcome(_ ok: Bool) -> String { ok ? "allowed" : String(cString: strerror(errno)) }
        let outside = ((dataDirectory as NSString).deletingLastPathComponent as NSString).appendingPathComponent("trespass-\(getpid())")
        let written = open(outside, O_WRONLY | O_CREAT, 0o600)
        let write = outcome(written >= 0)
        if written >= 0 { close(written); unlink(outside) }
        let keys = open((dataDirectory as NSString).appendingPathComponent("keys.json"), O_RDONLY)
        let read = outcome(keys >= 0)
        if keys >= 0 { close(keys) }
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        let connect = outcome(connected == 0)
        close(socket)
        let signal = outcome(kill(getppid(), SIGCONT) == 0)
        let token = ProcessInfo.processInfo.environment["VITRINE_API_TOKEN"] == nil ? "absent" : "present"
        return "write=\(write) read=\(read) connect=\(connect) signal=\(signal) token=\(token)"
    }
}
