// ChunkEncoder: writer side of Adobe RTMP spec 1.0 section 5.3.1, cutting messages into chunks
// and compressing headers with formats 1-3 when the previous message on the same chunk stream
// allows it (5.3.1.2). Extended timestamps are repeated on type-3 continuation chunks, which is
// what FFmpeg, librtmp and OBS expect when reading.

public struct ChunkEncoder: Sendable {
    private struct LastHeader: Sendable {
        var timestamp: UInt32
        var timestampField: UInt32
        var format: ChunkFormat
        var length: Int
        var typeID: UInt8
        var messageStreamID: UInt32
    }

    /// Outgoing chunk size. Change it with `setChunkSize` right after encoding the Set Chunk Size
    /// message itself, which still travels with the old size.
    public private(set) var chunkSize = 128
    private var last: [UInt32: LastHeader] = [:]

    public init() {}

    public mutating func setChunkSize(_ size: Int) {
        precondition(size >= 1 && size <= 0x7FFF_FFFF, "chunk size \(size) out of range")
        chunkSize = size
    }

    public mutating func encode(_ message: RTMPRawMessage) -> [UInt8] {
        let csid = message.chunkStreamID
        let format: ChunkFormat
        var field: UInt32
        let delta = message.timestamp &- (last[csid]?.timestamp ?? 0)
        if let previous = last[csid], previous.messageStreamID == message.messageStreamID,
           delta < 0x8000_0000 {
            field = delta
            if previous.length == message.payload.count && previous.typeID == message.typeID {
                // A type-3 new message repeats the previous field; only safe after a delta.
                format = (previous.format != .full && delta == previous.timestampField) ? .continuation : .timestampOnly
            } else {
                format = .sameStream
            }
        } else {
            format = .full
            field = message.timestamp
        }
        if format == .continuation { field = last[csid]!.timestampField }
        let extended = field >= ChunkHeaderCoding.extendedTimestampMarker

        var out = [UInt8]()
        let chunkCount = max(1, (message.payload.count + chunkSize - 1) / chunkSize)
        out.reserveCapacity(message.payload.count + 18 + chunkCount * (extended ? 7 : 3))
        ChunkHeaderCoding.appendBasicHeader(&out, format: format, chunkStreamID: csid)
        let written = extended ? ChunkHeaderCoding.extendedTimestampMarker : field
        switch format {
        case .full:
            out.appendUInt24(written)
            out.appendUInt24(UInt32(message.payload.count))
            out.append(message.typeID)
            out.appendUInt32LittleEndian(message.messageStreamID)
        case .sameStream:
            out.appendUInt24(written)
            out.appendUInt24(UInt32(message.payload.count))
            out.append(message.typeID)
        case .timestampOnly:
            out.appendUInt24(written)
        case .continuation:
            break
        }
        if extended { out.appendUInt32(field) }

        var offset = 0
        repeat {
            if offset > 0 {
                ChunkHeaderCoding.appendBasicHeader(&out, format: .continuation, chunkStreamID: csid)
                if extended { out.appendUInt32(field) }
            }
            let end = min(offset + chunkSize, message.payload.count)
            out += message.payload[offset..<end]
            offset = end
        } while offset < message.payload.count

        last[csid] = LastHeader(
            timestamp: message.timestamp, timestampField: field, format: format,
            length: message.payload.count, typeID: message.typeID, messageStreamID: message.messageStreamID)
        return out
    }
}
