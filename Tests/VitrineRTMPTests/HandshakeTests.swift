// Handshake tests: Adobe RTMP spec 1.0 section 5.2 (simple form) and the Flash digest form.

import Foundation
import Testing
@testable import VitrineRTMP

@Suite struct HandshakeTests {
    @Test func sha256KnownVectors() {
        #expect(hex(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(SHA256.hash([UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        // 56 bytes: padding spills into a second block.
        let two = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(hex(SHA256.hash(two)) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // RFC 4231 test case 2.
        #expect(hex(SHA256.hmac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func simpleClientGetsEchoOfC1() throws {
        var handshake = Handshake(serverTime: 0x01020304, random: fixedRandom())
        let c0c1 = FakePublisher.c0c1(digest: false)
        let out = try handshake.receive(c0c1)
        #expect(out.send.count == 1 + 1536 * 2)
        #expect(out.send[0] == 3)
        #expect(Array(out.send[1..<5]) == [1, 2, 3, 4])       // S1 time
        #expect(Array(out.send[5..<9]) == [0, 0, 0, 0])       // S1 zero: simple form
        #expect(Array(out.send[1537...]) == Array(c0c1[1...])) // S2 echoes C1
        #expect(handshake.state == .awaitingC2)
        #expect(handshake.form == .simple)
    }

    @Test func digestClientGetsSignedS1AndS2() throws {
        var handshake = Handshake(serverTime: 0, random: fixedRandom())
        let c0c1 = FakePublisher.c0c1(digest: true)
        let out = try handshake.receive(c0c1)
        #expect(handshake.form == .digest(scheme: 0))
        let s1 = Array(out.send[1..<1537])
        let s2 = Array(out.send[1537...])
        // A verifying client (FFmpeg rtmp_validate_digest) finds the server digest in S1 ...
        let offset = HandshakeDigest.Scheme.scheme0.digestOffset(in: s1)
        let expected = HandshakeDigest.digest(of: s1, excludingAt: offset, key: HandshakeDigest.serverKeyShort)
        #expect(Array(s1[offset..<(offset + 32)]) == expected)
        #expect(s1[4] != 0)
        // ... and S2's signature is keyed by its own C1 digest.
        let c1 = Array(c0c1[1...])
        let clientDigest = try #require(HandshakeDigest.validateClient(c1)).digest
        let key = SHA256.hmac(key: HandshakeDigest.serverKeyFull, message: clientDigest)
        #expect(Array(s2[1504...]) == SHA256.hmac(key: key, message: s2[0..<1504]))
    }

    @Test func scheme1DigestIsFound() throws {
        var c1 = Array(FakePublisher.c0c1(digest: false)[1...])
        c1.replaceSubrange(4..<8, with: [0x80, 0, 7, 2])
        HandshakeDigest.signClientPacket(&c1, scheme: .scheme1)
        var handshake = Handshake(serverTime: 0, random: fixedRandom())
        _ = try handshake.receive([3] + c1)
        #expect(handshake.form == .digest(scheme: 1))
    }

    @Test func versionBytesWithoutValidDigestFallBackToSimple() throws {
        var c1 = Array(FakePublisher.c0c1(digest: false)[1...])
        c1.replaceSubrange(4..<8, with: [9, 0, 124, 2])
        var handshake = Handshake(serverTime: 0, random: fixedRandom())
        let out = try handshake.receive([3] + c1)
        #expect(handshake.form == .simple)
        #expect(Array(out.send[1537...]) == c1)
    }

    @Test(arguments: [false, true])
    func byteAtATimeEqualsAllAtOnce(digest: Bool) throws {
        let input = FakePublisher.c0c1(digest: digest) + [UInt8](repeating: 1, count: 1536) + [0xAA, 0xBB]
        var whole = Handshake(serverTime: 9, random: fixedRandom())
        let all = try whole.receive(input)
        var split = Handshake(serverTime: 9, random: fixedRandom())
        var sent: [UInt8] = []
        var remainder: [UInt8] = []
        for byte in input {
            let out = try split.receive([byte])
            sent += out.send
            remainder += out.remainder
        }
        #expect(sent == all.send)
        #expect(remainder == all.remainder)
        #expect(remainder == [0xAA, 0xBB])
        #expect(split.state == .complete && whole.state == .complete)
    }

    @Test func httpRequestIsNamed() {
        var handshake = Handshake(serverTime: 0, random: fixedRandom())
        #expect(throws: HandshakeError.httpRequest(prefix: "GET / HT")) {
            try handshake.receive(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        }
        // Byte by byte, it is named the same once 8 bytes are in (found by Scripts/fuzz.sh
        // rtmp-session: the name used to be whatever the first read held).
        var post = Handshake(serverTime: 0, random: fixedRandom())
        for byte in "POST /x".utf8 { #expect(throws: Never.self) { try post.receive([byte]) } }
        #expect(throws: HandshakeError.httpRequest(prefix: "POST /xy")) { try post.receive(Array("y HTTP/1.1".utf8)) }
    }

    @Test func otherVersionsAreRefused() {
        for version: UInt8 in [0, 6, 0xFF] {
            var handshake = Handshake(serverTime: 0, random: fixedRandom())
            #expect(throws: HandshakeError.unsupportedVersion(version)) { try handshake.receive([version, 0, 0]) }
        }
        #expect(HandshakeError.unsupportedVersion(6).description.contains("RTMPE"))
    }
}

func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}
