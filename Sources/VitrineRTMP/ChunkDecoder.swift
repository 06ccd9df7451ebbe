// ChunkDecoder: incremental reader of the chunk stream, Adobe RTMP spec 1.0 section 5.3
// (chunk headers 5.3.1, message reassembly 5.3.2), applying Set Chunk Size and Abort (5.4.1, 5.4.2)
// itself because they change how the following bytes are cut.
//
// A chunk is consumed only when its header and its whole payload piece are buffered, so "need
// more" never leaves half-applied state. Every length the peer declares is checked against
// RTMPLimits before anything is kept for it; payload storage grows only with bytes received.

/// Why the chunk stream was refused. Each case names the offending value.
public enum ChunkError: Error, Equatable, Sendable, CustomStringConvertible {
    case messageTooLong(declared: Int, limit: Int, chunkStreamID: UInt32)
    case tooManyChunkStreams(chunkStreamID: UInt32, limit: Int)
    case missingType0Header(chunkStreamID: UInt32, format: UInt8)
    case headerInsideMessage(chunkStreamID: UInt32, format: UInt8)
    case chunkSizeOutOfRange(UInt32)
    case malformedControlMessage(typeID: UInt8, length: Int)
    case tooMuchPendingData(bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case let .messageTooLong(declared, limit, csid):
            return "message length \(declared) on chunk stream \(csid) exceeds limit \(limit)"
        case let .tooManyChunkStreams(csid, limit):
            return "chunk stream \(csid) would exceed the limit of \(limit) chunk streams"
        case let .missingType0Header(csid, format):
            return "type-\(format) chunk on chunk stream \(csid), which never had a type-0 header"
        case let .headerInsideMessage(csid, format):
            return "type-\(format) chunk header on chunk stream \(csid) while a message was still incomplete"
        case let .chunkSizeOutOfRange(size):
            return "peer Set Chunk Size \(size) outside 128...16777215"
        case let .malformedControlMessage(typeID, length):
            return "protocol control message type \(typeID) with payload length \(length)"
        case let .tooMuchPendingData(bytes, limit):
            return "\(bytes) bytes of incomplete messages pending, limit \(limit)"
        }
    }
}

public struct ChunkDecoder: Sendable {
    /// What is remembered per chunk stream for header compression and reassembly.
    struct StreamState: Sendable {
        var timestamp: UInt32 = 0
        /// The timestamp field of the last header (absolute for type 0, a delta otherwise);
        /// a type-3 chunk starting a new message adds it again, as FFmpeg and librtmp do.
        var timestampField: UInt32 = 0
        var usesExtendedTimestamp = false
        var length = 0
        var typeID: UInt8 = 0
        var messageStreamID: UInt32 = 0
        var payload: [UInt8] = []
        var inProgress = false
    }

    public let limits: RTMPLimits
    public private(set) var chunkSize = 128
    private var streams: [UInt32: StreamState] = [:]
    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var pendingPayloadBytes = 0

    public init(limits: RTMPLimits = RTMPLimits()) {
        self.limits = limits
    }

    /// Bytes consumed as whole chunks so far: what acknowledgements count (spec 5.4.3), at chunk
    /// boundaries, so they do not depend on how the bytes arrived.
    public private(set) var consumedByteCount: UInt64 = 0

    /// Bytes received but not yet consumed as whole chunks.
    public var bufferedByteCount: Int { buffer.count - readIndex }
    public var chunkStreamCount: Int { streams.count }

    /// Storage held for a partial message; tests use it to show declared lengths reserve nothing.
    func partialPayloadCapacity(chunkStreamID: UInt32) -> Int {
        streams[chunkStreamID]?.payload.capacity ?? 0
    }

