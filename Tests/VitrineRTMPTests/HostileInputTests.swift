// Hostile input: every limit of design.md's table (RTMP rows) and the protocol rules of Adobe
// RTMP spec 1.0 sections 5.2-5.4 and 7.2 that a peer can break. Each case must end in
// `.close(reason:)` naming the offence, and nothing may be reserved from the peer's numbers.

import Testing
@testable import VitrineRTMP

@Suite struct HostileInputTests {
    /// Handshake + connect done; the next bytes are the test's.
    static func connected() -> (RTMPSession, FakePublisher, Transcript) {
        var session = makeSession()
        var client = FakePublisher()
        var transcript = Transcript()
        feed(&session, FakePublisher.handshake() + client.connect(), into: &transcript)
        return (session, client, transcript)
    }

    static func closeReason(after bytes: [UInt8]) -> RTMPCloseReason? {
        var (session, _, transcript) = connected()
        feed(&session, bytes, into: &transcript)
        #expect(session.receive([1, 2, 3], now: t0).isEmpty, "a closed session stays silent")
        return transcript.closeReason
    }

    @Test func handshakeAndConnectDeadline() {
        var session = makeSession()
        #expect(session.tick(now: t0.adding(milliseconds: 9_999)).isEmpty)
        _ = session.receive(Array(FakePublisher.handshake().prefix(100)), now: t0.adding(milliseconds: 9_000))
        #expect(session.tick(now: t0.adding(milliseconds: 10_000)) == [.close(reason: .connectTimeout(milliseconds: 10_000))])
        #expect(session.tick(now: t0.adding(milliseconds: 20_000)).isEmpty, "closes once")

        // Handshake done but no connect: the same absolute deadline.
        var idle = makeSession()
        _ = idle.receive(FakePublisher.handshake(), now: t0.adding(milliseconds: 5))
        #expect(idle.tick(now: t0.adding(milliseconds: 10_000)) == [.close(reason: .connectTimeout(milliseconds: 10_000))])
    }

    /// A peer that connects and keeps trickling bytes (so it is never idle) but never publishes.
    @Test func noPublishWithinTenSecondsOfConnecting() {
        var session = makeSession()
        var client = FakePublisher()
        _ = session.receive(FakePublisher.handshake() + client.connect(), now: t0)
        for second in 1...9 {
            _ = session.receive(client.command("_checkbw", Double(second + 10)), now: t0.adding(milliseconds: Int64(second) * 1000))
            #expect(session.tick(now: t0.adding(milliseconds: Int64(second) * 1000)).isEmpty)
        }
        #expect(session.tick(now: t0.adding(milliseconds: 10_000)) == [.close(reason: .noPublish(milliseconds: 10_000))])
        // A publisher that started in time is not subject to it.
        var publishing = makeSession()
        var publisher = FakePublisher()
        _ = publishing.receive(FakePublisher.handshake() + publisher.publishSequence(), now: t0)
        _ = publishing.acceptPublish()
        _ = publishing.receive(publisher.audio(FLVBodies.audioFrame(), timestamp: 0), now: t0.adding(milliseconds: 9_500))
        #expect(publishing.tick(now: t0.adding(milliseconds: 10_000)).isEmpty)
    }

    /// A peer that only makes the server answer (pings, unknown commands) and never reads would
    /// grow our output; before publishing it gets a bounded number of replies.
    @Test func repliesBeforePublishAreBudgeted() {
        var (session, client, transcript) = Self.connected()
        var bytes: [UInt8] = []
        for i in 0..<200 { bytes += client.message(.userControl(.pingRequest(timestamp: UInt32(i))), csid: 2) }
        feed(&session, bytes, into: &transcript)
        #expect(transcript.closeReason == .tooManyReplies(limit: 64))
    }

