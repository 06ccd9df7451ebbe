// Handshake: server side of Adobe RTMP spec 1.0 section 5.2 (C0/C1/C2, S0/S1/S2, version 3).
//
// Choice: when C1 carries a valid Flash digest (FFmpeg, librtmp, OBS sign C1 this way) the server
// answers in the digest form, with a signed S1 and an S2 keyed by the client's digest, so clients
// that verify the server (FFmpeg as a player, Flash) accept it. Otherwise it answers in the simple
// form of 5.2: S1 with zero version bytes, S2 an echo of C1. C2 is read and not verified: clients
// disagree on its content (FFmpeg publishers echo S1, digest players sign it) and nothing the
// server keeps depends on it.

/// Why the handshake refused a peer. Each case names the offending value.
public enum HandshakeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// C0 was not 3; the byte the peer sent instead.
    case unsupportedVersion(UInt8)
    /// The first bytes look like an HTTP request line; carries the printable prefix seen.
    case httpRequest(prefix: String)

    public var description: String {
        switch self {
        case .unsupportedVersion(6):
            return "RTMP version 6 (RTMPE, encrypted) is not supported"
        case .unsupportedVersion(let v):
            return "unsupported RTMP version byte \(v) in C0 (expected 3)"
        case .httpRequest(let prefix):
            return "HTTP request sent to the RTMP port (starts with \"\(prefix)\")"
        }
    }
}

public struct Handshake: Sendable {
    public enum State: Equatable, Sendable {
        case awaitingC0C1
        case awaitingC2
        case complete
    }

    /// Which answer the server gave; useful in logs.
    public enum Form: Equatable, Sendable {
        case simple
        case digest(scheme: Int)
    }

    /// What one call to `receive` produced.
    public struct Output: Equatable, Sendable {
        /// Bytes to send to the peer (S0+S1+S2 once, empty otherwise).
        public var send: [UInt8] = []
        /// Bytes that arrived after C2: the start of the chunk stream.
        public var remainder: [UInt8] = []
    }

    public static let version: UInt8 = 3
    static let packetSize = HandshakeDigest.packetSize
    /// Version bytes advertised in a digest S1 (FMS 3.x style; any non-zero value works).
    static let serverVersion: [UInt8] = [0x04, 0x05, 0x00, 0x01]

    public private(set) var state: State = .awaitingC0C1
    public private(set) var form: Form?
    private var buffer: [UInt8] = []
    private let serverTime: UInt32
    private let filler: [UInt8]

    /// - Parameters:
    ///   - serverTime: the epoch written in S1 (milliseconds, any origin).
    ///   - random: 2 * 1536 bytes of filler for S1 and S2; injected so tests are reproducible.
    public init(serverTime: UInt32, random: [UInt8]) {
        precondition(random.count >= 2 * Self.packetSize, "handshake filler needs 3072 bytes")
        self.serverTime = serverTime
        self.filler = Array(random.prefix(2 * Self.packetSize))
    }

    /// Feeds bytes; buffers at most 1537 of them, so a peer cannot make it grow.
    public mutating func receive(_ bytes: [UInt8]) throws(HandshakeError) -> Output {
        var output = Output()
        var input = bytes[...]
        while !input.isEmpty {
            switch state {
            case .awaitingC0C1:
                if let first = buffer.first ?? input.first, first != Self.version {
                    guard Self.isRequestLetter(first) else { throw .unsupportedVersion(first) }
                    // A misdirected HTTP client, named by its first 8 bytes however they arrive.
                    let take = min(input.count, Self.httpPrefixLength - buffer.count)
                    buffer += input.prefix(take)
                    input = input.dropFirst(take)
                    guard buffer.count == Self.httpPrefixLength else { continue }
                    let printable = buffer.prefix { $0 >= 0x20 && $0 < 0x7F }
                    throw .httpRequest(prefix: String(decoding: printable, as: UTF8.self))
                }
                let take = min(input.count, 1 + Self.packetSize - buffer.count)
                buffer += input.prefix(take)
                input = input.dropFirst(take)
                if buffer.count == 1 + Self.packetSize {
                    output.send = makeServerPackets(c1: Array(buffer[1...]))
                    buffer.removeAll(keepingCapacity: true)
                    state = .awaitingC2
                }
            case .awaitingC2:
                let take = min(input.count, Self.packetSize - buffer.count)
                buffer += input.prefix(take)
                input = input.dropFirst(take)
                if buffer.count == Self.packetSize {
                    buffer = []
                    state = .complete
                }
            case .complete:
                output.remainder += input
                input = input.dropFirst(input.count)
            }
        }
        return output
    }

    static let httpPrefixLength = 8

    /// Request methods start with an upper-case ASCII letter; RTMP versions are 3 (or 6, 8, 9
    /// for the encrypted variants), so a letter first is a misdirected HTTP client.
    private static func isRequestLetter(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")
    }

    private mutating func makeServerPackets(c1: [UInt8]) -> [UInt8] {
        var s1 = [UInt8]()
        s1.reserveCapacity(Self.packetSize)
        s1.appendUInt32(serverTime)
        let s2: [UInt8]
        let clientVersionIsZero = c1[4..<8].allSatisfy { $0 == 0 }
        if !clientVersionIsZero, let client = HandshakeDigest.validateClient(c1) {
            s1 += Self.serverVersion
            s1 += filler[8..<Self.packetSize]
            HandshakeDigest.signServerPacket(&s1, scheme: client.scheme)
            s2 = HandshakeDigest.makeServerResponse(
                clientDigest: client.digest, filler: Array(filler[Self.packetSize...]))
            form = .digest(scheme: client.scheme == .scheme0 ? 0 : 1)
        } else {
            s1 += [0, 0, 0, 0]
            s1 += filler[8..<Self.packetSize]
            s2 = c1
            form = .simple
        }
        return [Self.version] + s1 + s2
    }
}
