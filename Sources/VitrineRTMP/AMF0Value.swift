// AMF0Value and its encoder: Action Message Format AMF0 (Adobe AMF0 specification, section 2),
// the types RTMP commands and metadata use (number, boolean, string, object, null, undefined,
// ECMA array, strict array, date, long string, and the object-end marker that closes objects).

/// One key/value pair of an AMF0 object or ECMA array; order is kept as on the wire.
public struct AMF0Property: Equatable, Sendable {
    public var key: String
    public var value: AMF0Value

    public init(_ key: String, _ value: AMF0Value) {
        self.key = key
        self.value = value
    }
}

public enum AMF0Value: Equatable, Sendable {
    case number(Double)
    case boolean(Bool)
    /// Written as a short string (marker 0x02) when it fits in 65535 UTF-8 bytes, else as long.
    case string(String)
    case object([AMF0Property])
    case null
    case undefined
    case ecmaArray([AMF0Property])
    case strictArray([AMF0Value])
    /// Milliseconds since the Unix epoch, plus the time-zone field the spec says to ignore.
    case date(Double, timeZone: Int16)
    case longString(String)

    enum Marker: UInt8 {
        case number = 0x00, boolean = 0x01, string = 0x02, object = 0x03, movieclip = 0x04
        case null = 0x05, undefined = 0x06, reference = 0x07, ecmaArray = 0x08, objectEnd = 0x09
        case strictArray = 0x0A, date = 0x0B, longString = 0x0C, unsupported = 0x0D
        case recordSet = 0x0E, xmlDocument = 0x0F, typedObject = 0x10, avmPlusObject = 0x11
    }

    // MARK: convenience accessors used by the command layer

    public var stringValue: String? {
        switch self {
        case .string(let s), .longString(let s): return s
        default: return nil
        }
    }

    public var numberValue: Double? {
        if case .number(let n) = self { return n }
        return nil
    }

    public var properties: [AMF0Property]? {
        switch self {
        case .object(let p), .ecmaArray(let p): return p
        default: return nil
        }
    }

    /// First property named `key` of an object or ECMA array.
    public subscript(key: String) -> AMF0Value? {
        properties?.first { $0.key == key }?.value
    }
}

public enum AMF0Encoder {
    public static func encode(_ values: [AMF0Value]) -> [UInt8] {
        var out = [UInt8]()
        for value in values { encode(value, into: &out) }
        return out
    }

    public static func encode(_ value: AMF0Value, into out: inout [UInt8]) {
        switch value {
        case .number(let n):
            out.append(AMF0Value.Marker.number.rawValue)
            out.appendUInt32(UInt32(truncatingIfNeeded: n.bitPattern >> 32))
            out.appendUInt32(UInt32(truncatingIfNeeded: n.bitPattern))
        case .boolean(let b):
            out.append(AMF0Value.Marker.boolean.rawValue)
            out.append(b ? 1 : 0)
        case .string(let s):
            let utf8 = Array(s.utf8)
            if utf8.count > 0xFFFF {
                out.append(AMF0Value.Marker.longString.rawValue)
                out.appendUInt32(UInt32(utf8.count))
            } else {
                out.append(AMF0Value.Marker.string.rawValue)
                out.appendUInt16(UInt16(utf8.count))
            }
            out += utf8
        case .object(let properties):
            out.append(AMF0Value.Marker.object.rawValue)
            encodeProperties(properties, into: &out)
        case .null:
            out.append(AMF0Value.Marker.null.rawValue)
        case .undefined:
            out.append(AMF0Value.Marker.undefined.rawValue)
        case .ecmaArray(let properties):
            out.append(AMF0Value.Marker.ecmaArray.rawValue)
            out.appendUInt32(UInt32(truncatingIfNeeded: properties.count))
            encodeProperties(properties, into: &out)
        case .strictArray(let values):
            out.append(AMF0Value.Marker.strictArray.rawValue)
            out.appendUInt32(UInt32(truncatingIfNeeded: values.count))
            for element in values { encode(element, into: &out) }
        case .date(let ms, let zone):
            out.append(AMF0Value.Marker.date.rawValue)
            out.appendUInt32(UInt32(truncatingIfNeeded: ms.bitPattern >> 32))
            out.appendUInt32(UInt32(truncatingIfNeeded: ms.bitPattern))
            out.appendUInt16(UInt16(bitPattern: zone))
        case .longString(let s):
            let utf8 = Array(s.utf8)
            out.append(AMF0Value.Marker.longString.rawValue)
            out.appendUInt32(UInt32(truncatingIfNeeded: utf8.count))
            out += utf8
        }
    }

    /// Object and ECMA array bodies: UTF-8 keys without markers, closed by "" + 0x09.
    private static func encodeProperties(_ properties: [AMF0Property], into out: inout [UInt8]) {
        for property in properties {
            var key = Array(property.key.utf8)
            if key.count > 0xFFFF { key = Array(key.prefix(0xFFFF)) }
            out.appendUInt16(UInt16(key.count))
            out += key
            encode(property.value, into: &out)
        }
        out += [0x00, 0x00, AMF0Value.Marker.objectEnd.rawValue]
    }
}
