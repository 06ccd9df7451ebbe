// Session tests: the publish exchange of Adobe RTMP spec 1.0 sections 7.2-7.3 as FFmpeg drives
// it, acknowledgements (5.4.3), ping (7.1.7), metadata and FLV 10.1 media turned into units.

import Testing
@testable import VitrineRTMP

@Suite struct SessionTests {
    static let metadataValues: [AMF0Value] = [
        .string("@setDataFrame"), .string("onMetaData"),
        .ecmaArray([AMF0Property("width", .number(320)), AMF0Property("framerate", .number(30))]),
    ]

    static func publisherBytes(key: String = "abc123") -> [UInt8] {
        var client = FakePublisher()
        var bytes = FakePublisher.handshake(digest: true) + client.publishSequence(key: key)
        bytes += client.message(.data(metadataValues), csid: 8, streamID: 1)
        bytes += client.video(FLVBodies.videoSequenceHeader(), timestamp: 0)
        bytes += client.audio(FLVBodies.audioSequenceHeader(), timestamp: 0)
        bytes += client.video(FLVBodies.videoFrame(key: true, cts: 66), timestamp: 0)
        bytes += client.audio(FLVBodies.audioFrame(), timestamp: 23)
        bytes += client.video(FLVBodies.videoFrame(key: false, cts: -33), timestamp: 33)
        bytes += client.command("FCUnpublish", 6, .null, [.string(key)])
        bytes += client.command("deleteStream", 7, .null, [.number(1)])
        return bytes
    }

