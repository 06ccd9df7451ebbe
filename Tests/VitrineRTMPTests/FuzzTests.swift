// Bounded fuzzing of the whole receive path (Adobe RTMP spec 1.0 sections 5.2-5.4, 7; AMF0; FLV
// 10.1) from the seeds in Fixtures/rtmp, with a fixed-seed generator so any failure reproduces.
// Every input must end in messages, a need-more state or a close; never a crash or a hang, and
// the result must not depend on how the bytes were split.

import Foundation
import Testing
@testable import VitrineRTMP

@Suite struct FuzzTests {
    static func mutate(_ seed: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = seed
        let interesting: [UInt8] = [0x00, 0x01, 0x02, 0x03, 0x3F, 0x40, 0x7F, 0x80, 0xC3, 0xFE, 0xFF]
        for _ in 0..<(1 + Int(rng.next() % 8)) {
            guard !bytes.isEmpty else { bytes = rng.bytes(64); continue }
            let at = Int(rng.next() % UInt64(bytes.count))
            switch rng.next() % 6 {
            case 0: bytes[at] ^= UInt8(truncatingIfNeeded: 1 << (rng.next() % 8))
            case 1: bytes[at] = interesting[Int(rng.next() % UInt64(interesting.count))]
            case 2: bytes.insert(contentsOf: rng.bytes(1 + Int(rng.next() % 16)), at: at)
            case 3: bytes.removeSubrange(at..<min(bytes.count, at + 1 + Int(rng.next() % 32)))
            case 4: bytes = Array(bytes.prefix(at))
            default:
                let end = min(bytes.count, at + 1 + Int(rng.next() % 64))
                bytes.insert(contentsOf: bytes[at..<end], at: end)
            }
        }
        return bytes
    }

    /// Feeds in random slices; publish requests are accepted so media paths are reached.
    static func runSliced(_ bytes: [UInt8], _ rng: inout SplitMix64) -> Transcript {
        var session = makeSession()
        var transcript = Transcript()
        var index = 0
        while index < bytes.count, !session.isClosed {
            let n = min(bytes.count - index, 1 + Int(rng.next() % 700))
            let actions = session.receive(Array(bytes[index..<(index + n)]), now: t0)
            transcript.record(actions)
            if actions.contains(where: { if case .publishRequested = $0 { true } else { false } }) {
                transcript.record(session.acceptPublish())
            }
            index += n
        }
        return transcript
    }

    /// Fixtures/fuzz/rtmp-session, read as Fuzz/Sources/FuzzRTMPSession reads it: byte 0 bit 0
    /// asks for a plain handshake first, bits 1-7 are the piece size. Fed whole or in those
    /// pieces, each input must do the same; the crashers libFuzzer found are in the folder.
    @Test func libFuzzerCorpusGivesTheSameWholeOrInPieces() throws {
        let corpus = try Fixtures.fuzzCorpus("rtmp-session")
        #expect(corpus.contains { $0.name.hasPrefix("crash") })
        for input in corpus where !input.bytes.isEmpty {
            let stream = (input.bytes[0] & 1 == 1 ? FakePublisher.handshake() : []) + input.bytes.dropFirst()
            let piece = max(1, Int(input.bytes[0] >> 1))
            #expect(run(stream, piece: piece) == run(stream), "\(input.name) depends on how it was split")
        }
    }

    @Test func seedsArePresentAndClean() throws {
        let seeds = try Fixtures.seeds()
        #expect(seeds.count >= 5, "seeds in \(Fixtures.directory.path)")
        for seed in seeds where !seed.name.hasPrefix("crash") {
            let transcript = run(seed.bytes)
            #expect(transcript.closeReason == nil, "\(seed.name): \(String(describing: transcript.closeReason))")
        }
    }

    @Test func realFFmpegCaptureDecodes() throws {
        let capture = try #require(try Fixtures.seeds().first { $0.name == "ffmpeg5_publish_capture.bin" })
        let transcript = run(capture.bytes)
        let units = transcript.units
        #expect(transcript.closeReason == nil)
        #expect(units.first?.isSequenceHeader == true)
        #expect(units.contains { $0.track == .audio && $0.isSequenceHeader })
        #expect(units.contains { $0.track == .video && $0.isKeyframe && !$0.isSequenceHeader })
        #expect(transcript.events.contains { if case .metadata = $0 { true } else { false } })
        var sliced = SplitMix64(seed: 5)
        #expect(Self.runSliced(capture.bytes, &sliced) == transcript)
    }

    @Test func twoThousandMutatedSessions() throws {
        let seeds = try Fixtures.seeds().map(\.bytes)
        try #require(!seeds.isEmpty)
        var rng = SplitMix64(seed: 0x5EED_0001)
        var closes = 0
        for i in 0..<2000 {
            // Whole seeds are long; fuzz mostly their first few kilobytes, where the protocol is.
            let base = seeds[i % seeds.count]
            let input = Self.mutate(Array(base.prefix(3073 + Int(rng.next() % 6000))), &rng)
            let whole = run(input)
            var sliceRNG = SplitMix64(seed: UInt64(i))
            let sliced = Self.runSliced(input, &sliceRNG)
            #expect(whole == sliced, "input \(i) depends on how it was split")
            if whole.closeReason != nil { closes += 1 }
        }
        // Mutations hit the handshake and headers often enough that many inputs are refused.
        #expect(closes > 200)
    }

    @Test func pureRandomInputs() {
        var rng = SplitMix64(seed: 0xF00D)
        for i in 0..<300 {
            var input = rng.bytes(1 + Int(rng.next() % 8192))
            if i % 2 == 0 { input = FakePublisher.handshake() + input }
            let transcript = run(input)
            // A well-formed chunk stream from random bytes is essentially impossible; at worst
            // a prefix is still waiting for more, which the deadlines end.
            #expect(transcript.units.isEmpty)
        }
    }

    @Test func amf0Mutations() {
        var rng = SplitMix64(seed: 0xA3F0)
        let seeds = [
            AMF0Encoder.encode(RTMPReplies.connectResult(transactionID: 1).values),
            AMF0Encoder.encode(SessionTests.metadataValues),
            AMF0Encoder.encode([.strictArray([.date(1, timeZone: 0), .longString("x"), .undefined, .object([])])]),
        ]
        var decoded = 0
        for i in 0..<2000 {
            let input = Self.mutate(seeds[i % seeds.count], &rng)
            if (try? AMF0Decoder.decodeAll(input)) != nil { decoded += 1 }
        }
        #expect(decoded > 0 && decoded < 2000)
    }
}
