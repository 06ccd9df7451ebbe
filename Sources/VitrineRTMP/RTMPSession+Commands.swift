// RTMPSession+Commands: the command exchange of a publisher, Adobe RTMP spec 1.0 sections 7.2.1
// (connect, createStream, deleteStream) and 7.2.2 (publish, onStatus), plus releaseStream,
// FCPublish and FCUnpublish that FFmpeg, OBS and librtmp send around publish. The replies are
// those these clients wait for before they send media.

extension RTMPSession {
    mutating func handleCommand(_ command: RTMPCommand, messageStreamID: UInt32, into actions: inout RTMPActionList) {
        switch command.name {
        case "connect":
            handleConnect(command, into: &actions)
        case "releaseStream":
            if command.transactionID != 0 { reply(RTMPReplies.emptyResult(transactionID: command.transactionID), into: &actions) }
        case "FCPublish":
            let key = command.firstStringArgument.flatMap { try? StreamKey($0, maxLength: configuration.limits.maxNameLength) }
            reply(RTMPReplies.onFCPublish(key: key?.value ?? ""), into: &actions)
        case "createStream":
            guard UInt32(createdStreams.count) < configuration.maxStreamsPerConnection,
                  nextStreamID <= configuration.maxStreamsPerConnection else {
                close(.tooManyStreams(limit: configuration.maxStreamsPerConnection), into: &actions)
                return
            }
            let id = nextStreamID
            nextStreamID += 1
            createdStreams.insert(id)
            reply(RTMPReplies.createStreamResult(transactionID: command.transactionID, streamID: id), into: &actions)
        case "publish":
            handlePublish(command, messageStreamID: messageStreamID, into: &actions)
        case "FCUnpublish":
            endPublication(into: &actions)
        case "deleteStream", "closeStream":
            let id = command.arguments.first?.numberValue.map { UInt32(exactly: $0) ?? 0 } ?? messageStreamID
            if case .publishing(_, let current) = phase, current == id || command.name == "closeStream" {
                endPublication(into: &actions)
            }
            createdStreams.remove(id)
        case "play", "play2":
            sendStatus(level: "error", code: "NetStream.Play.Failed", description: "playback is not supported",
                       streamID: messageStreamID, into: &actions)
            close(.playNotSupported, into: &actions)
        case "_result", "_error", "onBWDone", "_checkbw", "@setDataFrame":
            // Answers to nothing we asked, or bandwidth probes: nothing to do.
            break
        default:
            if command.transactionID != 0 {
                reply(RTMPReplies.errorResult(transactionID: command.transactionID, description: "unsupported command"),
                      into: &actions)
            }
        }
    }

    // MARK: connect

    private mutating func handleConnect(_ command: RTMPCommand, into actions: inout RTMPActionList) {
        guard phase == .awaitingConnect else {
            close(.duplicateConnect, into: &actions)
            return
        }
        let appName = command.commandObject["app"]?.stringValue ?? ""
        // Some clients append a trailing slash to the app ("live/"); it names the same app.
        let trimmed = appName.hasSuffix("/") ? String(appName.dropLast()) : appName
        let app: StreamKey
        do { app = try StreamKey(trimmed, maxLength: configuration.limits.maxNameLength) } catch {
            reply(RTMPReplies.connectRejected(transactionID: command.transactionID, description: "invalid app name"),
                  into: &actions)
            close(.invalidApp(error), into: &actions)
            return
        }
        if let allowed = configuration.applications, !allowed.contains(app.value) {
            reply(RTMPReplies.connectRejected(transactionID: command.transactionID, description: "unknown app"),
                  into: &actions)
            close(.unknownApp(app.value), into: &actions)
            return
        }
        self.setApp(app)
        phase = .connected
        let control = OutgoingChunkStream.control
        actions.send(encode(.windowAcknowledgementSize(configuration.windowAcknowledgementSize), on: control))
        actions.send(encode(.setPeerBandwidth(size: configuration.peerBandwidth, limit: .dynamic), on: control))
        actions.send(encode(.setChunkSize(UInt32(configuration.outgoingChunkSize)), on: control))
        encoder.setChunkSize(configuration.outgoingChunkSize)
        reply(RTMPReplies.connectResult(transactionID: command.transactionID), into: &actions)
        actions.append(.connected(app: app))
    }

