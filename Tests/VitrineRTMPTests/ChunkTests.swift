// Chunk layer tests: Adobe RTMP spec 1.0 section 5.3.1 (basic header forms, message header
// formats 0-3, extended timestamp) and 5.3.2 / 5.4.1-5.4.2 (reassembly, Set Chunk Size, Abort).

import Testing
@testable import VitrineRTMP

/// Decodes `bytes` whole and one byte at a time; both must agree.
func decodeBothWays(_ bytes: [UInt8], limits: RTMPLimits = RTMPLimits()) throws -> [RTMPRawMessage] {
    var whole = ChunkDecoder(limits: limits)
    whole.append(bytes)
    let all = try whole.drain()
    var split = ChunkDecoder(limits: limits)
    var one: [RTMPRawMessage] = []
    for byte in bytes {
        split.append([byte])
        one += try split.drain()
    }
    #expect(one == all)
    #expect(whole.bufferedByteCount == split.bufferedByteCount)
    return all
}

@Suite struct ChunkDecoderTests {
    @Test func allFourHeaderFormats() throws {
        let bytes: [UInt8] = [
            0x03, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x03, 0x08, 0x01, 0x00, 0x00, 0x00, 1, 2, 3,  // fmt 0, ts 1000
            0x43, 0x00, 0x00, 0x14, 0x00, 0x00, 0x02, 0x09, 4, 5,                             // fmt 1, +20
            0x83, 0x00, 0x00, 0x1E, 6, 7,                                                     // fmt 2, +30
            0xC3, 8, 9,                                                                       // fmt 3, +30 again
        ]
        let messages = try decodeBothWays(bytes)
        #expect(messages == [
            RTMPRawMessage(chunkStreamID: 3, timestamp: 1000, typeID: 8, messageStreamID: 1, payload: [1, 2, 3]),
            RTMPRawMessage(chunkStreamID: 3, timestamp: 1020, typeID: 9, messageStreamID: 1, payload: [4, 5]),
            RTMPRawMessage(chunkStreamID: 3, timestamp: 1050, typeID: 9, messageStreamID: 1, payload: [6, 7]),
            RTMPRawMessage(chunkStreamID: 3, timestamp: 1080, typeID: 9, messageStreamID: 1, payload: [8, 9]),
        ])
    }

    @Test func twoAndThreeByteBasicHeaders() throws {
        let bytes: [UInt8] = [
            0x00, 36, 0, 0, 5, 0, 0, 1, 20, 0, 0, 0, 0, 0xAA,        // csid 64 + 36 = 100
            0x01, 0x50, 0x01, 0, 0, 6, 0, 0, 1, 20, 0, 0, 0, 0, 0xBB,  // csid 64 + 0x50 + 256 = 400
            0x41, 0xFF, 0xFF, 0, 0, 1, 0, 0, 1, 20, 0xCC,             // fmt 1 on csid 65599
        ]
        var decoder = ChunkDecoder()
        decoder.append(bytes)
        #expect(throws: ChunkError.missingType0Header(chunkStreamID: 65599, format: 1)) { try decoder.drain() }
        let messages = try decodeBothWays(Array(bytes[0..<29]))
        #expect(messages.map(\.chunkStreamID) == [100, 400])
        #expect(messages.map(\.timestamp) == [5, 6])
    }

    @Test func extendedTimestampOnType0AndContinuation() throws {
        let payload = (0..<200).map { UInt8(truncatingIfNeeded: $0) }
        var bytes: [UInt8] = [0x04, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0xC8, 0x09, 0x01, 0, 0, 0, 0x01, 0x23, 0x45, 0x67]
        bytes += payload[0..<128]
        bytes += [0xC4, 0x01, 0x23, 0x45, 0x67]       // type 3 repeats the extended timestamp
        bytes += payload[128...]
        let messages = try decodeBothWays(bytes)
        #expect(messages == [RTMPRawMessage(chunkStreamID: 4, timestamp: 0x0123_4567, typeID: 9,
                                            messageStreamID: 1, payload: payload)])
    }

    @Test func extendedDeltaAppliesToType3NewMessage() throws {
        let bytes: [UInt8] = [
            0x04, 0x00, 0x00, 0x10, 0, 0, 1, 8, 1, 0, 0, 0, 0xA0,              // ts 16
            0x84, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x00, 0x00, 0xA1,              // fmt 2, delta 2^24
            0xC4, 0x01, 0x00, 0x00, 0x00, 0xA2,                                // fmt 3 new message, same delta
        ]
        let messages = try decodeBothWays(bytes)
        #expect(messages.map(\.timestamp) == [16, 16 + 0x100_0000, 16 + 0x200_0000])
    }

    @Test func timestampArithmeticWrapsModulo32Bits() throws {
        let bytes: [UInt8] = [
            0x04, 0xFF, 0xFF, 0xFF, 0, 0, 1, 8, 1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xF0, 0xA0,
            0x84, 0x00, 0x00, 0x20, 0xA1,
        ]
        #expect(try decodeBothWays(bytes).map(\.timestamp) == [0xFFFF_FFF0, 0x10])
    }

    @Test func reassemblyAcrossChunkSizeChangesAndInterleaving() throws {
        var client = ChunkEncoder()
        let big = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let small = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 3) }
        var bytes = client.encode(RTMPRawMessage(chunkStreamID: 6, timestamp: 0, typeID: 9, messageStreamID: 1, payload: small))
        bytes += client.encode(RTMPRawMessage(chunkStreamID: 2, timestamp: 0, typeID: 1, messageStreamID: 0, payload: [0, 0, 0x10, 0]))
        client.setChunkSize(4096)
        // Interleave: video message of 5000 bytes (2 chunks at 4096) with an audio message between.
        let video = client.encode(RTMPRawMessage(chunkStreamID: 6, timestamp: 40, typeID: 9, messageStreamID: 1, payload: big))
        let audio = client.encode(RTMPRawMessage(chunkStreamID: 4, timestamp: 41, typeID: 8, messageStreamID: 1, payload: small))
        let firstChunk = 1 + 7 + 4096   // fmt 1 header on csid 6
        bytes += video[0..<firstChunk] + audio + video[firstChunk...]
        bytes += client.encode(RTMPRawMessage(chunkStreamID: 2, timestamp: 0, typeID: 1, messageStreamID: 0, payload: [0, 0, 0, 200]))
        client.setChunkSize(200)
        bytes += client.encode(RTMPRawMessage(chunkStreamID: 6, timestamp: 80, typeID: 9, messageStreamID: 1, payload: big))
        let messages = try decodeBothWays(bytes)
        #expect(messages.map(\.typeID) == [9, 1, 8, 9, 1, 9])
        #expect(messages[0].payload == small)
        #expect(messages[2].payload == small && messages[2].timestamp == 41)
        #expect(messages[3].payload == big && messages[3].timestamp == 40)
        #expect(messages[5].payload == big && messages[5].timestamp == 80)
    }

    @Test func abortDropsThePartialMessage() throws {
        var client = ChunkEncoder()
        let partial = Array(client.encode(RTMPRawMessage(chunkStreamID: 6, timestamp: 0, typeID: 9, messageStreamID: 1,
                                                         payload: [UInt8](repeating: 1, count: 300)))[0..<(12 + 128)])
        var bytes = partial
        bytes += client.encode(RTMPRawMessage(chunkStreamID: 2, timestamp: 0, typeID: 2, messageStreamID: 0, payload: [0, 0, 0, 6]))
        // After the abort, csid 6 may start a new message with a compressed header.
        bytes += [0x86, 0, 0, 10] + [UInt8](repeating: 2, count: 128) + [0xC6] + [UInt8](repeating: 2, count: 128)
            + [0xC6] + [UInt8](repeating: 2, count: 44)
        let messages = try decodeBothWays(bytes)
        #expect(messages.map(\.typeID) == [2, 9])
        #expect(messages[1].payload == [UInt8](repeating: 2, count: 300))
        #expect(messages[1].timestamp == 10)
    }

    @Test func zeroLengthMessage() throws {
        let messages = try decodeBothWays([0x03, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 0, 0xC3])
        #expect(messages.count == 2)
        #expect(messages.allSatisfy { $0.payload.isEmpty })
    }
}

