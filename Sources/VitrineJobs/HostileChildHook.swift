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
// End-to-end tests and Benchmarks/chaos.sh use it to play a hostile child against the real
// supervisor without preloading a library. Production never sets it.
import Foundation
import VitrinePipeline

struct HostileChildHook {
    let order: String
    let playbackID: String

    init?(environment: [String: String], playbackID: String) {
        guard let directory = environment["VITRINE_TEST_HOSTILE"], !directory.isEmpty else { return nil }
        order = (directory as NSString).appendingPathComponent(playbackID)
        self.playbackID = playbackID
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
        default:
            break
        }
    }
}
