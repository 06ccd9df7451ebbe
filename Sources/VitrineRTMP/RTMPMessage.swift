// RTMPMessage: typed view of a reassembled message. Adobe RTMP spec 1.0 section 5.4 (protocol
// control messages 1-6), 6.2 / 7.1 (user control, audio, video, data, command message types).

/// Message type ids (spec 5.4 and 7.1).
public enum RTMPMessageType: UInt8, Sendable {
    case setChunkSize = 1
    case abort = 2
    case acknowledgement = 3
    case userControl = 4
    case windowAcknowledgementSize = 5
    case setPeerBandwidth = 6
    case audio = 8
    case video = 9
    case dataAMF3 = 15
    case sharedObjectAMF3 = 16
    case commandAMF3 = 17
    case dataAMF0 = 18
    case sharedObjectAMF0 = 19
    case commandAMF0 = 20
    case aggregate = 22
}

/// Set Peer Bandwidth limit type (spec 5.4.5).
public enum PeerBandwidthLimit: UInt8, Sendable {
    case hard = 0, soft = 1, dynamic = 2
}

/// User control events (spec 7.1.7); only the ones a publisher or the server uses are typed.
public enum UserControlEvent: Equatable, Sendable {
    case streamBegin(streamID: UInt32)
    case streamEOF(streamID: UInt32)
    case streamDry(streamID: UInt32)
    case setBufferLength(streamID: UInt32, milliseconds: UInt32)
    case streamIsRecorded(streamID: UInt32)
    case pingRequest(timestamp: UInt32)
    case pingResponse(timestamp: UInt32)
    case other(type: UInt16, data: [UInt8])
}

/// Why a message could not be interpreted.
public enum RTMPMessageError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(typeID: UInt8, length: Int)
    case amf0(typeID: UInt8, AMF0Error)
    case unknownType(UInt8)

    public var description: String {
        switch self {
        case let .malformed(typeID, length): return "malformed message type \(typeID) with length \(length)"
        case let .amf0(typeID, error): return "message type \(typeID): \(error)"
        case let .unknownType(typeID): return "unknown message type \(typeID)"
        }
    }
}

public enum RTMPMessage: Equatable, Sendable {
    case setChunkSize(UInt32)
    case abort(chunkStreamID: UInt32)
    case acknowledgement(sequenceNumber: UInt32)
    case userControl(UserControlEvent)
    case windowAcknowledgementSize(UInt32)
    case setPeerBandwidth(size: UInt32, limit: PeerBandwidthLimit)
    /// FLV audio tag body (spec 7.1.4; FLV 10.1 AUDIODATA).
    case audio([UInt8])
    /// FLV video tag body (spec 7.1.5; FLV 10.1 VIDEODATA).
    case video([UInt8])
    /// AMF0 data message such as @setDataFrame (spec 7.1.2).
    case data([AMF0Value])
    /// AMF0 command (spec 7.1.1, 7.2); AMF3 commands whose body is AMF0 land here too.
    case command(RTMPCommand)
    /// Known types an ingest server has no use for (shared objects, AMF3 data, aggregate).
    case ignored(typeID: UInt8)

