// The job-process wire (docs/job-protocol.md): a byte stream of frames, each a 4-byte big-endian
// length and that many bytes of one JSON message. Lengths are checked before anything is
// allocated, so a confused or hostile peer can never make the other side allocate more than
// `maxFrameBytes`. Reads and writes block: each end gives them a thread of its own.
import Foundation

public enum JobWireError: Error, CustomStringConvertible, Equatable {
    /// The other end closed the stream between frames.
    case closed
    /// The stream ended inside a frame.
    case truncated
    case tooLong(Int)
    case io(Int32)
    case malformed(String)

    public var description: String {
        switch self {
        case .closed: return "job channel closed"
        case .truncated: return "job channel ended inside a frame"
        case let .tooLong(n): return "job channel frame of \(n) bytes is over the \(JobWire.maxFrameBytes)-byte limit"
        case let .io(code): return "job channel I/O error: \(String(cString: strerror(code)))"
        case let .malformed(why): return "job channel message malformed: \(why)"
        }
    }
}

public enum JobWire {
    /// Larger than any message file jobs send (progress, card replies) and than a live access unit.
    public static let maxFrameBytes = 16 << 20

    /// A message's JSON as it goes on the wire: keys sorted, so the same message is always the
    /// same bytes (the golden tests hold them, and a change to them bumps JobProtocol.version).
    public static func encode<T: Encodable>(_ message: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(message)
    }
}

/// Writes frames to a file descriptor; safe to share between threads (one frame at a time).
public final class FrameWriter: @unchecked Sendable {
    private let fd: Int32
    private let lock = NSLock()

    public init(fd: Int32) { self.fd = fd }

    public func write(_ payload: Data) throws {
        guard payload.count <= JobWire.maxFrameBytes else { throw JobWireError.tooLong(payload.count) }
        let length = UInt32(payload.count)
        var frame = Data([UInt8(length >> 24), UInt8((length >> 16) & 0xff), UInt8((length >> 8) & 0xff), UInt8(length & 0xff)])
        frame.append(payload)
        try lock.withLock {
            try frame.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw JobWireError.io(errno)
                    }
                    offset += n
                }
            }
        }
    }

    public func encode<T: Encodable>(_ message: T) throws {
        try write(try JobWire.encode(message))
    }
}

/// Reads frames from a file descriptor; one reader thread owns it.
public final class FrameReader: @unchecked Sendable {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    /// One read's worth (a pipe holds 64 KiB), allocated once: a large frame arrives in many reads.
    private var chunk = [UInt8](repeating: 0, count: 65_536)

    public init(fd: Int32) { self.fd = fd }

    /// The next frame's payload; nil when the stream ended cleanly between frames.
    public func next() throws -> Data? {
        guard let header = try take(4, atStart: true) else { return nil }
        let length = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
        guard length <= JobWire.maxFrameBytes else { throw JobWireError.tooLong(length) }
        guard let payload = try take(length, atStart: false) else { throw JobWireError.truncated }
        return Data(payload)
    }

    public func decode<T: Decodable>(_ type: T.Type) throws -> T? {
        guard let payload = try next() else { return nil }
        do {
            return try JSONDecoder().decode(type, from: payload)
        } catch {
            throw JobWireError.malformed("\(error)")
        }
    }

    /// `count` bytes, reading as needed; nil at a clean end when `atStart` (nothing of it read).
    private func take(_ count: Int, atStart: Bool) throws -> [UInt8]? {
        while buffer.count - start < count {
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            if buffer.capacity < count { buffer.reserveCapacity(count) }
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw JobWireError.io(errno)
            }
            if n == 0 {
                if atStart && buffer.count == start { return nil }
                throw JobWireError.truncated
            }
            buffer.append(contentsOf: chunk[0..<n])
        }
        defer { start += count }
        return Array(buffer[start..<(start + count)])
    }
}