@Suite struct ChunkEncoderTests {
    @Test func knownBytesForHeaderCompression() {
        var encoder = ChunkEncoder()
        let m = { (ts: UInt32, type: UInt8, payload: [UInt8]) in
            RTMPRawMessage(chunkStreamID: 3, timestamp: ts, typeID: type, messageStreamID: 1, payload: payload)
        }
        #expect(encoder.encode(m(1000, 8, [1, 2, 3])) == [0x03, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x03, 0x08, 0x01, 0, 0, 0, 1, 2, 3])
        #expect(encoder.encode(m(1020, 9, [4, 5])) == [0x43, 0x00, 0x00, 0x14, 0x00, 0x00, 0x02, 0x09, 4, 5])
        #expect(encoder.encode(m(1050, 9, [6, 7])) == [0x83, 0x00, 0x00, 0x1E, 6, 7])
        #expect(encoder.encode(m(1080, 9, [8, 9])) == [0xC3, 8, 9])
        // Going backwards needs an absolute timestamp again.
        #expect(encoder.encode(m(10, 9, [1, 1]))[0] == 0x03)
    }

    @Test func extendedTimestampRepeatsOnContinuationChunks() {
        var encoder = ChunkEncoder()
        let payload = [UInt8](repeating: 9, count: 130)
        let bytes = encoder.encode(RTMPRawMessage(chunkStreamID: 70, timestamp: 0xFFFF_FF00, typeID: 9, messageStreamID: 1, payload: payload))
        #expect(Array(bytes[0..<2]) == [0x00, 6])               // two-byte basic header for csid 70
        #expect(Array(bytes[2..<5]) == [0xFF, 0xFF, 0xFF])
        #expect(Array(bytes[13..<17]) == [0xFF, 0xFF, 0xFF, 0x00])
        #expect(Array(bytes[(17 + 128)..<(17 + 128 + 6)]) == [0xC0, 6, 0xFF, 0xFF, 0xFF, 0x00])
    }

