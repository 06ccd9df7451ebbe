// RTMPSession: the server side of one RTMP connection as a value-type state machine, Adobe RTMP
// spec 1.0 sections 5.2 (handshake), 5.3-5.4 (chunking, protocol control, acknowledgements),
// 7.1.7 (user control) and 7.2-7.3 (commands, publishing). It owns no socket and no clock: the
// caller feeds bytes and the time, and carries out the returned actions.
//
// Decisions: unknown message type ids close the connection (no real publisher sends them; they
// signal desync or garbage), known-but-unused types (shared objects, AMF3 data, aggregate) are
// ignored. After a publish request, later bytes wait unparsed (at most one message's worth)
// until the owner calls acceptPublish/rejectPublish, so results never depend on how the bytes
// were split; media on a message stream other than the published one is dropped.

public struct RTMPSession: Sendable {
    enum Phase: Equatable, Sendable {
        case handshake
        case awaitingConnect
        case connected
        case publishPending(key: StreamKey, streamID: UInt32)
        case publishing(key: StreamKey, streamID: UInt32)
        case closed(RTMPCloseReason)
    }

    /// Outgoing chunk stream ids, as FFmpeg and FMS use them.
    enum OutgoingChunkStream {
        static let control: UInt32 = 2
        static let command: UInt32 = 3
        static let streamStatus: UInt32 = 5
    }

    public let configuration: RTMPSessionConfiguration
    var phase: Phase = .handshake
    private var handshake: Handshake
    private(set) var decoder: ChunkDecoder
    var encoder = ChunkEncoder()
    private let connectDeadline: RTMPInstant
    private let publishDeadline: RTMPInstant
    private var lastReceive: RTMPInstant
    /// Since when the owner's socket has refused more output (nil while it drains).
    private var outputBlockedSince: RTMPInstant?
    /// Replies sent before the publish started (bounded by maxRepliesBeforePublish).
    var repliesBeforePublish = 0
    public private(set) var app: StreamKey?
    mutating func setApp(_ value: StreamKey) { app = value }
    var createdStreams: Set<UInt32> = []
    var nextStreamID: UInt32 = 1
    private var videoClock = TimestampUnwrapper()
    private var audioClock = TimestampUnwrapper()
    public private(set) var bytesReceived: UInt64 = 0
    /// Acknowledgement bookkeeping (spec 5.4.3): every byte counts, handshake included, as it is
    /// consumed (handshake, then whole chunks), so when an ack goes out and the number it carries
    /// do not depend on how the peer's bytes were split into reads.
    private var handshakeByteCount: UInt64 = 0
    private var peerWindowSize: UInt32 = 0
    private var bytesAtLastAck: UInt64 = 0

    /// - Parameters:
    ///   - now: when the connection was accepted; the connect deadline counts from here.
    ///   - random: 3072 bytes of handshake filler; nil draws them from the system generator.
    public init(configuration: RTMPSessionConfiguration = RTMPSessionConfiguration(), now: RTMPInstant, random: [UInt8]? = nil) {
        self.configuration = configuration
        var system = SystemRandomNumberGenerator()
        let filler = random ?? (0..<(2 * HandshakeDigest.packetSize)).map { _ in UInt8.random(in: 0...255, using: &system) }
        handshake = Handshake(serverTime: 0, random: filler)
        decoder = ChunkDecoder(limits: configuration.limits)
        connectDeadline = now.adding(milliseconds: configuration.limits.connectDeadlineMilliseconds)
        publishDeadline = now.adding(milliseconds: configuration.limits.publishDeadlineMilliseconds)
        lastReceive = now
    }

    public var isClosed: Bool {
        if case .closed = phase { return true }
        return false
    }

    public var closeReason: RTMPCloseReason? {
        if case .closed(let reason) = phase { return reason }
        return nil
    }

    /// The key being published, once accepted.
    public var publishingKey: StreamKey? {
        if case .publishing(let key, _) = phase { return key }
        return nil
    }

    public var handshakeForm: Handshake.Form? { handshake.form }

    // MARK: input

