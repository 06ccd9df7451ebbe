// RTMPChannelHandler: SwiftNIO glue for one connection. It feeds received bytes to RTMPSession
// (which implements Adobe RTMP spec 1.0 sections 5-7) and carries out the returned actions; it
// makes no protocol decisions of its own beyond asking the delegate about publish requests.

import Logging
import NIOCore

final class RTMPChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let connectionID: UInt64
    private let configuration: RTMPSessionConfiguration
    private let registry: RTMPPublishRegistry
    private let delegate: RTMPPublishDelegate
    private let tickIntervalMilliseconds: Int64
    private var logger: Logger
    private var session: RTMPSession?
    private var publication: RTMPPublication?
    private var tickTask: RepeatedTask?
    private var lastWrite: EventLoopFuture<Void>?

    init(connectionID: UInt64, configuration: RTMPSessionConfiguration, registry: RTMPPublishRegistry,
         delegate: RTMPPublishDelegate, tickIntervalMilliseconds: Int64, logger: Logger) {
        self.connectionID = connectionID
        self.configuration = configuration
        self.registry = registry
        self.delegate = delegate
        self.tickIntervalMilliseconds = tickIntervalMilliseconds
        self.logger = logger
        self.logger[metadataKey: "rtmp.connection"] = "\(connectionID)"
    }

    /// How long a closing connection waits for its last message to leave.
    static let finalWriteGrace = TimeAmount.seconds(2)

    static func now() -> RTMPInstant {
        RTMPInstant(milliseconds: Int64(NIODeadline.now().uptimeNanoseconds / 1_000_000))
    }

    func channelActive(context: ChannelHandlerContext) {
        session = RTMPSession(configuration: configuration, now: Self.now())
        logger.debug("rtmp connection accepted", metadata: ["peer": "\(context.remoteAddress.map { "\($0)" } ?? "?")"])
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let interval = TimeAmount.milliseconds(tickIntervalMilliseconds)
        tickTask = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            let (handler, context) = bound.value
            guard var session = handler.session else { return }
            let actions = session.tick(now: Self.now())
            handler.session = session
            handler.perform(actions, context: context)
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        guard var session, let bytes = buffer.readBytes(length: buffer.readableBytes) else { return }
        let actions = session.receive(bytes, now: Self.now())
        self.session = session
        perform(actions, context: context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    /// Backpressure: while our output sits past the high water mark, read nothing more from the
    /// peer (every reply comes from something read), and let the session close a peer that
    /// stays that way past the stall limit.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        let writable = context.channel.isWritable
        session?.outputWritable(writable, now: Self.now())
        // Turning autoRead back on issues the next read itself.
        context.channel.setOption(ChannelOptions.autoRead, value: writable).whenFailure { _ in }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        tickTask?.cancel()
        tickTask = nil
        endPublication(reason: session?.closeReason?.description ?? "peer closed the connection")
        session = nil
        context.fireChannelInactive()
    }

    /// RTMPServer.failPublish: the owner's job for this publish failed.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let failure = event as? RTMPPublishFailure, var session else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        let actions = session.failPublish(failure.reason)
        self.session = session
        perform(actions, context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        logger.info("rtmp connection error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    private func perform(_ actions: [RTMPAction], context: ChannelHandlerContext) {
        for action in actions {
            switch action {
            case .send(let bytes):
                lastWrite = context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)))
            case .connected(let app):
                logger.debug("rtmp connect", metadata: ["app": "\(app)"])
            case .publishRequested(let app, let key):
                decidePublish(RTMPPublication(connectionID: connectionID, app: app, key: key), context: context)
            case .metadata(let properties):
                if let publication { delegate.rtmpPublication(publication, didReceiveMetadata: properties) }
            case .media(let unit):
                if let publication { delegate.rtmpPublication(publication, didReceive: unit) }
            case .publishEnded:
                endPublication(reason: "unpublished")
            case .close(let reason):
                logger.info("rtmp connection closed", metadata: ["reason": "\(reason)"])
                endPublication(reason: reason.description)
                context.flush()
                // Let the final status message reach the client before the socket goes, but
                // not wait on a peer that takes nothing (a zero window would hold it open).
                let peerTakesNothing = if case .peerNotReading = reason { true } else { false }
                if let lastWrite, !peerTakesNothing {
                    let channel = context.channel
                    lastWrite.whenComplete { _ in channel.close(promise: nil) }
                    context.eventLoop.scheduleTask(in: Self.finalWriteGrace) { channel.close(promise: nil) }
                } else {
                    context.close(promise: nil)
                }
            }
        }
    }

    private func decidePublish(_ candidate: RTMPPublication, context: ChannelHandlerContext) {
        var decision: RTMPPublishDecision = .reject(.alreadyPublishing)
        if registry.claim(candidate) {
            decision = delegate.rtmpShouldAcceptPublish(candidate)
            if decision != .accept { registry.release(candidate) }
        }
        guard var session else { return }
        let actions: [RTMPAction]
        switch decision {
        case .accept:
            publication = candidate
            actions = session.acceptPublish()
            logger.info("rtmp publish started", metadata: ["stream": "\(candidate)"])
        case .reject(let rejection):
            actions = session.rejectPublish(rejection)
        }
        self.session = session
        if decision == .accept { delegate.rtmpPublishDidStart(candidate) }
        perform(actions, context: context)
    }

    private func endPublication(reason: String) {
        guard let ended = publication else { return }
        publication = nil
        registry.release(ended)
        logger.info("rtmp publish ended", metadata: ["stream": "\(ended)", "reason": "\(reason)"])
        delegate.rtmpPublishDidEnd(ended, reason: reason)
    }
}
