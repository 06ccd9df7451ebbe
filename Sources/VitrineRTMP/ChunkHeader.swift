// ChunkHeader: the pieces of Adobe RTMP spec 1.0 section 5.3.1 shared by the chunk decoder and
// encoder: basic header (chunk stream id in 1, 2 or 3 bytes), the four message header formats,
// the extended timestamp, and the reassembled message (section 5.3.2 is what it carries).

/// One complete RTMP message as carried by the chunk layer, before its payload is interpreted.
public struct RTMPRawMessage: Equatable, Sendable {
    /// Chunk stream it arrived on (or is to be sent on): 2...65599.
    public var chunkStreamID: UInt32
    /// 32-bit millisecond timestamp, already resolved from deltas and the extended field.
    public var timestamp: UInt32
    public var typeID: UInt8
    public var messageStreamID: UInt32
    public var payload: [UInt8]

    public init(chunkStreamID: UInt32, timestamp: UInt32, typeID: UInt8, messageStreamID: UInt32, payload: [UInt8]) {
        self.chunkStreamID = chunkStreamID
        self.timestamp = timestamp
        self.typeID = typeID
        self.messageStreamID = messageStreamID
        self.payload = payload
    }
}

/// The four message header formats of spec 5.3.1.2 (the two high bits of the basic header).
enum ChunkFormat: UInt8, Sendable {
    /// 11 bytes: absolute timestamp, length, type id, message stream id.
    case full = 0
    /// 7 bytes: timestamp delta, length, type id (same message stream).
    case sameStream = 1
    /// 3 bytes: timestamp delta only.
    case timestampOnly = 2
    /// 0 bytes: everything as the previous chunk of this chunk stream.
    case continuation = 3
}

enum ChunkHeaderCoding {
    /// A 24-bit timestamp field equal to this means "read the 4-byte extended timestamp".
    static let extendedTimestampMarker: UInt32 = 0xFF_FFFF
    /// Largest chunk stream id the 3-byte basic header can carry (spec 5.3.1.1).
    static let maxChunkStreamID: UInt32 = 65599

    /// Parses the 1-3 byte basic header; nil means more bytes are needed.
    static func readBasicHeader(_ reader: inout ByteReader) -> (format: ChunkFormat, chunkStreamID: UInt32)? {
        guard let first = reader.readUInt8() else { return nil }
        let format = ChunkFormat(rawValue: first >> 6)!
        switch first & 0x3F {
        case 0:
            guard let b1 = reader.readUInt8() else { return nil }
            return (format, 64 + UInt32(b1))
        case 1:
            guard let b1 = reader.readUInt8(), let b2 = reader.readUInt8() else { return nil }
            return (format, 64 + UInt32(b1) + UInt32(b2) * 256)
        case let id:
            return (format, UInt32(id))
        }
    }

    static func appendBasicHeader(_ out: inout [UInt8], format: ChunkFormat, chunkStreamID: UInt32) {
        precondition((2...maxChunkStreamID).contains(chunkStreamID), "chunk stream id \(chunkStreamID) out of range")
        let high = format.rawValue << 6
        switch chunkStreamID {
        case 2...63:
            out.append(high | UInt8(chunkStreamID))
        case 64...319:
            out.append(high)
            out.append(UInt8(chunkStreamID - 64))
        default:
            out.append(high | 1)
            out.append(UInt8(truncatingIfNeeded: chunkStreamID - 64))
            out.append(UInt8(truncatingIfNeeded: (chunkStreamID - 64) >> 8))
        }
    }
}
