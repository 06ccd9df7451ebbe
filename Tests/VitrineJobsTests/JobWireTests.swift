// The job protocol's framing and messages: frames survive a pipe whole whatever the chunking, a
// length over the cap is refused before anything is allocated, a stream cut inside a frame is an
// error (a crash to the supervisor), and every message round-trips through its JSON.
import Foundation
import Testing
@testable import VitrineJobs
import VitrinePipeline
import VitrineRTMP

struct JobWireTests {
    private func pipePair() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        return (fds[0], fds[1])
    }

    @Test func framesArriveWholeAndInOrder() throws {
        let (r, w) = try pipePair()
        defer { close(r) }
        let writer = FrameWriter(fd: w)
        let payloads = [Data("a".utf8), Data(repeating: 7, count: 200_000), Data()]
        let done = DispatchSemaphore(value: 0)
        Thread {
            for payload in payloads { try? writer.write(payload) }
            close(w)
            done.signal()
        }.start()
        let reader = FrameReader(fd: r)
        var got: [Data] = []
        while let frame = try reader.next() { got.append(frame) }
        done.wait()
        #expect(got == payloads)
    }

    @Test func aLengthOverTheCapIsRefusedBeforeReadingIt() throws {
        let (r, w) = try pipePair()
        defer { close(r) }
        var header: [UInt8] = [0x7f, 0xff, 0xff, 0xff]
        #expect(write(w, &header, 4) == 4)
        close(w)
        #expect(throws: JobWireError.tooLong(0x7fff_ffff)) { try FrameReader(fd: r).next() }
        #expect(throws: JobWireError.tooLong(JobWire.maxFrameBytes + 1)) {
            try FrameWriter(fd: -1).write(Data(count: JobWire.maxFrameBytes + 1))
        }
    }

    @Test func aStreamCutInsideAFrameIsAnError() throws {
        let (r, w) = try pipePair()
        defer { close(r) }
        var bytes: [UInt8] = [0, 0, 0, 10, 1, 2, 3]
        #expect(write(w, &bytes, bytes.count) == bytes.count)
        close(w)
        #expect(throws: JobWireError.truncated) { try FrameReader(fd: r).next() }
    }

    @Test func messagesRoundTrip() throws {
        var order = FileJobOrder(input: "/in/show.mp4", output: "/out/show")
        order.ladder = "360p:800k"
        order.cards = .inline(json: "{\"cards\":[]}")
        order.imagesDirectory = "/data/images"
        order.wallClockOrigin = Date(timeIntervalSince1970: 1_700_000_000)
        let start = ToJob.start(version: JobProtocol.version, order: order)
        guard case let .start(version, decoded) = try JSONDecoder().decode(ToJob.self, from: JSONEncoder().encode(start)) else {
            Issue.record("not a start message")
            return
        }
        #expect(version == JobProtocol.version && decoded == order)

        let reply = FromJob.cardReply(CardReply(sequence: 3, result: nil, error: .unknownCard("deal")))
        guard case let .cardReply(back) = try JSONDecoder().decode(FromJob.self, from: JSONEncoder().encode(reply)) else {
            Issue.record("not a card reply")
            return
        }
        #expect(back.error == .unknownCard("deal") && back.sequence == 3)
        let failure = JobFailureReport(.damagedInput("x: truncated"))
        #expect(failure.error == .damagedInput("x: truncated") && failure.exitCode == 65)
    }

    @Test func mediaFramesRoundTripAndHostileOnesAreRefused() throws {
        let unit = AccessUnit(track: .video, codec: .h264, isSequenceHeader: false, isKeyframe: true,
                              dts: -5, pts: Int64.max, discontinuity: true, payload: [0, 0, 0, 1, 0x65])
        guard case let .accessUnit(back, arrival) = try JobFrame.parse(JobFrame.encode(unit, arrival: 42)) else {
            Issue.record("not an access unit")
            return
        }
        #expect(back == unit && arrival == 42)
        guard case let .hls(.put(path, bytes)) = try JobFrame.parse(JobFrame.encode(.put("abc/360p/seg_00001.ts", [1, 2, 3]))) else {
            Issue.record("not an HLS put")
            return
        }
        #expect(path == "abc/360p/seg_00001.ts" && bytes == [1, 2, 3])
        // A job process may not name a file outside the HLS folder, nor send a short header.
        #expect(throws: JobWireError.self) { try JobFrame.parse(JobFrame.encode(.put("../keys.json", [1]))) }
        #expect(throws: JobWireError.self) { try JobFrame.parse(Data([0x01, 0, 0])) }
        #expect(throws: JobWireError.self) { try JobFrame.parse(Data([0x02, 0, 0xff, 0xff, 0x61])) }
        #expect(throws: JobWireError.self) { try JobFrame.parse(Data([0x09])) }
        #expect(throws: JobWireError.self) { try JobFrame.parse(Data()) }
    }

    @Test func theFaultHookIsOffUnlessSetAndMatchesItsInput() {
        #expect(TestFault(environment: [:], input: "/a.mp4") == nil)
        #expect(TestFault(environment: ["VITRINE_TEST_FAULT": "segv@30"], input: "/a.mp4")?.kind == .segv)
        #expect(TestFault(environment: ["VITRINE_TEST_FAULT": "abort@5:poison"], input: "/in/good.mp4") == nil)
        #expect(TestFault(environment: ["VITRINE_TEST_FAULT": "abort@5:poison"], input: "/in/poison.mp4")?.frames == 5)
        #expect(TestFault(environment: ["VITRINE_TEST_FAULT": "explode@5"], input: "/a.mp4") == nil)
    }

    @Test func theDefaultMemoryLimitSharesTheMachine() {
        #expect(JobProcessOptions.defaultMemoryLimit(concurrentJobs: 4, physical: 24 << 30) == 4_831_838_208)
        #expect(JobProcessOptions.defaultMemoryLimit(concurrentJobs: 64, physical: 8 << 30) == 1 << 30)
        #expect(JobProcessOptions.defaultMemoryLimit(concurrentJobs: 1, physical: 64 << 30) == 16 << 30)
        #expect(JobProcessOptions(executable: "/v", memoryLimitBytes: nil, environment: ["VITRINE_TEST_WATCHDOG_SECONDS": "3"]).watchdogSeconds == 3)
    }
}
