// HandshakeDigest: the "complex" (Flash digest) handshake used by Flash Player, FMS, FFmpeg's
// native RTMP client, librtmp and OBS. Not part of Adobe RTMP spec 1.0 section 5.2, which only
// describes the simple echo form; the scheme below is the one FFmpeg (libavformat/rtmpproto.c)
// and nginx-rtmp implement. Offsets are into the 1536-byte C1/S1 packet (after the C0/S0 byte).

enum HandshakeDigest {
    static let packetSize = 1536
    static let digestLength = 32

    /// The 32 bytes both Genuine keys end with.
    private static let keyTail: [UInt8] = [
        0xF0, 0xEE, 0xC2, 0x4A, 0x80, 0x68, 0xBE, 0xE8, 0x2E, 0x00, 0xD0, 0xD1, 0x02, 0x9E, 0x7E, 0x57,
        0x6E, 0xEC, 0x5D, 0x2D, 0x29, 0x80, 0x6F, 0xAB, 0x93, 0xB8, 0xE6, 0x36, 0xCF, 0xEB, 0x31, 0xAE,
    ]
    /// "Genuine Adobe Flash Player 001": the client signs C1 with these 30 bytes.
    static let playerKeyShort: [UInt8] = Array("Genuine Adobe Flash Player 001".utf8)
    /// "Genuine Adobe Flash Media Server 001": the server signs S1 with these 36 bytes...
    static let serverKeyShort: [UInt8] = Array("Genuine Adobe Flash Media Server 001".utf8)
    /// ...and derives the S2 key from the full 68-byte form.
    static let serverKeyFull: [UInt8] = serverKeyShort + keyTail
    static let playerKeyFull: [UInt8] = playerKeyShort + keyTail

    /// The two digest layouts: the offset-sum bytes sit at 8 (scheme 0) or 772 (scheme 1).
    enum Scheme: Int, Sendable, CaseIterable {
        case scheme0 = 8
        case scheme1 = 772

        /// FFmpeg calls this ff_rtmp_calc_digest_pos(buf, base, 728, base + 4).
        func digestOffset(in packet: [UInt8]) -> Int {
            let base = rawValue
            let sum = Int(packet[base]) + Int(packet[base + 1]) + Int(packet[base + 2]) + Int(packet[base + 3])
            return sum % 728 + base + 4
        }
    }

    /// HMAC over the packet with the 32 digest bytes at `offset` left out.
    static func digest(of packet: [UInt8], excludingAt offset: Int, key: [UInt8]) -> [UInt8] {
        var message = [UInt8]()
        message.reserveCapacity(packetSize - digestLength)
        message += packet[0..<offset]
        message += packet[(offset + digestLength)...]
        return SHA256.hmac(key: key, message: message)
    }

    /// Finds which scheme (if any) the client used to sign C1, returning the client's digest.
    static func validateClient(_ c1: [UInt8]) -> (scheme: Scheme, digest: [UInt8])? {
        guard c1.count == packetSize else { return nil }
        // FFmpeg tries 772 first, then 8, when validating; the order does not matter for
        // correctness because a random match on the wrong scheme has probability 2^-256.
        for scheme in [Scheme.scheme1, .scheme0] {
            let offset = scheme.digestOffset(in: c1)
            let expected = digest(of: c1, excludingAt: offset, key: playerKeyShort)
            if Array(c1[offset..<(offset + digestLength)]) == expected {
                return (scheme, expected)
            }
        }
        return nil
    }

    /// Writes the server digest into `s1` (whose version bytes must be non-zero) in place.
    static func signServerPacket(_ s1: inout [UInt8], scheme: Scheme) {
        let offset = scheme.digestOffset(in: s1)
        let value = digest(of: s1, excludingAt: offset, key: serverKeyShort)
        s1.replaceSubrange(offset..<(offset + digestLength), with: value)
    }

    /// S2 for a digest client: random filler whose last 32 bytes are an HMAC keyed by the
    /// client's C1 digest, so the client can check that the server saw its C1.
    static func makeServerResponse(clientDigest: [UInt8], filler: [UInt8]) -> [UInt8] {
        precondition(filler.count == packetSize)
        var s2 = filler
        let key = SHA256.hmac(key: serverKeyFull, message: clientDigest)
        let signature = SHA256.hmac(key: key, message: s2[0..<(packetSize - digestLength)])
        s2.replaceSubrange((packetSize - digestLength)..<packetSize, with: signature)
        return s2
    }

    /// The C2 a digest client answers with (used by tests acting as a client, and to check C2).
    static func makeClientResponse(serverDigest: [UInt8], filler: [UInt8]) -> [UInt8] {
        precondition(filler.count == packetSize)
        var c2 = filler
        let key = SHA256.hmac(key: playerKeyFull, message: serverDigest)
        let signature = SHA256.hmac(key: key, message: c2[0..<(packetSize - digestLength)])
        c2.replaceSubrange((packetSize - digestLength)..<packetSize, with: signature)
        return c2
    }

    /// Signs a client C1 in place, as FFmpeg's client does; used by tests and fixture seeds.
    static func signClientPacket(_ c1: inout [UInt8], scheme: Scheme) {
        let offset = scheme.digestOffset(in: c1)
        let value = digest(of: c1, excludingAt: offset, key: playerKeyShort)
        c1.replaceSubrange(offset..<(offset + digestLength), with: value)
    }
}