    /// Interprets a raw message. Unknown type ids throw: no real publisher sends them, so they
    /// mean a desynchronised or hostile stream and the session closes on them.
    public init(_ raw: RTMPRawMessage, maxAMF0Depth: Int = RTMPLimits().maxAMF0Depth,
                maxAMF0Values: Int = RTMPLimits().maxAMF0Values) throws(RTMPMessageError) {
        guard let type = RTMPMessageType(rawValue: raw.typeID) else { throw .unknownType(raw.typeID) }
        var reader = ByteReader(raw.payload)
        let malformed = RTMPMessageError.malformed(typeID: raw.typeID, length: raw.payload.count)
        switch type {
        case .setChunkSize, .abort, .acknowledgement, .windowAcknowledgementSize:
            guard raw.payload.count == 4, let value = reader.readUInt32() else { throw malformed }
            switch type {
            case .setChunkSize: self = .setChunkSize(value)
            case .abort: self = .abort(chunkStreamID: value)
            case .acknowledgement: self = .acknowledgement(sequenceNumber: value)
            default: self = .windowAcknowledgementSize(value)
            }
        case .setPeerBandwidth:
            guard raw.payload.count == 5, let size = reader.readUInt32(), let limitByte = reader.readUInt8(),
                  let limit = PeerBandwidthLimit(rawValue: limitByte) else { throw malformed }
            self = .setPeerBandwidth(size: size, limit: limit)
        case .userControl:
            guard let event = reader.readUInt16() else { throw malformed }
            let value = reader.readUInt32()
            switch (event, value) {
            case (0, let id?): self = .userControl(.streamBegin(streamID: id))
            case (1, let id?): self = .userControl(.streamEOF(streamID: id))
            case (2, let id?): self = .userControl(.streamDry(streamID: id))
            case (3, let id?):
                guard let ms = reader.readUInt32() else { throw malformed }
                self = .userControl(.setBufferLength(streamID: id, milliseconds: ms))
            case (4, let id?): self = .userControl(.streamIsRecorded(streamID: id))
            case (6, let ts?): self = .userControl(.pingRequest(timestamp: ts))
            case (7, let ts?): self = .userControl(.pingResponse(timestamp: ts))
            case (0...7, nil): throw malformed
            default: self = .userControl(.other(type: event, data: Array(raw.payload.dropFirst(2))))
            }
        case .audio:
            self = .audio(raw.payload)
        case .video:
            self = .video(raw.payload)
        case .dataAMF0:
            do { self = .data(try AMF0Decoder.decodeAll(raw.payload, maxDepth: maxAMF0Depth, maxValues: maxAMF0Values)) }
            catch { throw .amf0(typeID: raw.typeID, error) }
        case .commandAMF0, .commandAMF3:
            // An AMF3 command starts with a 0 format byte and then, from real clients, AMF0.
            var body = raw.payload
            if type == .commandAMF3 {
                guard body.first == 0 else { throw malformed }
                body.removeFirst()
            }
            let values: [AMF0Value]
            do { values = try AMF0Decoder.decodeAll(body, maxDepth: maxAMF0Depth, maxValues: maxAMF0Values) }
            catch { throw .amf0(typeID: raw.typeID, error) }
            guard let command = RTMPCommand(values: values) else { throw malformed }
            self = .command(command)
        case .dataAMF3, .sharedObjectAMF3, .sharedObjectAMF0, .aggregate:
            self = .ignored(typeID: raw.typeID)
        }
    }

    /// Serialises messages the server sends; media and ignored types are not sent by it.
    public func payload() -> (typeID: UInt8, bytes: [UInt8]) {
        var out = [UInt8]()
        switch self {
        case .setChunkSize(let v): out.appendUInt32(v); return (1, out)
        case .abort(let csid): out.appendUInt32(csid); return (2, out)
        case .acknowledgement(let n): out.appendUInt32(n); return (3, out)
        case .windowAcknowledgementSize(let n): out.appendUInt32(n); return (5, out)
        case let .setPeerBandwidth(size, limit):
            out.appendUInt32(size); out.append(limit.rawValue); return (6, out)
        case .userControl(let event):
            switch event {
            case .streamBegin(let id): out.appendUInt16(0); out.appendUInt32(id)
            case .streamEOF(let id): out.appendUInt16(1); out.appendUInt32(id)
            case .streamDry(let id): out.appendUInt16(2); out.appendUInt32(id)
            case let .setBufferLength(id, ms): out.appendUInt16(3); out.appendUInt32(id); out.appendUInt32(ms)
            case .streamIsRecorded(let id): out.appendUInt16(4); out.appendUInt32(id)
            case .pingRequest(let ts): out.appendUInt16(6); out.appendUInt32(ts)
            case .pingResponse(let ts): out.appendUInt16(7); out.appendUInt32(ts)
            case let .other(type, data): out.appendUInt16(type); out += data
            }
            return (4, out)
        case .audio(let bytes): return (8, bytes)
        case .video(let bytes): return (9, bytes)
        case .data(let values): return (18, AMF0Encoder.encode(values))
        case .command(let command): return (20, AMF0Encoder.encode(command.values))
        case .ignored(let typeID): return (typeID, [])
        }
    }
}
