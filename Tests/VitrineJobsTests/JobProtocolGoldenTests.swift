// The job protocol's bytes, held here: a change to any message's JSON or to a binary frame's
// layout fails this test, and whoever changes them bumps JobProtocol.version (a supervisor and a
// job process of different versions refuse each other) and writes the new bytes here.
import Foundation
import Testing
@testable import VitrineJobs
import VitrinePipeline
import VitrineRTMP

struct JobProtocolGoldenTests {
    private func json<T: Encodable>(_ message: T) throws -> String { String(decoding: try JobWire.encode(message), as: UTF8.self) }

    @Test func theVersionIsTheOneTheseBytesBelongTo() {
        #expect(JobProtocol.version == 1)
    }

    @Test func supervisorToJob() throws {
        let card = CardRequest(sequence: 7, operation: .push, cardID: nil, body: #"{"id":"q1"}"#)
        let golden: [(ToJob, String)] = [
            (.frameRate(29.97), #"{"frameRate":{"_0":29.97}}"#),
            (.card(card), #"{"card":{"_0":{"body":"{\"id\":\"q1\"}","operation":"push","sequence":7}}}"#),
            (.stop(reason: "publisher left", keepOutput: true), #"{"stop":{"keepOutput":true,"reason":"publisher left"}}"#),
        ]
        for (message, bytes) in golden { #expect(try json(message) == bytes) }
    }

    @Test func jobToSupervisor() throws {
        let rendition = RenditionProgress(name: "240p", framesEncoded: 30, busySeconds: 0.5)
        let figures = LiveJobFigures(framesIn: 31, handledUnits: 40, droppedUnits: 0, droppedGOPs: 0, renditions: [rendition],
                                     cardClockStart: CardClockStart(uptime: 5, date: Date(timeIntervalSinceReferenceDate: 0)))
        let golden: [(FromJob, String)] = [
            (.started(version: 1, pid: 42), #"{"started":{"pid":42,"version":1}}"#),
            (.phase("clips"), #"{"phase":{"_0":"clips"}}"#),
            (.log(JobLogLine(level: .warning, message: "hi", metadata: ["k": "v"])), #"{"log":{"_0":{"level":"warning","message":"hi","metadata":{"k":"v"}}}}"#),
            (.cardReply(CardReply(sequence: 7, result: "{}", error: nil)), #"{"cardReply":{"_0":{"result":"{}","sequence":7}}}"#),
            (.liveProgress(figures), #"{"liveProgress":{"_0":{"cardClockStart":{"date":0,"uptime":5},"droppedGOPs":0,"droppedUnits":0,"framesIn":31,"handledUnits":40,"renditions":[{"busySeconds":0.5,"framesDropped":0,"framesEncoded":30,"name":"240p"}]}}}"#),
            (.cardApplied(milliseconds: 12.5), #"{"cardApplied":{"milliseconds":12.5}}"#),
            (.liveFinished, #"{"liveFinished":{}}"#),
            (.failed(JobFailureReport(.damagedInput("bad"))), #"{"failed":{"_0":{"exitCode":65,"message":"bad"}}}"#),
        ]
        for (message, bytes) in golden { #expect(try json(message) == bytes) }
    }

    @Test func binaryFrames() {
        let unit = AccessUnit(track: .video, codec: .h264, isSequenceHeader: false, isKeyframe: true, dts: 1000, pts: 1066,
                              discontinuity: false, payload: [0xAB])
        #expect(Array(JobFrame.encode(unit, arrival: 9)) == [1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 3, 0xE8, 0, 0, 0, 0, 0, 0, 4, 0x2A,
                                                              0, 0, 0, 0, 0, 0, 0, 9, 0xAB])
        #expect(Array(JobFrame.encode(LiveHLSMemory.Change.put("A/m", [7]))) == [2, 0, 0, 3, 0x41, 0x2F, 0x6D, 7])
        #expect(Array(JobFrame.encode(LiveHLSMemory.Change.dropSegments("A/"))) == [2, 2, 0, 2, 0x41, 0x2F])
    }
}
