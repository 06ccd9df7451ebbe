// RTMPLimits: the bounds every peer-declared number is checked against (design.md "Limits").
// Adobe RTMP spec 1.0 leaves most of these open-ended; an ingest server must not.

/// Hard limits for one RTMP connection. Defaults follow the Vitrine design table.
public struct RTMPLimits: Sendable, Equatable {
    /// Largest message a peer may declare (checked before any buffer grows for it).
    public var maxMessageLength: Int = 10 * 1024 * 1024
    /// Accepted range for the peer's Set Chunk Size (spec 5.4.1 allows 1...2^31-1; we do not).
    public var peerChunkSizeRange: ClosedRange<UInt32> = 128...16_777_215
    /// Distinct chunk stream ids a connection may use.
    public var maxChunkStreams: Int = 64
    /// AMF0 nesting depth (objects, arrays) before decoding gives up.
    public var maxAMF0Depth: Int = 64
    /// AMF0 values one message may decode to, properties and elements included (onMetaData
    /// from OBS or ffmpeg holds about 30).
    public var maxAMF0Values: Int = 4096
    /// Longest app name or stream key, in UTF-8 bytes.
    public var maxNameLength: Int = 256
    /// Handshake plus connect must complete within this many milliseconds of accept.
    public var connectDeadlineMilliseconds: Int64 = 10_000
    /// After connect, a connection that sends nothing for this long is closed.
    public var idleTimeoutMilliseconds: Int64 = 10_000
    /// A connection that has not started publishing this long after accept is closed, whatever
    /// bytes trickle in meanwhile (idle reads alone would let a slow peer hold it open).
    public var publishDeadlineMilliseconds: Int64 = 10_000
    /// Replies (command results, statuses, pongs) a connection may draw before it publishes: a
    /// peer that only makes the server answer is closed, so it cannot grow our output.
    public var maxRepliesBeforePublish: Int = 64
    /// A peer that has not taken our output for this long (the socket stays past its high water
    /// mark while reading is paused) is closed: it could otherwise make us hold its replies.
    public var outputStallMilliseconds: Int64 = 5_000
    /// Largest composition time (PTS minus DTS) a video frame may carry, either sign. B-frame
    /// reordering needs a few hundred milliseconds; the SI24 field allows 2.3 hours, which would
    /// make the job fill hours of audio. A frame past it is presented at its DTS.
    public var maxCompositionTimeMilliseconds: Int32 = 5_000

    public init() {}
}
