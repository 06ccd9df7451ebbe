// RTMPPublishDelegate: the boundary between the RTMP server (Adobe RTMP spec 1.0 section 7.3,
// publishing) and the transcode pipeline. Methods are called on the connection's event loop and
// must return at once: copy the value into a bounded queue and do media work elsewhere.

/// One accepted (or requested) publication.
public struct RTMPPublication: Hashable, Sendable, CustomStringConvertible {
    /// Server-local connection number, also used as log metadata.
    public var connectionID: UInt64
    public var app: StreamKey
    public var key: StreamKey

    public init(connectionID: UInt64, app: StreamKey, key: StreamKey) {
        self.connectionID = connectionID
        self.app = app
        self.key = key
    }

    /// The key is redacted: this is what log lines print.
    public var description: String { "\(app.value)/\(key.redacted)#\(connectionID)" }
}

public enum RTMPPublishDecision: Equatable, Sendable {
    case accept
    case reject(PublishRejection)
}

public protocol RTMPPublishDelegate: AnyObject, Sendable {
    /// Decides whether a well-formed key may publish. A key already publishing on this server is
    /// refused before this is asked.
    func rtmpShouldAcceptPublish(_ publication: RTMPPublication) -> RTMPPublishDecision
    /// The client was told NetStream.Publish.Start; media follows.
    func rtmpPublishDidStart(_ publication: RTMPPublication)
    func rtmpPublication(_ publication: RTMPPublication, didReceiveMetadata metadata: [AMF0Property])
    /// Sequence headers (decoder extradata) come as units with `isSequenceHeader == true`.
    func rtmpPublication(_ publication: RTMPPublication, didReceive unit: AccessUnit)
    /// Called once per started publication: unpublish, disconnect, timeout or protocol error.
    func rtmpPublishDidEnd(_ publication: RTMPPublication, reason: String)
}