    @Test(arguments: [false, true])
    func fullPublishFlow(byteAtATime: Bool) throws {
        let transcript = run(Self.publisherBytes(), byteAtATime: byteAtATime)
        let app = try StreamKey("live"), key = try StreamKey("abc123")
        #expect(transcript.closeReason == nil)
        #expect(transcript.events.first == .connected(app: app))
        #expect(transcript.events.contains(.publishRequested(app: app, key: key)))
        #expect(transcript.events.contains(.metadata([AMF0Property("width", .number(320)), AMF0Property("framerate", .number(30))])))
        #expect(transcript.events.last == .publishEnded(key: key))

        let units = transcript.units
        #expect(units.count == 5)
        #expect(units[0] == AccessUnit(track: .video, codec: .h264, isSequenceHeader: true, isKeyframe: true,
                                       dts: 0, pts: 0, payload: FLVBodies.avcRecord))
        #expect(units[1].track == .audio && units[1].isSequenceHeader && units[1].payload == FLVBodies.audioConfig)
        #expect(units[2].isKeyframe && units[2].dts == 0 && units[2].pts == 66 && units[2].payload == [0, 0, 0, 2, 0x65, 0x88])
        #expect(units[3].track == .audio && units[3].dts == 23 && units[3].payload == [0x21, 0x10, 0x04])
        #expect(!units[4].isKeyframe && units[4].dts == 33 && units[4].pts == 0)

        // The replies FFmpeg waits for, in order.
        let messages = try transcript.serverMessages()
        #expect(messages.prefix(3) == [.windowAcknowledgementSize(2_500_000),
                                       .setPeerBandwidth(size: 2_500_000, limit: .dynamic), .setChunkSize(4096)])
        let commands = try transcript.serverCommands()
        #expect(commands.map(\.name) == ["_result", "_result", "onFCPublish", "_result", "onStatus"])
        #expect(commands[0].transactionID == 1)
        #expect(commands[0].arguments.first?["code"] == .string("NetConnection.Connect.Success"))
        #expect(commands[3].transactionID == 4 && commands[3].arguments == [.number(1)])
        #expect(commands[4].arguments.first?["code"] == .string("NetStream.Publish.Start"))
        #expect(messages.contains(.userControl(.streamBegin(streamID: 1))))
    }

    @Test func identicalTranscriptsByteAtATimeAndWhole() {
        let bytes = Self.publisherBytes()
        #expect(run(bytes, byteAtATime: true) == run(bytes))
    }

    @Test func rejectedKeyGetsBadNameThenClose() throws {
        let transcript = run(Self.publisherBytes(key: "wrong"), accept: false)
        #expect(transcript.closeReason == .publishRejected(key: "wrong", .unknownKey))
        let status = try transcript.serverCommands().last
        #expect(status?.name == "onStatus")
        #expect(status?.arguments.first?["code"] == .string("NetStream.Publish.BadName"))
        #expect(transcript.units.isEmpty)
        #expect(transcript.closeReason?.description.contains("NetStream.Publish.BadName") == true)
    }

    @Test func alreadyPublishingGetsBadConnection() throws {
        var session = makeSession()
        var client = FakePublisher()
        var transcript = Transcript()
        feed(&session, FakePublisher.handshake() + client.publishSequence(key: "dup"), into: &transcript)
        transcript.record(session.rejectPublish(.alreadyPublishing))
        #expect(transcript.closeReason == .publishRejected(key: "dup", .alreadyPublishing))
        #expect(try transcript.serverCommands().last?.arguments.first?["code"] == .string("NetStream.Publish.BadConnection"))
    }

    @Test func secondPublishOnOneConnectionCloses() throws {
        var client = FakePublisher()
        var bytes = FakePublisher.handshake() + client.publishSequence(key: "one")
        bytes += client.command("publish", 6, .null, [.string("two"), .string("live")], streamID: 1)
        let transcript = run(bytes)
        #expect(transcript.closeReason == .duplicatePublish(key: "one"))
        #expect(try transcript.serverCommands().last?.arguments.first?["code"] == .string("NetStream.Publish.BadConnection"))
    }

    @Test func acknowledgementsWhenWindowIsReached() throws {
        var session = makeSession()
        var client = FakePublisher()
        var transcript = Transcript()
        var bytes = FakePublisher.handshake() + client.publishSequence()
        bytes += client.message(.windowAcknowledgementSize(5000), csid: 2)
        feed(&session, bytes, into: &transcript)
        transcript.record(session.acceptPublish())
        let before = try transcript.serverMessages().filter { if case .acknowledgement = $0 { true } else { false } }
        #expect(before.isEmpty)   // about 3500 bytes so far: under the window
        for i in 0..<10 {
            feed(&session, client.audio(FLVBodies.audioFrame([UInt8](repeating: 1, count: 1000)), timestamp: UInt32(i * 23)),
                 into: &transcript)
        }
        let acks = try transcript.serverMessages().compactMap { m -> UInt32? in
            if case .acknowledgement(let n) = m { return n } else { return nil }
        }
        // About 13.6 kB in all: acks near 5 kB and 10 kB, each the byte count at that moment.
        #expect(acks.count == 2)
        #expect(acks.first.map { $0 >= 5000 && $0 < 6100 } == true)
        #expect(acks.count == 2 && acks[1] - acks[0] >= 5000)
        #expect(session.bytesReceived - UInt64(acks.last ?? 0) < 5000)
    }

    /// Acks are counted as chunks are consumed, not per read: the RTMP session fuzz target found
    /// a peer announcing a 128-byte window acked once when its bytes came in one read and many
    /// times when they came in 7-byte reads.
    @Test func acknowledgementsDoNotDependOnHowBytesArrive() throws {
        var client = FakePublisher()
        var bytes = FakePublisher.handshake() + client.publishSequence()
        bytes += client.message(.windowAcknowledgementSize(700), csid: 2)
        for i in 0..<10 {
            bytes += client.audio(FLVBodies.audioFrame([UInt8](repeating: 1, count: 300)), timestamp: UInt32(i * 23))
        }
        let whole = run(bytes)
        let acks = try whole.serverMessages().filter { if case .acknowledgement = $0 { true } else { false } }
        #expect(acks.count >= 4, "\(acks)")
        for piece in [1, 7, 128, 1000] {
            #expect(run(bytes, piece: piece) == whole, "in \(piece)-byte reads")
        }
    }

    @Test func pingRequestIsAnswered() throws {
        var client = FakePublisher()
        let bytes = FakePublisher.handshake() + client.connect() + client.message(.userControl(.pingRequest(timestamp: 777)), csid: 2)
        let transcript = run(bytes)
        #expect(try transcript.serverMessages().last == .userControl(.pingResponse(timestamp: 777)))
    }

    @Test func mediaWhileDecisionIsPendingIsHeldUntilAccept() {
        var session = makeSession()
        var client = FakePublisher()
        var transcript = Transcript()
        feed(&session, FakePublisher.handshake() + client.publishSequence(), into: &transcript)
        feed(&session, client.video(FLVBodies.videoSequenceHeader(), timestamp: 0), into: &transcript)
        #expect(transcript.units.isEmpty)
        transcript.record(session.acceptPublish())
        #expect(transcript.units.count == 1)
        feed(&session, client.video(FLVBodies.videoFrame(key: true, cts: 0), timestamp: 0), into: &transcript)
        #expect(transcript.units.count == 2)
    }

    @Test func undecidedPublishHoldsAtMostOneMessageWorth() {
        var session = makeSession { $0.limits.maxMessageLength = 100_000 }
        var client = FakePublisher()
        var transcript = Transcript()
        feed(&session, FakePublisher.handshake() + client.publishSequence(), into: &transcript)
        for i in 0..<30 {
            feed(&session, client.video(FLVBodies.videoFrame(key: true, cts: 0, nalu: [UInt8](repeating: 1, count: 5000)),
                                        timestamp: UInt32(i)), into: &transcript)
        }
        guard case .chunkStream(.tooMuchPendingData(_, 100_000))? = transcript.closeReason else {
            Issue.record("expected a close, got \(transcript.events)")
            return
        }
    }

    /// A composition time of 0x7FFFFF ms (2.3 hours, the SI24 maximum) once made a live job fill
    /// hours of audio; past the limit a frame is presented at its DTS, and the publish goes on.
    @Test func compositionTimesPastTheLimitAreNotBelieved() {
        var session = makeSession()
        var client = FakePublisher()
        var transcript = Transcript()
        feed(&session, FakePublisher.handshake() + client.publishSequence(), into: &transcript)
        transcript.record(session.acceptPublish())
        for (index, cts) in [Int32(66), 0x7F_FFFF, -0x80_0000, -40, 5_001].enumerated() {
            feed(&session, client.video(FLVBodies.videoFrame(key: index == 0, cts: cts), timestamp: UInt32(1000 + index * 33)), into: &transcript)
        }
        #expect(transcript.units.map { $0.pts - $0.dts } == [66, 0, 0, -40, 0])
        #expect(transcript.closeReason == nil)
    }

    @Test func timestampsUnwrapPerTrackAndFlagJumps() {
        var session = makeSession()
        var client = FakePublisher()
        var transcript = Transcript()
        feed(&session, FakePublisher.handshake() + client.publishSequence(), into: &transcript)
        transcript.record(session.acceptPublish())
        for ts: UInt32 in [0xFFFF_FFC0, 0xFFFF_FFE0, 0x0000_0010, 0x0000_0005] {
            feed(&session, client.video(FLVBodies.videoFrame(key: true, cts: 0), timestamp: ts), into: &transcript)
        }
        feed(&session, client.audio(FLVBodies.audioFrame(), timestamp: 0xFFFF_FFD0), into: &transcript)
        let video = transcript.units.filter { $0.track == .video }
        #expect(video.map(\.dts) == [0xFFFF_FFC0, 0xFFFF_FFE0, 0x1_0000_0010, 0x1_0000_0005])
        #expect(video.map(\.discontinuity) == [false, false, false, true])
        // Audio has its own clock: a stamp between video stamps is no discontinuity.
        #expect(transcript.units.last?.track == .audio && transcript.units.last?.discontinuity == false)
    }

    @Test func onMetaDataWithoutSetDataFrame() {
        var session = makeSession()
        var client = FakePublisher()
        var transcript = Transcript()
        feed(&session, FakePublisher.handshake() + client.publishSequence(), into: &transcript)
        transcript.record(session.acceptPublish())
        feed(&session, client.message(.data([.string("onMetaData"), .object([AMF0Property("a", .null)])]), csid: 8, streamID: 1),
             into: &transcript)
        #expect(transcript.events.last == .metadata([AMF0Property("a", .null)]))
    }

    @Test func appAllowListAndTrailingSlash() {
        var client = FakePublisher()
        let ok = run(FakePublisher.handshake() + client.connect(app: "live/")) { $0.applications = ["live"] }
        #expect(ok.events == [.connected(app: try! StreamKey("live"))])
        var other = FakePublisher()
        let refused = run(FakePublisher.handshake() + other.connect(app: "admin")) { $0.applications = ["live"] }
        #expect(refused.closeReason == .unknownApp("admin"))
    }
}

@Suite struct PublishRegistryTests {
    @Test func oneLivePublisherPerAppAndKey() throws {
        let registry = RTMPPublishRegistry()
        let first = RTMPPublication(connectionID: 1, app: try StreamKey("live"), key: try StreamKey("k"))
        let second = RTMPPublication(connectionID: 2, app: try StreamKey("live"), key: try StreamKey("k"))
        let otherApp = RTMPPublication(connectionID: 3, app: try StreamKey("studio"), key: try StreamKey("k"))
        #expect(registry.claim(first))
        #expect(!registry.claim(second))
        #expect(registry.claim(otherApp))
        registry.release(first)
        #expect(registry.claim(second))
    }
}
