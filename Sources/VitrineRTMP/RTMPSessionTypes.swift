// RTMPSessionTypes: the values RTMPSession takes and returns: configuration, the fake-clock
// instant, the actions the connection owner carries out, and close reasons. The command flow they
// serve is Adobe RTMP spec 1.0 section 7.2 (connect, createStream, publish) and 7.3 (publishing).

/// A point on a monotonic millisecond clock. Tests pass any values; the NIO glue uses uptime.
public struct RTMPInstant: Comparable, Hashable, Sendable {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public static func < (lhs: RTMPInstant, rhs: RTMPInstant) -> Bool { lhs.milliseconds < rhs.milliseconds }

    public func adding(milliseconds delta: Int64) -> RTMPInstant { RTMPInstant(milliseconds: milliseconds + delta) }
}

public struct RTMPSessionConfiguration: Sendable {
    public var limits = RTMPLimits()
    /// Window Acknowledgement Size announced to the peer after connect (spec 5.4.4).
    public var windowAcknowledgementSize: UInt32 = 2_500_000
    /// Set Peer Bandwidth announced after connect (spec 5.4.5), limit type dynamic.
    public var peerBandwidth: UInt32 = 2_500_000
    /// Chunk size the server writes with; announced with Set Chunk Size after connect.
    public var outgoingChunkSize = 4096
    /// Accepted application names; nil accepts any valid name.
    public var applications: Set<String>? = nil
    /// Message streams one connection may create (createStream).
    public var maxStreamsPerConnection: UInt32 = 8

    public init() {}
}

/// How the server answers a publish request it refuses.
public enum PublishRejection: Equatable, Sendable, CustomStringConvertible {
    /// The key is well formed but not known: onStatus NetStream.Publish.BadName.
    case unknownKey
    /// Someone already publishes on this key: onStatus NetStream.Publish.BadConnection.
    case alreadyPublishing
    /// The worker runs as many jobs as it is configured for: onStatus NetStream.Publish.BadConnection.
    case atCapacity

    public var description: String {
        switch self {
        case .unknownKey: return "unknown stream key"
        case .alreadyPublishing: return "stream key is already publishing"
        case .atCapacity: return "the worker is at its job limit"
        }
    }
}

/// Why the session ended the connection; `description` is a log line.
public enum RTMPCloseReason: Error, Equatable, Sendable, CustomStringConvertible {
    case handshake(HandshakeError)
    case chunkStream(ChunkError)
    case message(RTMPMessageError)
    case media(FLVTagError)
    case connectTimeout(milliseconds: Int64)
    case idleTimeout(milliseconds: Int64)
    case messageBeforeConnect(typeID: UInt8)
    case commandBeforeConnect(name: String)
    case duplicateConnect
    case invalidApp(StreamNameError)
    case unknownApp(String)
    case invalidStreamKey(StreamNameError)
    case publishOnUnknownStream(streamID: UInt32)
    case duplicatePublish(key: String)
    case publishRejected(key: String, PublishRejection)
    case playNotSupported
    case tooManyStreams(limit: UInt32)
    /// The server's job for this publish failed (onStatus NetStream.Failed was sent first).
    case jobFailed(String)
    case noPublish(milliseconds: Int64)
    case tooManyReplies(limit: Int)
    case peerNotReading(milliseconds: Int64)

    public var description: String {
        switch self {
        case .handshake(let e): return "handshake: \(e)"
        case .chunkStream(let e): return "chunk stream: \(e)"
        case .message(let e): return "message: \(e)"
        case .media(let e): return "media: \(e)"
        case .connectTimeout(let ms): return "handshake and connect not done within \(ms) ms"
        case .idleTimeout(let ms): return "nothing received for \(ms) ms"
        case .messageBeforeConnect(let t): return "message type \(t) before connect"
        case .commandBeforeConnect(let name):
            return "command \"\(Self.printable(name))\" before connect"
        case .duplicateConnect: return "second connect on one connection"
        case .invalidApp(let e): return "invalid app name: \(e)"
        case .unknownApp(let app): return "unknown app \"\(app)\""
        case .invalidStreamKey(let e): return "invalid stream key: \(e) (NetStream.Publish.BadName)"
        case .publishOnUnknownStream(let id): return "publish on message stream \(id) never created"
        case .duplicatePublish(let key): return "second publish on one connection while publishing \"\(StreamKey.redact(key))\""
        case let .publishRejected(key, why):
            let code = why == .unknownKey ? "NetStream.Publish.BadName" : "NetStream.Publish.BadConnection"
            return "publish of \"\(StreamKey.redact(key))\" rejected: \(why) (\(code))"
        case .playNotSupported: return "play requested; this server only ingests"
        case .tooManyStreams(let limit): return "more than \(limit) createStream calls"
        case .jobFailed(let why): return "the live job failed: \(why) (NetStream.Failed)"
        case .noPublish(let ms): return "no publish within \(ms) ms of connecting"
        case .tooManyReplies(let limit): return "more than \(limit) replies asked for before publishing"
        case .peerNotReading(let ms): return "peer has not read our output for \(ms) ms"
        }
    }

    /// Peer-chosen text in a log line: printable ASCII only, at most 64 bytes.
    static func printable(_ text: String) -> String {
        let bytes = text.utf8.prefix(64).map { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") ? $0 : UInt8(ascii: "?") }
        return String(decoding: bytes, as: UTF8.self) + (text.utf8.count > 64 ? "..." : "")
    }
}

/// What the connection owner must do, in order.
public enum RTMPAction: Equatable, Sendable {
    case send([UInt8])
    /// connect succeeded for this application.
    case connected(app: StreamKey)
    /// The peer asked to publish; answer with `acceptPublish()` or `rejectPublish(_:)`.
    case publishRequested(app: StreamKey, key: StreamKey)
    /// onMetaData from @setDataFrame (or a bare onMetaData data message).
    case metadata([AMF0Property])
    case media(AccessUnit)
    /// FCUnpublish / deleteStream ended an accepted publication.
    case publishEnded(key: StreamKey)
    /// Close the connection after flushing earlier sends.
    case close(reason: RTMPCloseReason)
}

/// Collects actions, merging adjacent sends into one write.
struct RTMPActionList {
    private(set) var actions: [RTMPAction] = []

    mutating func send(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        if case .send(let previous)? = actions.last {
            actions[actions.count - 1] = .send(previous + bytes)
        } else {
            actions.append(.send(bytes))
        }
    }

    mutating func append(_ action: RTMPAction) { actions.append(action) }
}