    public mutating func append<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        buffer.append(contentsOf: bytes)
    }

    /// One chunk's worth of decoding.
    public enum Step: Sendable {
        /// A chunk completed this message.
        case message(RTMPRawMessage)
        /// A chunk was consumed; its message is still incomplete.
        case chunk
        case needMore
    }

    /// Consumes at most one chunk.
    public mutating func nextStep() throws(ChunkError) -> Step {
        guard let decoded = try decodeOneChunk() else {
            compact()
            return .needMore
        }
        guard let message = decoded else { return .chunk }
        try applyChunkLayerControl(message)
        return .message(message)
    }

    /// Returns the next complete message, or nil when more bytes are needed.
    public mutating func nextMessage() throws(ChunkError) -> RTMPRawMessage? {
        while true {
            switch try nextStep() {
            case .needMore: return nil
            case .chunk: continue
            case let .message(message): return message
            }
        }
    }

    /// Decodes all complete messages currently buffered.
    public mutating func drain() throws(ChunkError) -> [RTMPRawMessage] {
        var out: [RTMPRawMessage] = []
        while let message = try nextMessage() { out.append(message) }
        return out
    }

    /// Outer nil: need more bytes. Inner nil: a chunk was consumed but its message is incomplete.
    private mutating func decodeOneChunk() throws(ChunkError) -> RTMPRawMessage?? {
        var reader = ByteReader(buffer, index: readIndex)
        guard let (format, csid) = ChunkHeaderCoding.readBasicHeader(&reader) else { return nil }
        let previous = streams[csid]
        if previous == nil {
            guard format == .full else {
                throw .missingType0Header(chunkStreamID: csid, format: format.rawValue)
            }
            guard streams.count < limits.maxChunkStreams else {
                throw .tooManyChunkStreams(chunkStreamID: csid, limit: limits.maxChunkStreams)
            }
        }
        var state = previous ?? StreamState()
        if state.inProgress && format != .continuation {
            throw .headerInsideMessage(chunkStreamID: csid, format: format.rawValue)
        }

        // Message header (5.3.1.2); the field values are only committed once the chunk is whole.
        var field = state.timestampField
        var length = state.length
        var typeID = state.typeID
        var streamID = state.messageStreamID
        var extended = state.usesExtendedTimestamp
        if format != .continuation {
            guard let ts = reader.readUInt24() else { return nil }
            field = ts
            if format == .full || format == .sameStream {
                guard let len = reader.readUInt24(), let type = reader.readUInt8() else { return nil }
                length = Int(len)
                typeID = type
                if format == .full {
                    guard let sid = reader.readUInt32LittleEndian() else { return nil }
                    streamID = sid
                }
            }
            extended = ts == ChunkHeaderCoding.extendedTimestampMarker
        }
        if extended {
            // Also present on type-3 chunks of a message whose header used it (5.3.1.3).
            guard let value = reader.readUInt32() else { return nil }
            if !state.inProgress { field = value }
        }
        if !state.inProgress && length > limits.maxMessageLength {
            throw .messageTooLong(declared: length, limit: limits.maxMessageLength, chunkStreamID: csid)
        }

        let received = state.inProgress ? state.payload.count : 0
        let pieceLength = min(chunkSize, length - received)
        guard let piece = reader.readBytes(pieceLength) else { return nil }

        if !state.inProgress {
            if pendingPayloadBytes + length > 2 * limits.maxMessageLength {
                throw .tooMuchPendingData(bytes: pendingPayloadBytes + length, limit: 2 * limits.maxMessageLength)
            }
            state.timestamp = format == .full ? field : state.timestamp &+ field
            state.timestampField = field
            state.usesExtendedTimestamp = extended
            state.length = length
            state.typeID = typeID
            state.messageStreamID = streamID
            state.inProgress = true
            pendingPayloadBytes += length
        }
        consumedByteCount += UInt64(reader.index - readIndex)
        readIndex = reader.index
        state.payload.append(contentsOf: piece)

        guard state.payload.count == state.length else {
            streams[csid] = state
            return .some(nil)
        }
        let message = RTMPRawMessage(
            chunkStreamID: csid, timestamp: state.timestamp, typeID: state.typeID,
            messageStreamID: state.messageStreamID, payload: state.payload)
        pendingPayloadBytes -= state.length
        state.payload = []
        state.inProgress = false
        streams[csid] = state
        return .some(message)
    }

    private mutating func applyChunkLayerControl(_ message: RTMPRawMessage) throws(ChunkError) {
        switch message.typeID {
        case RTMPMessageType.setChunkSize.rawValue:
            guard message.payload.count == 4 else {
                throw .malformedControlMessage(typeID: message.typeID, length: message.payload.count)
            }
            var reader = ByteReader(message.payload)
            let size = reader.readUInt32()!
            guard limits.peerChunkSizeRange.contains(size) else { throw .chunkSizeOutOfRange(size) }
            chunkSize = Int(size)
        case RTMPMessageType.abort.rawValue:
            guard message.payload.count == 4 else {
                throw .malformedControlMessage(typeID: message.typeID, length: message.payload.count)
            }
            var reader = ByteReader(message.payload)
            let csid = reader.readUInt32()!
            if var state = streams[csid], state.inProgress {
                pendingPayloadBytes -= state.length
                state.payload = []
                state.inProgress = false
                streams[csid] = state
            }
        default:
            break
        }
    }

    /// Drops consumed bytes once they dominate the buffer, keeping appends amortised O(1).
    private mutating func compact() {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
            readIndex = 0
        } else if readIndex > 65536 && readIndex > buffer.count / 2 {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
    }
}
