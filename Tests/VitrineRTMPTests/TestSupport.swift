// Test helpers: a scripted RTMP publisher that writes the bytes FFmpeg would (handshake, chunked
// commands and media, per Adobe RTMP spec 1.0 sections 5.2, 5.3, 7.2), and a transcript that
// normalises session output so byte-at-a-time and all-at-once runs compare equal.

import Foundation
@testable import VitrineRTMP

/// What a session produced, with all sends joined into one byte stream.
struct Transcript: Equatable {
    var sent: [UInt8] = []
    var events: [RTMPAction] = []

    mutating func record(_ actions: [RTMPAction]) {
        for action in actions {
            if case .send(let bytes) = action { sent += bytes } else { events.append(action) }
        }
    }

    var closeReason: RTMPCloseReason? {
        for case .close(let reason) in events { return reason }
        return nil
    }

    var units: [AccessUnit] {
        events.compactMap { if case .media(let unit) = $0 { return unit } else { return nil } }
    }

    /// The server's messages after S0+S1+S2, decoded as a client would.
    func serverMessages() throws -> [RTMPMessage] {
        guard sent.count >= 3073 else { return [] }
        var decoder = ChunkDecoder()
        decoder.append(sent[3073...])
        return try decoder.drain().map { try RTMPMessage($0) }
    }

    func serverCommands() throws -> [RTMPCommand] {
        try serverMessages().compactMap { if case .command(let c) = $0 { return c } else { return nil } }
    }
}

let t0 = RTMPInstant(milliseconds: 1_000)

func fixedRandom(_ seed: UInt64 = 42) -> [UInt8] {
    var rng = SplitMix64(seed: seed)
    return rng.bytes(3072)
}

func makeSession(_ configure: (inout RTMPSessionConfiguration) -> Void = { _ in }) -> RTMPSession {
    var configuration = RTMPSessionConfiguration()
    configure(&configuration)
    return RTMPSession(configuration: configuration, now: t0, random: fixedRandom())
}

/// Feeds `bytes` whole, or one byte per call, and records everything.
@discardableResult
func feed(_ session: inout RTMPSession, _ bytes: [UInt8], byteAtATime: Bool = false,
          now: RTMPInstant = t0, into transcript: inout Transcript) -> Transcript {
    if byteAtATime {
        for byte in bytes { transcript.record(session.receive([byte], now: now)) }
    } else {
        transcript.record(session.receive(bytes, now: now))
    }
    return transcript
}

/// Feeds `bytes` whole, or in pieces of `piece` bytes (byteAtATime: 1).
func run(_ bytes: [UInt8], byteAtATime: Bool = false, piece: Int? = nil, accept: Bool = true,
         configure: (inout RTMPSessionConfiguration) -> Void = { _ in }) -> Transcript {
    var session = makeSession(configure)
    var transcript = Transcript()
    if let size = byteAtATime ? 1 : piece {
        for start in stride(from: 0, to: bytes.count, by: size) {
            record(Array(bytes[start..<min(bytes.count, start + size)]), &session, &transcript, accept: accept)
        }
    } else {
        record(bytes, &session, &transcript, accept: accept)
    }
    return transcript
}

private func record(_ bytes: [UInt8], _ session: inout RTMPSession, _ transcript: inout Transcript, accept: Bool) {
    let actions = session.receive(bytes, now: t0)
    transcript.record(actions)
    if actions.contains(where: { if case .publishRequested = $0 { return true } else { return false } }) {
        transcript.record(accept ? session.acceptPublish() : session.rejectPublish(.unknownKey))
    }
}

/// A scripted client.
struct FakePublisher {
    var encoder = ChunkEncoder()

