// StreamKey: validation of the RTMP application name (connect's "app", spec 7.2.1.1) and the
// publishing name (publish's first argument, spec 7.2.2.6). Both end up in file paths, URLs and
// log lines, so only a small safe alphabet is accepted, checked before any other use.

public enum StreamNameError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case tooLong(byteCount: Int, limit: Int)
    /// The first disallowed byte and its offset; the name itself is not echoed (it may be hostile).
    case invalidByte(UInt8, offset: Int)
    /// ".", "..", a leading dot, or a ".." run: path-like names are refused.
    case pathLike

    public var description: String {
        switch self {
        case .empty: return "empty name"
        case let .tooLong(count, limit): return "name of \(count) bytes exceeds \(limit)"
        case let .invalidByte(byte, offset): return "byte 0x\(String(byte, radix: 16)) at offset \(offset) is not in [A-Za-z0-9._-]"
        case .pathLike: return "path-like name (leading dot or \"..\")"
        }
    }
}

/// A validated app name or stream key: 1...256 bytes of [A-Za-z0-9._-], no leading dot, no "..".
public struct StreamKey: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    public init(_ candidate: String, maxLength: Int = RTMPLimits().maxNameLength) throws(StreamNameError) {
        let bytes = Array(candidate.utf8)
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.count <= maxLength else { throw .tooLong(byteCount: bytes.count, limit: maxLength) }
        for (offset, byte) in bytes.enumerated() where !Self.isAllowed(byte) {
            throw .invalidByte(byte, offset: offset)
        }
        guard bytes.first != UInt8(ascii: "."), !candidate.contains("..") else { throw .pathLike }
        value = candidate
    }

    public var description: String { value }

    /// For log lines: a stream key is the publisher's secret, so only its first characters show.
    public var redacted: String { Self.redact(value) }

    public static func redact(_ name: String) -> String {
        name.count <= 6 ? "***" : name.prefix(3) + "***(\(name.count))"
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}
