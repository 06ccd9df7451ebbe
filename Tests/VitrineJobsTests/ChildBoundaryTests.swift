// The supervisor's checks on what a job process says: figures out of range, a message of the
// other job kind, text past its bound, a path outside the child's own playback id, and a ladder
// serve never asked for are each a protocol violation; what an honest child says passes.
import Foundation
import Testing
@testable import VitrineJobs
import VitrinePipeline

struct ChildBoundaryTests {
    private let id = "AAAAAAAAAAAAAAAA"
    private let other = "BBBBBBBBBBBBBBBB"

    private func figures(frames: Int) -> FromJob {
        .liveProgress(LiveJobFigures(framesIn: 10, handledUnits: 10, droppedUnits: 0, droppedGOPs: 0,
                                     renditions: [RenditionProgress(name: "240p", framesEncoded: frames, busySeconds: 1)],
                                     cardClockStart: nil))
    }

    private func violation(_ body: () throws -> Void) -> String? {
        do { try body() } catch { return (error as? ProtocolViolation)?.description ?? "not a violation: \(error)" }
        return nil
    }

    @Test func figuresOutOfRangeAreAViolation() {
        #expect(violation { try figures(frames: 300).check(kind: .live) } == nil)
        #expect(violation { try figures(frames: .max).check(kind: .live) }?.contains("frames encoded 9223372036854775807 is out of range") == true)
        #expect(violation { try figures(frames: -1).check(kind: .live) } != nil)
        #expect(violation { try FromJob.cardApplied(milliseconds: .nan).check(kind: .live) } != nil)
        // Sums over what passed cannot trap; sums over anything saturate.
        #expect([Int.max, Int.max].saturatingSum == .max && [Int.min, -1].saturatingSum == .min && [2, 3].saturatingSum == 5)
    }

    @Test func eachKindSpeaksItsOwnMessages() {
        #expect(violation { try FromJob.liveFinished.check(kind: .file) } == "protocol violation: a file job process sent liveFinished")
        #expect(violation { try FromJob.phase("clips").check(kind: .live) } != nil)
        #expect(violation { try FromJob.phase("clips").check(kind: .file) } == nil)
        #expect(violation { try FromJob.started(version: JobProtocol.version + 1, pid: 5).check(kind: .live) } != nil)
    }

    @Test func textIsBounded() {
        let long = JobLogLine(level: .info, message: String(repeating: "x", count: ChildBounds.maxLogBytes + 1), metadata: [:])
        #expect(violation { try FromJob.log(long).check(kind: .live) }?.contains("log line of 16385 bytes") == true)
        var badLevel = JobLogLine(level: .info, message: "hi", metadata: [:])
        badLevel.level = "shout"
        #expect(violation { try FromJob.log(badLevel).check(kind: .file) } != nil)
    }

    @Test func hlsChangesStayInTheChildsOwnFolder() {
        let boundary = LiveChildBoundary(playbackID: id, rungs: nil, ladder: LiveLadder(specs: Ladder.resolve(
            [Rung(size: .shortSide(240), bitrate: 400_000)], displayWidth: 1280, displayHeight: 720)), memoryBudget: 1 << 20)
        let honest: [LiveHLSMemory.Change] = [.put("\(id)/master.m3u8", []), .put("\(id)/240p/index.m3u8", []),
                                              .put("\(id)/240p/seg_00012.3.m4s", []), .put("\(id)/240p/init.mp4", []),
                                              .remove("\(id)/240p/seg_00001.m4s"), .dropSegments("\(id)/240p/")]
        for change in honest { #expect(violation { try boundary.admit(change) } == nil, "\(change)") }
        let hostile: [LiveHLSMemory.Change] = [.put("\(other)/master.m3u8", []), .put("\(id)/../\(other)/master.m3u8", []),
                                               .put("\(id)/480p/index.m3u8", []), .put("\(id)/240p/x.sh", []),
                                               .put("\(id)/240p/index.m3u8", [UInt8](repeating: 0, count: 2 << 20)),
                                               .dropSegments(""), .dropSegments("\(other)/240p/"), .remove("\(id)/240p")]
        for change in hostile { #expect(violation { try boundary.admit(change) } != nil, "\(change)") }
    }

    @Test func aLadderMustBeOneServeAskedFor() {
        let rungs = [Rung(size: .shortSide(480), bitrate: 1_400_000), Rung(size: .shortSide(240), bitrate: 400_000)]
        let honest = LiveLadder(specs: Ladder.resolve(rungs, displayWidth: 1280, displayHeight: 720))
        #expect(honest.nonconformance(rungs: rungs, fixed: nil) == nil)
        #expect(LiveLadder(specs: Ladder.resolve(Ladder.defaultRungs(displayWidth: 160, displayHeight: 90), displayWidth: 160,
                                                displayHeight: 90)).nonconformance(rungs: nil, fixed: nil) == nil)
        #expect(LiveLadder(specs: []).nonconformance(rungs: rungs, fixed: nil) == nil, "audio only")
        func with(_ change: (inout RenditionSpec) -> Void) -> LiveLadder {
            var specs = honest.specs
            change(&specs[0])
            return LiveLadder(specs: specs)
        }
        #expect(with { $0.name = "../../../x" }.nonconformance(rungs: rungs, fixed: nil)?.contains("rendition name") == true)
        #expect(with { $0.bitrate = 9_000_000 }.nonconformance(rungs: rungs, fixed: nil)?.contains("matches no rung") == true)
        #expect(with { $0.width = 4000; $0.height = 2250; $0.name = "2250p" }.nonconformance(rungs: rungs, fixed: nil) != nil)
        #expect(with { $0.name = "240p" }.nonconformance(rungs: rungs, fixed: nil) != nil)
        #expect(with { _ in }.nonconformance(rungs: rungs, fixed: LiveLadder(specs: [honest.specs[1]]))?.contains("differs") == true)
        var boundary = LiveChildBoundary(playbackID: id, rungs: rungs, ladder: nil, memoryBudget: 1 << 20)
        #expect(violation { try boundary.admit(with { $0.name = "a/b" }, fixed: nil) } != nil)
        #expect(violation { try boundary.admit(honest, fixed: nil) } == nil)
        #expect(violation { try boundary.admit(LiveHLSMemory.Change.put("\(id)/720p/index.m3u8", [])) } != nil, "not in the ladder")
    }

    @Test func aFinishedFileJobNamesOnlyItsOwnFiles() throws {
        let outcome = FileJobOutcome(masterPlaylist: "/data/out/show/master.m3u8", durationSeconds: 10, elapsedSeconds: 3,
                                     decodeErrors: 0, renditions: [], clips: nil)
        #expect(throws: Never.self) { try outcome.confined(to: "/data/out/show") }
        var escaped = outcome
        escaped.masterPlaylist = "/data/out/show/../other/master.m3u8"
        #expect(throws: ProtocolViolation.self) { try escaped.confined(to: "/data/out/show") }
    }
}