    // MARK: publish

    private mutating func handlePublish(_ command: RTMPCommand, messageStreamID: UInt32, into actions: inout RTMPActionList) {
        switch phase {
        case .publishPending(let key, _), .publishing(let key, _):
            sendStatus(level: "error", code: "NetStream.Publish.BadConnection",
                       description: "already publishing on this connection", streamID: messageStreamID, into: &actions)
            close(.duplicatePublish(key: key.value), into: &actions)
            return
        default:
            break
        }
        guard createdStreams.contains(messageStreamID) else {
            close(.publishOnUnknownStream(streamID: messageStreamID), into: &actions)
            return
        }
        let key: StreamKey
        do { key = try StreamKey(command.firstStringArgument ?? "", maxLength: configuration.limits.maxNameLength) } catch {
            sendStatus(level: "error", code: "NetStream.Publish.BadName", description: "invalid stream key",
                       streamID: messageStreamID, into: &actions)
            close(.invalidStreamKey(error), into: &actions)
            return
        }
        phase = .publishPending(key: key, streamID: messageStreamID)
        actions.append(.publishRequested(app: app!, key: key))
    }

    /// Accepts the pending publish: StreamBegin, then onStatus NetStream.Publish.Start.
    public mutating func acceptPublish() -> [RTMPAction] {
        guard case .publishPending(let key, let streamID) = phase else { return [] }
        var actions = RTMPActionList()
        phase = .publishing(key: key, streamID: streamID)
        actions.send(encode(.userControl(.streamBegin(streamID: streamID)), on: OutgoingChunkStream.control))
        sendStatus(level: "status", code: "NetStream.Publish.Start", description: "\(key.value) is now published",
                   streamID: streamID, into: &actions)
        processBufferedMessages(into: &actions)
        return actions.actions
    }

    /// Refuses the pending publish with the onStatus error the reason maps to, then closes.
    public mutating func rejectPublish(_ rejection: PublishRejection) -> [RTMPAction] {
        guard case .publishPending(let key, let streamID) = phase else { return [] }
        var actions = RTMPActionList()
        let code = rejection == .unknownKey ? "NetStream.Publish.BadName" : "NetStream.Publish.BadConnection"
        sendStatus(level: "error", code: code, description: rejection.description, streamID: streamID, into: &actions)
        close(.publishRejected(key: key.value, rejection), into: &actions)
        return actions.actions
    }

    /// The server can no longer take this publish (its job failed): onStatus NetStream.Failed with
    /// the reason, so the publisher sees why, then the connection closes. Nothing while not publishing.
    public mutating func failPublish(_ why: String) -> [RTMPAction] {
        guard case .publishing(_, let streamID) = phase else { return [] }
        var actions = RTMPActionList()
        sendStatus(level: "error", code: "NetStream.Failed", description: String(why.prefix(200)), streamID: streamID, into: &actions)
        close(.jobFailed(why), into: &actions)
        return actions.actions
    }

    private mutating func endPublication(into actions: inout RTMPActionList) {
        switch phase {
        case .publishing(let key, _):
            actions.append(.publishEnded(key: key))
            phase = .connected
        case .publishPending:
            phase = .connected
        default:
            break
        }
    }

    // MARK: replies

    private mutating func reply(_ command: RTMPCommand, into actions: inout RTMPActionList) {
        guard countReply(into: &actions) else { return }
        actions.send(encode(.command(command), on: OutgoingChunkStream.command))
    }

    /// Counts a reply a peer asked for; before the publish, past the budget, closes instead.
    mutating func countReply(into actions: inout RTMPActionList) -> Bool {
        if case .publishing = phase { return true }
        repliesBeforePublish += 1
        guard repliesBeforePublish <= configuration.limits.maxRepliesBeforePublish else {
            close(.tooManyReplies(limit: configuration.limits.maxRepliesBeforePublish), into: &actions)
            return false
        }
        return true
    }

    private mutating func sendStatus(level: String, code: String, description: String, streamID: UInt32,
                                     into actions: inout RTMPActionList) {
        let status = RTMPReplies.onStatus(level: level, code: code, description: description)
        actions.send(encode(.command(status), on: OutgoingChunkStream.streamStatus, messageStreamID: streamID))
    }
}