    /// A publisher whose output stops draining (it never reads our pongs) is closed once the
    /// socket has refused output for the stall limit; output that drains again resets the count.
    @Test func outputThatDoesNotDrainCloses() throws {
        var session = makeSession()
        var client = FakePublisher()
        _ = session.receive(FakePublisher.handshake() + client.publishSequence(), now: t0)
        _ = session.acceptPublish()
        session.outputWritable(false, now: t0.adding(milliseconds: 1_000))
        session.outputWritable(true, now: t0.adding(milliseconds: 5_000))
        _ = session.receive(client.audio(FLVBodies.audioFrame(), timestamp: 0), now: t0.adding(milliseconds: 5_500))
        #expect(session.tick(now: t0.adding(milliseconds: 6_500)).isEmpty, "it drained in time")
        session.outputWritable(false, now: t0.adding(milliseconds: 7_000))
        session.outputWritable(false, now: t0.adding(milliseconds: 9_000))
        _ = session.receive(client.audio(FLVBodies.audioFrame(), timestamp: 20), now: t0.adding(milliseconds: 11_000))
        #expect(session.tick(now: t0.adding(milliseconds: 11_999)).isEmpty)
        #expect(session.tick(now: t0.adding(milliseconds: 12_000)) ==
                [.publishEnded(key: try StreamKey("abc123")), .close(reason: .peerNotReading(milliseconds: 5_000))])
    }

    @Test func idleAfterPublish() throws {
        var session = makeSession()
        var client = FakePublisher()
        _ = session.receive(FakePublisher.handshake() + client.publishSequence(), now: t0)
        _ = session.acceptPublish()
        let last = t0.adding(milliseconds: 30_000)
        _ = session.receive(client.audio(FLVBodies.audioFrame(), timestamp: 0), now: last)
        #expect(session.tick(now: last.adding(milliseconds: 9_999)).isEmpty)
        #expect(session.tick(now: last.adding(milliseconds: 10_000)) ==
                [.publishEnded(key: try StreamKey("abc123")), .close(reason: .idleTimeout(milliseconds: 10_000))])
    }

    @Test func messageLengthCapCheckedBeforeAllocation() {
        // 10 MiB + 1 declared on a type-0 header: refused from the 11 header bytes alone.
        let tooLong: [UInt8] = [0x06, 0, 0, 0, 0xA0, 0x00, 0x01, 9, 1, 0, 0, 0]
        #expect(Self.closeReason(after: tooLong) ==
                .chunkStream(.messageTooLong(declared: 10 * 1024 * 1024 + 1, limit: 10 * 1024 * 1024, chunkStreamID: 6)))
        // Exactly 10 MiB is allowed, and storage grows only with bytes actually received.
        var (session, _, transcript) = Self.connected()
        feed(&session, [0x06, 0, 0, 0, 0xA0, 0x00, 0x00, 9, 1, 0, 0, 0] + [UInt8](repeating: 0, count: 100), into: &transcript)
        #expect(transcript.closeReason == nil)
        #expect(session.decoder.partialPayloadCapacity(chunkStreamID: 6) < 4096)
    }

    @Test(arguments: [0, 1, 127, 16_777_216, 0x7FFF_FFFF, 0x8000_0080, 0xFFFF_FFFF] as [UInt32])
    func peerChunkSizeOutOfRangeCloses(size: UInt32) {
        var client = FakePublisher()
        #expect(Self.closeReason(after: client.message(.setChunkSize(size), csid: 2)) == .chunkStream(.chunkSizeOutOfRange(size)))
    }

    @Test(arguments: [128, 4096, 16_777_215] as [UInt32])
    func peerChunkSizeInRangeIsApplied(size: UInt32) {
        var (session, client, transcript) = Self.connected()
        feed(&session, client.message(.setChunkSize(size), csid: 2), into: &transcript)
        #expect(transcript.closeReason == nil)
        #expect(session.decoder.chunkSize == Int(size))
    }

    @Test func malformedSetChunkSize() {
        let bytes: [UInt8] = [0x02, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0, 0, 0x10, 0x00]
        #expect(Self.closeReason(after: bytes) == .chunkStream(.malformedControlMessage(typeID: 1, length: 2)))
    }

    @Test func atMost64ChunkStreams() {
        var bytes: [UInt8] = []
        // connect used chunk stream 3; 63 more are fine, the 65th distinct id closes.
        for csid: UInt32 in 10..<74 { bytes += header(csid: csid) }
        #expect(Self.closeReason(after: bytes) == .chunkStream(.tooManyChunkStreams(chunkStreamID: 73, limit: 64)))
    }

    private func header(csid: UInt32) -> [UInt8] {
        // A one-byte AMF0 data message (a null): valid, and ignored before publish.
        var out = [UInt8]()
        ChunkHeaderCoding.appendBasicHeader(&out, format: .full, chunkStreamID: csid)
        return out + [0, 0, 0, 0, 0, 1, 18, 0, 0, 0, 0, 0x05]
    }

    @Test(arguments: [1, 2, 3] as [UInt8])
    func compressedHeaderOnFreshChunkStreamCloses(format: UInt8) {
        let bytes: [UInt8] = [format << 6 | 9, 0, 0, 0, 0, 0, 1, 9, 0xAA, 0xBB, 0xCC, 0xDD]
        #expect(Self.closeReason(after: bytes) == .chunkStream(.missingType0Header(chunkStreamID: 9, format: format)))
    }

    @Test func newHeaderInsideAMessageCloses() {
        let bytes: [UInt8] = [0x06, 0, 0, 0, 0, 1, 0, 9, 1, 0, 0, 0] + [UInt8](repeating: 0, count: 128)
            + [0x86, 0, 0, 1]
        #expect(Self.closeReason(after: bytes) == .chunkStream(.headerInsideMessage(chunkStreamID: 6, format: 2)))
    }

    @Test func amf0NestingDepthInCommandCloses() {
        var body = AMF0Encoder.encode([.string("connect"), .number(1)])
        for _ in 0..<65 { body += [0x03, 0x00, 0x01, 0x6B] }
        body += [0x05] + Array(repeating: [0x00, 0x00, 0x09], count: 65).flatMap { $0 }
        var session = makeSession()
        var client = FakePublisher()
        var transcript = Transcript()
        feed(&session, FakePublisher.handshake() + client.encoder.encode(
            RTMPRawMessage(chunkStreamID: 3, timestamp: 0, typeID: 20, messageStreamID: 0, payload: body)), into: &transcript)
        #expect(transcript.closeReason == .message(.amf0(typeID: 20, .depthExceeded(limit: 64, offset: 275))))
    }

    @Test(arguments: [
        ("../etc", StreamNameError.invalidByte(UInt8(ascii: "/"), offset: 2)),
        ("a/b", .invalidByte(UInt8(ascii: "/"), offset: 1)),
        ("..", .pathLike),
        ("x..y", .pathLike),
        (".hidden", .pathLike),
        ("key with space", .invalidByte(0x20, offset: 3)),
        ("k\u{7F}", .invalidByte(0x7F, offset: 1)),
        ("ключ", .invalidByte(0xD0, offset: 0)),
        ("", .empty),
        (String(repeating: "k", count: 257), .tooLong(byteCount: 257, limit: 256)),
    ])
    func badStreamKeysAreRefused(key: String, error: StreamNameError) throws {
        var client = FakePublisher()
        let transcript = run(FakePublisher.handshake() + client.publishSequence(key: key))
        #expect(transcript.closeReason == .invalidStreamKey(error))
        #expect(try transcript.serverCommands().last?.arguments.first?["code"] == .string("NetStream.Publish.BadName"))
        #expect(!transcript.events.contains { if case .publishRequested = $0 { true } else { false } })
    }

    @Test func badAppIsRejectedAtConnect() throws {
        var client = FakePublisher()
        let transcript = run(FakePublisher.handshake() + client.connect(app: "live/../x"))
        #expect(transcript.closeReason == .invalidApp(.invalidByte(UInt8(ascii: "/"), offset: 4)))
        #expect(try transcript.serverCommands().last?.arguments.first?["code"] == .string("NetConnection.Connect.Rejected"))
    }

    @Test func publishBeforeConnectCloses() {
        var client = FakePublisher()
        let bytes = FakePublisher.handshake() + client.command("publish", 5, .null, [.string("k")], streamID: 1)
        #expect(run(bytes).closeReason == .commandBeforeConnect(name: "publish"))
    }

    @Test func mediaBeforeConnectCloses() {
        var client = FakePublisher()
        let bytes = FakePublisher.handshake() + client.video(FLVBodies.videoSequenceHeader(), timestamp: 0)
        #expect(run(bytes).closeReason == .messageBeforeConnect(typeID: 9))
    }

    @Test func publishOnStreamNeverCreatedCloses() {
        var client = FakePublisher()
        let bytes = FakePublisher.handshake() + client.connect()
            + client.command("publish", 5, .null, [.string("k")], streamID: 7)
        #expect(run(bytes).closeReason == .publishOnUnknownStream(streamID: 7))
    }

    @Test(arguments: [0, 7, 10, 21, 23, 200] as [UInt8])
    func unknownMessageTypesClose(typeID: UInt8) {
        let bytes: [UInt8] = [0x05, 0, 0, 0, 0, 0, 1, typeID, 0, 0, 0, 0, 0x00]
        #expect(Self.closeReason(after: bytes) == .message(.unknownType(typeID)))
    }

    @Test func unusedKnownTypesAreIgnored() {
        let bytes: [UInt8] = [0x05, 0, 0, 0, 0, 0, 1, 22, 0, 0, 0, 0, 0x00]
        #expect(Self.closeReason(after: bytes) == nil)
    }

    @Test func unsupportedCodecCloses() {
        var session = makeSession()
        var client = FakePublisher()
        var transcript = Transcript()
        feed(&session, FakePublisher.handshake() + client.publishSequence(), into: &transcript)
        transcript.record(session.acceptPublish())
        feed(&session, client.video([0x12, 0, 0, 0, 0], timestamp: 0), into: &transcript)   // Sorenson H.263
        #expect(transcript.closeReason == .media(.unsupportedVideoCodec(2)))
        #expect(transcript.events.contains(.publishEnded(key: try! StreamKey("abc123"))))
    }

    @Test(arguments: ["GET / HTTP/1.1\r\n", "POST /x HTTP/1.1\r\n", "HEAD / HTTP/1.0\r\n", "OPTIONS * HTTP/1.1\r\n"])
    func httpRequestClosesNamingIt(request: String) {
        let transcript = run(Array(request.utf8))
        guard case .handshake(.httpRequest(let prefix))? = transcript.closeReason else {
            Issue.record("expected an HTTP close, got \(transcript.events)")
            return
        }
        #expect(request.hasPrefix(prefix) && prefix.count == 8)
        #expect(transcript.closeReason!.description.contains("HTTP request"))
        #expect(transcript.sent.isEmpty)
    }

    @Test(arguments: 0..<8 as Range<UInt64>)
    func randomFloodCloses(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        // Half the floods get past the handshake first, so the chunk layer sees garbage too.
        let prefix = seed % 2 == 0 ? FakePublisher.handshake() : []
        var session = makeSession()
        var transcript = Transcript()
        for _ in 0..<256 {
            feed(&session, rng.bytes(4096), into: &transcript)
            if session.isClosed { break }
        }
        if !prefix.isEmpty {
            var second = makeSession()
            var t2 = Transcript()
            feed(&second, prefix, into: &t2)
            for _ in 0..<256 where !second.isClosed { feed(&second, rng.bytes(4096), into: &t2) }
            #expect(t2.closeReason != nil, "flood after handshake, seed \(seed)")
        }
        #expect(transcript.closeReason != nil, "flood, seed \(seed)")
    }
}

@Suite struct StreamKeyTests {
    @Test func acceptsTheSafeAlphabet() throws {
        #expect(try StreamKey("Abc-123_x.y").value == "Abc-123_x.y")
        #expect(try StreamKey(String(repeating: "a", count: 256)).value.count == 256)
    }

    @Test func peerTextInReasonsIsMadeLogSafe() {
        let reason = RTMPCloseReason.commandBeforeConnect(name: "evil\ninjected \"line\"" + String(repeating: "x", count: 80))
        #expect(reason.description == "command \"evil?injected ?line?" + String(repeating: "x", count: 44) + "...\" before connect")
    }

    @Test func reasonsDoNotEchoTheName() {
        let reason = RTMPCloseReason.invalidStreamKey(.invalidByte(0x0A, offset: 3)).description
        #expect(reason == "invalid stream key: byte 0xa at offset 3 is not in [A-Za-z0-9._-] (NetStream.Publish.BadName)")
    }
}