    static func c0c1(digest: Bool, seed: UInt64 = 7) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var c1 = rng.bytes(1536)
        c1.replaceSubrange(0..<4, with: [0, 0, 0, 0])
        if digest {
            c1.replaceSubrange(4..<8, with: [9, 0, 124, 2])  // FFmpeg's client version bytes
            HandshakeDigest.signClientPacket(&c1, scheme: .scheme0)
        } else {
            c1.replaceSubrange(4..<8, with: [0, 0, 0, 0])
        }
        return [3] + c1
    }

    static func handshake(digest: Bool = false) -> [UInt8] {
        c0c1(digest: digest) + [UInt8](repeating: 0x5A, count: 1536)
    }

    mutating func message(_ message: RTMPMessage, csid: UInt32, streamID: UInt32 = 0, timestamp: UInt32 = 0) -> [UInt8] {
        let (typeID, payload) = message.payload()
        return encoder.encode(RTMPRawMessage(chunkStreamID: csid, timestamp: timestamp, typeID: typeID,
                                             messageStreamID: streamID, payload: payload))
    }

    mutating func command(_ name: String, _ txn: Double, _ object: AMF0Value = .null, _ args: [AMF0Value] = [],
                          streamID: UInt32 = 0) -> [UInt8] {
        message(.command(RTMPCommand(name: name, transactionID: txn, commandObject: object, arguments: args)),
                csid: streamID == 0 ? 3 : 8, streamID: streamID)
    }

    mutating func connect(app: String = "live") -> [UInt8] {
        command("connect", 1, .object([
            AMF0Property("app", .string(app)),
            AMF0Property("type", .string("nonprivate")),
            AMF0Property("flashVer", .string("FMLE/3.0 (compatible; Lavf59.27.100)")),
            AMF0Property("tcUrl", .string("rtmp://127.0.0.1:1935/\(app)")),
        ]))
    }

    /// Everything FFmpeg sends from connect to publish.
    mutating func publishSequence(app: String = "live", key: String = "abc123") -> [UInt8] {
        var out = message(.setChunkSize(4096), csid: 2)
        encoder.setChunkSize(4096)
        out += connect(app: app)
        out += command("releaseStream", 2, .null, [.string(key)])
        out += command("FCPublish", 3, .null, [.string(key)])
        out += command("createStream", 4)
        out += command("publish", 5, .null, [.string(key), .string("live")], streamID: 1)
        return out
    }

    mutating func video(_ payload: [UInt8], timestamp: UInt32) -> [UInt8] {
        message(.video(payload), csid: 6, streamID: 1, timestamp: timestamp)
    }

    mutating func audio(_ payload: [UInt8], timestamp: UInt32) -> [UInt8] {
        message(.audio(payload), csid: 4, streamID: 1, timestamp: timestamp)
    }
}

/// FLV bodies as FFmpeg's flv muxer writes them.
enum FLVBodies {
    static let avcRecord: [UInt8] = [1, 0x64, 0, 0x1F, 0xFF, 0xE1, 0, 4, 0x67, 0x64, 0, 0x1F, 1, 0, 4, 0x68, 0xEE, 0x3C, 0x80]
    static let audioConfig: [UInt8] = [0x12, 0x10]  // AAC LC, 44100 Hz, stereo

    static func videoSequenceHeader() -> [UInt8] { [0x17, 0, 0, 0, 0] + avcRecord }
    static func videoFrame(key: Bool, cts: Int32, nalu: [UInt8] = [0, 0, 0, 2, 0x65, 0x88]) -> [UInt8] {
        let c = UInt32(bitPattern: cts) & 0xFF_FFFF
        return [key ? 0x17 : 0x27, 1, UInt8(c >> 16), UInt8((c >> 8) & 0xFF), UInt8(c & 0xFF)] + nalu
    }
    static func audioSequenceHeader() -> [UInt8] { [0xAF, 0] + audioConfig }
    static func audioFrame(_ data: [UInt8] = [0x21, 0x10, 0x04]) -> [UInt8] { [0xAF, 1] + data }
}

enum Fixtures {
    /// Fixtures/rtmp in the main tree, found from this file's location (Tests/VitrineRTMPTests).
    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/rtmp")
    }

    static func seeds() throws -> [(name: String, bytes: [UInt8])] {
        try files(in: directory).filter { $0.name.hasSuffix(".bin") }
    }

    /// Fixtures/fuzz/TARGET: Scripts/fuzz.sh's seeds and the crashers it found.
    static func fuzzCorpus(_ target: String) throws -> [(name: String, bytes: [UInt8])] {
        try files(in: directory.deletingLastPathComponent().appendingPathComponent("fuzz/\(target)"))
    }

    private static func files(in folder: URL) throws -> [(name: String, bytes: [UInt8])] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        return try names.map { ($0, Array(try Data(contentsOf: folder.appendingPathComponent($0)))) }
    }
}