    public mutating func receive(_ bytes: [UInt8], now: RTMPInstant) -> [RTMPAction] {
        guard !isClosed else { return [] }
        var actions = RTMPActionList()
        lastReceive = now
        bytesReceived += UInt64(bytes.count)
        if phase == .handshake {
            let output: Handshake.Output
            do { output = try handshake.receive(bytes) } catch {
                close(.handshake(error), into: &actions)
                return actions.actions
            }
            actions.send(output.send)
            guard handshake.state == .complete else { return actions.actions }
            phase = .awaitingConnect
            handshakeByteCount = bytesReceived - UInt64(output.remainder.count)
            decoder.append(output.remainder)
        } else {
            decoder.append(bytes)
        }
        processBufferedMessages(into: &actions)
        if case .publishPending = phase, decoder.bufferedByteCount > configuration.limits.maxMessageLength {
            // The owner has not decided yet; do not hold more than one message's worth for it.
            let limit = configuration.limits.maxMessageLength
            close(.chunkStream(.tooMuchPendingData(bytes: decoder.bufferedByteCount, limit: limit)), into: &actions)
        }
        return actions.actions
    }

    /// Handles buffered messages until more bytes are needed. It pauses while a publish request
    /// awaits the owner's decision, so what follows publish is handled in the accepted state no
    /// matter how the bytes were split; `acceptPublish()` resumes it.
    mutating func processBufferedMessages(into actions: inout RTMPActionList) {
        while !isClosed {
            if case .publishPending = phase { return }
            let step: ChunkDecoder.Step
            do { step = try decoder.nextStep() } catch {
                close(.chunkStream(error), into: &actions)
                return
            }
            switch step {
            case .needMore: return
            case .chunk: break
            case let .message(raw): handle(raw, into: &actions)
            }
            if !isClosed { acknowledgeIfDue(into: &actions) }
        }
    }

    /// The owner's socket stopped or resumed taking output (NIO writability). While it is blocked
    /// the owner reads nothing more from the peer, so no reply can pile up behind it.
    public mutating func outputWritable(_ writable: Bool, now: RTMPInstant) {
        if writable { outputBlockedSince = nil } else if outputBlockedSince == nil { outputBlockedSince = now }
    }

    /// Applies deadlines: handshake + connect, then idle reads, and output that does not drain.
    public mutating func tick(now: RTMPInstant) -> [RTMPAction] {
        var actions = RTMPActionList()
        let stall = configuration.limits.outputStallMilliseconds
        if !isClosed, let since = outputBlockedSince, now.milliseconds - since.milliseconds >= stall {
            close(.peerNotReading(milliseconds: stall), into: &actions)
            return actions.actions
        }
        switch phase {
        case .closed:
            break
        case .handshake, .awaitingConnect:
            if now >= connectDeadline {
                close(.connectTimeout(milliseconds: configuration.limits.connectDeadlineMilliseconds), into: &actions)
            }
        case .connected, .publishPending, .publishing:
            let idle = configuration.limits.idleTimeoutMilliseconds
            if case .connected = phase, now >= publishDeadline {
                close(.noPublish(milliseconds: configuration.limits.publishDeadlineMilliseconds), into: &actions)
            } else if now.milliseconds - lastReceive.milliseconds >= idle {
                close(.idleTimeout(milliseconds: idle), into: &actions)
            }
        }
        return actions.actions
    }

    // MARK: messages

    private mutating func handle(_ raw: RTMPRawMessage, into actions: inout RTMPActionList) {
        let message: RTMPMessage
        do { message = try RTMPMessage(raw, maxAMF0Depth: configuration.limits.maxAMF0Depth,
                                            maxAMF0Values: configuration.limits.maxAMF0Values) } catch {
            close(.message(error), into: &actions)
            return
        }
        if phase == .awaitingConnect {
            switch message {
            case .setChunkSize, .abort, .acknowledgement, .userControl, .windowAcknowledgementSize, .setPeerBandwidth:
                break
            case .command(let command) where command.name == "connect":
                break
            case .command(let command):
                close(.commandBeforeConnect(name: command.name), into: &actions)
                return
            default:
                close(.messageBeforeConnect(typeID: raw.typeID), into: &actions)
                return
            }
        }
        switch message {
        case .setChunkSize, .abort, .acknowledgement, .setPeerBandwidth, .ignored:
            // Chunk size and abort were applied by the decoder; we never throttle our tiny output.
            break
        case .windowAcknowledgementSize(let size):
            peerWindowSize = size
        case .userControl(.pingRequest(let timestamp)):
            guard countReply(into: &actions) else { return }
            actions.send(encode(.userControl(.pingResponse(timestamp: timestamp)), on: OutgoingChunkStream.control))
        case .userControl:
            break
        case .audio(let payload):
            handleMedia(payload, track: .audio, raw: raw, into: &actions)
        case .video(let payload):
            handleMedia(payload, track: .video, raw: raw, into: &actions)
        case .data(let values):
            handleData(values, into: &actions)
        case .command(let command):
            handleCommand(command, messageStreamID: raw.messageStreamID, into: &actions)
        }
    }