    @Test func randomMessagesRoundTrip() throws {
        var rng = SplitMix64(seed: 99)
        var encoder = ChunkEncoder()
        var expected: [RTMPRawMessage] = []
        var bytes: [UInt8] = []
        var timestamps: [UInt32: UInt32] = [:]
        for i in 0..<300 {
            if i % 50 == 25 {
                let size = UInt32(128 + Int(rng.next() % 5000))
                let control = RTMPRawMessage(chunkStreamID: 2, timestamp: 0, typeID: 1, messageStreamID: 0,
                                             payload: { var p = [UInt8](); p.appendUInt32(size); return p }())
                bytes += encoder.encode(control)
                expected.append(control)
                encoder.setChunkSize(Int(size))
            }
            let csid = [3, 4, 6, 100, 1000][Int(rng.next() % 5)] as UInt32
            let step = UInt32(rng.next() % 3 == 0 ? 0x0100_0000 : rng.next() % 50)
            let ts = (timestamps[csid] ?? 0) &+ step
            timestamps[csid] = ts
            let length = Int(rng.next() % 3 == 0 ? rng.next() % 9000 : rng.next() % 40)
            let message = RTMPRawMessage(chunkStreamID: csid, timestamp: ts, typeID: [8, 9, 20][Int(rng.next() % 3)],
                                         messageStreamID: 1, payload: rng.bytes(length))
            expected.append(message)
            bytes += encoder.encode(message)
        }
        var decoder = ChunkDecoder()
        decoder.append(bytes)
        #expect(try decoder.drain() == expected)
        // Odd-sized slices exercise every split point between headers and payload pieces.
        var sliced = ChunkDecoder()
        var got: [RTMPRawMessage] = []
        var index = 0
        while index < bytes.count {
            let n = min(bytes.count - index, 1 + Int(rng.next() % 37))
            sliced.append(bytes[index..<(index + n)])
            got += try sliced.drain()
            index += n
        }
        #expect(got == expected)
    }
}
