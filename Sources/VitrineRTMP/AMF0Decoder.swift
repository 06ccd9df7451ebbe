// AMF0Decoder: reads AMF0 values (Adobe AMF0 specification, section 2) from a complete message
// payload. Bounded: nesting depth is capped, a declared array count is checked against the
// bytes actually present before anything is reserved for it, and a message decodes to at most
// maxValues values (a null is one byte on the wire but tens in memory: 10 MiB of them would be
// hundreds of MB).

public enum AMF0Error: Error, Equatable, Sendable, CustomStringConvertible {
    /// The payload ended inside a value; `offset` is where the read was attempted.
    case truncated(offset: Int)
    case unsupportedMarker(UInt8, offset: Int)
    case depthExceeded(limit: Int, offset: Int)
    /// A count larger than the bytes left could ever hold.
    case countTooLarge(UInt32, offset: Int)
    /// More values (properties and array elements included) than one message may hold.
    case tooManyValues(limit: Int, offset: Int)

    public var description: String {
        switch self {
        case .truncated(let offset): return "AMF0 payload truncated at byte \(offset)"
        case let .unsupportedMarker(marker, offset): return "unsupported AMF0 marker 0x\(String(marker, radix: 16)) at byte \(offset)"
        case let .depthExceeded(limit, offset): return "AMF0 nesting deeper than \(limit) at byte \(offset)"
        case let .countTooLarge(count, offset): return "AMF0 array count \(count) at byte \(offset) exceeds payload"
        case let .tooManyValues(limit, offset): return "AMF0 message holds more than \(limit) values (at byte \(offset))"
        }
    }
}

public struct AMF0Decoder {
    private var reader: ByteReader
    private let maxDepth: Int
    private let maxValues: Int
    /// Values this decoder may still produce.
    private var valuesLeft: Int

    public init(_ bytes: [UInt8], maxDepth: Int = RTMPLimits().maxAMF0Depth, maxValues: Int = RTMPLimits().maxAMF0Values) {
        reader = ByteReader(bytes)
        self.maxDepth = maxDepth
        valuesLeft = maxValues
        self.maxValues = maxValues
    }

    public var isAtEnd: Bool { reader.isAtEnd }

    /// Decodes every value in the payload.
    public static func decodeAll(_ bytes: [UInt8], maxDepth: Int = RTMPLimits().maxAMF0Depth,
                                 maxValues: Int = RTMPLimits().maxAMF0Values) throws(AMF0Error) -> [AMF0Value] {
        var decoder = AMF0Decoder(bytes, maxDepth: maxDepth, maxValues: maxValues)
        var values: [AMF0Value] = []
        while !decoder.isAtEnd { values.append(try decoder.decode()) }
        return values
    }

    public mutating func decode() throws(AMF0Error) -> AMF0Value {
        try decodeValue(depth: 0)
    }

    private mutating func decodeValue(depth: Int) throws(AMF0Error) -> AMF0Value {
        let start = reader.index
        guard valuesLeft > 0 else { throw .tooManyValues(limit: maxValues, offset: start) }
        valuesLeft -= 1
        guard let byte = reader.readUInt8() else { throw .truncated(offset: start) }
        guard let marker = AMF0Value.Marker(rawValue: byte) else { throw .unsupportedMarker(byte, offset: start) }
        switch marker {
        case .number:
            return .number(try readDouble())
        case .boolean:
            guard let b = reader.readUInt8() else { throw .truncated(offset: reader.index) }
            return .boolean(b != 0)
        case .string:
            return .string(try readShortString())
        case .longString:
            return .longString(try readLongString())
        case .null:
            return .null
        case .undefined:
            return .undefined
        case .object:
            guard depth < maxDepth else { throw .depthExceeded(limit: maxDepth, offset: start) }
            return .object(try readProperties(depth: depth + 1))
        case .ecmaArray:
            guard depth < maxDepth else { throw .depthExceeded(limit: maxDepth, offset: start) }
            // The count is only a hint (encoders get it wrong); the object-end marker decides.
            guard reader.readUInt32() != nil else { throw .truncated(offset: reader.index) }
            return .ecmaArray(try readProperties(depth: depth + 1))
        case .strictArray:
            guard depth < maxDepth else { throw .depthExceeded(limit: maxDepth, offset: start) }
            let countOffset = reader.index
            guard let count = reader.readUInt32() else { throw .truncated(offset: countOffset) }
            // Every element takes at least one byte, so a larger count is a lie; refuse it
            // before reserving anything.
            guard Int(count) <= reader.remaining else { throw .countTooLarge(count, offset: countOffset) }
            guard Int(count) <= valuesLeft else { throw .tooManyValues(limit: maxValues, offset: countOffset) }
            var values: [AMF0Value] = []
            values.reserveCapacity(Int(count))
            for _ in 0..<count { values.append(try decodeValue(depth: depth + 1)) }
            return .strictArray(values)
        case .date:
            let ms = try readDouble()
            guard let zone = reader.readUInt16() else { throw .truncated(offset: reader.index) }
            return .date(ms, timeZone: Int16(bitPattern: zone))
        case .objectEnd, .movieclip, .reference, .unsupported, .recordSet, .xmlDocument, .typedObject, .avmPlusObject:
            throw .unsupportedMarker(byte, offset: start)
        }
    }

    private mutating func readProperties(depth: Int) throws(AMF0Error) -> [AMF0Property] {
        var properties: [AMF0Property] = []
        while true {
            let key = try readShortString()
            if key.isEmpty, reader.peekUInt8() == AMF0Value.Marker.objectEnd.rawValue {
                _ = reader.readUInt8()
                return properties
            }
            properties.append(AMF0Property(key, try decodeValue(depth: depth)))
        }
    }

    private mutating func readDouble() throws(AMF0Error) -> Double {
        guard let high = reader.readUInt32(), let low = reader.readUInt32() else {
            throw .truncated(offset: reader.index)
        }
        return Double(bitPattern: UInt64(high) << 32 | UInt64(low))
    }

    private mutating func readShortString() throws(AMF0Error) -> String {
        let offset = reader.index
        guard let length = reader.readUInt16(), let bytes = reader.readBytes(Int(length)) else {
            throw .truncated(offset: offset)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private mutating func readLongString() throws(AMF0Error) -> String {
        let offset = reader.index
        guard let length = reader.readUInt32(), let bytes = reader.readBytes(Int(length)) else {
            throw .truncated(offset: offset)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