    private mutating func handleData(_ values: [AMF0Value], into actions: inout RTMPActionList) {
        guard case .publishing = phase else { return }
        var rest = values[...]
        if rest.first?.stringValue == "@setDataFrame" { rest = rest.dropFirst() }
        guard rest.first?.stringValue == "onMetaData", rest.count >= 2, let properties = rest[rest.startIndex + 1].properties
        else { return }
        actions.append(.metadata(properties))
    }

    private mutating func handleMedia(_ payload: [UInt8], track: AccessUnit.Track, raw: RTMPRawMessage,
                                      into actions: inout RTMPActionList) {
        guard case .publishing(_, let streamID) = phase, raw.messageStreamID == streamID else { return }
        let tag: FLVTag
        do {
            tag = track == .video ? try FLVTag.parseVideo(payload) : try FLVTag.parseAudio(payload)
        } catch {
            close(.media(error), into: &actions)
            return
        }
        let stamp = track == .video ? videoClock.unwrap(raw.timestamp) : audioClock.unwrap(raw.timestamp)
        let dts = stamp.milliseconds
        let unit: AccessUnit
        switch tag {
        case .avcSequenceHeader(let record):
            unit = AccessUnit(track: .video, codec: .h264, isSequenceHeader: true, isKeyframe: true,
                              dts: dts, pts: dts, discontinuity: stamp.discontinuity, payload: record)
        case let .avcNALUnits(isKeyframe, compositionTime, data):
            guard !data.isEmpty else { return }
            let offset = abs(compositionTime) <= configuration.limits.maxCompositionTimeMilliseconds ? Int64(compositionTime) : 0
            unit = AccessUnit(track: .video, codec: .h264, isSequenceHeader: false, isKeyframe: isKeyframe,
                              dts: dts, pts: dts + offset, discontinuity: stamp.discontinuity,
                              payload: data)
        case .aacSequenceHeader(let config):
            unit = AccessUnit(track: .audio, codec: .aac, isSequenceHeader: true, isKeyframe: true,
                              dts: dts, pts: dts, discontinuity: stamp.discontinuity, payload: config)
        case .aacRaw(let data):
            guard !data.isEmpty else { return }
            unit = AccessUnit(track: .audio, codec: .aac, isSequenceHeader: false, isKeyframe: true,
                              dts: dts, pts: dts, discontinuity: stamp.discontinuity, payload: data)
        case .avcEndOfSequence, .videoCommandFrame:
            return
        }
        actions.append(.media(unit))
    }

    // MARK: output helpers

    mutating func encode(_ message: RTMPMessage, on chunkStreamID: UInt32, messageStreamID: UInt32 = 0) -> [UInt8] {
        let (typeID, payload) = message.payload()
        return encoder.encode(RTMPRawMessage(chunkStreamID: chunkStreamID, timestamp: 0, typeID: typeID,
                                             messageStreamID: messageStreamID, payload: payload))
    }

    mutating func close(_ reason: RTMPCloseReason, into actions: inout RTMPActionList) {
        if case .publishing(let key, _) = phase { actions.append(.publishEnded(key: key)) }
        phase = .closed(reason)
        actions.append(.close(reason: reason))
    }

    private mutating func acknowledgeIfDue(into actions: inout RTMPActionList) {
        let consumed = handshakeByteCount + decoder.consumedByteCount
        guard peerWindowSize > 0, consumed - bytesAtLastAck >= UInt64(peerWindowSize) else { return }
        bytesAtLastAck = consumed
        // The sequence number is the byte count so far, modulo 2^32 (spec 5.4.3).
        let sequence = UInt32(truncatingIfNeeded: consumed)
        actions.send(encode(.acknowledgement(sequenceNumber: sequence), on: OutgoingChunkStream.control))
    }
}
