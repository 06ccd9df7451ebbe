// `vitrine job-process` for a live publish: the media work of one publish (LiveJob: decode once,
// the lanes, cards, segments and playlists on disk, as serve ran it in-process before), fed with
// the access units its supervisor forwards. Every HLS file it writes also goes to the supervisor,
// which serves it from memory. A crash here loses this process only: the supervisor starts
// another from the next keyframe, which continues the playlists after a discontinuity.
import Foundation
import Logging
import VitrineOverlay
import VitrinePipeline
import VitrineRTMP

enum LiveJobChild {
    static func run(_ order: LiveJobOrder, reader: FrameReader, writer: FrameWriter, logger: Logger,
                    environment: [String: String]) -> Int32 {
        var logger = logger
        logger[metadataKey: "job"] = "\(order.jobID)"
        ChildConfinement.live(order, environment: environment, logger: logger)
        let memory = LiveHLSMemory(forwardingTo: { change in try? writer.write(JobFrame.encode(change)) })
        let job: LiveJob
        do {
            var settings = try order.settings(memory: memory)
            let cards = try order.startingCards(&settings, logger: logger)
            let stream = LiveStream(playbackID: order.playbackID, settings: settings, ladder: order.fixedLadder, logger: logger)
            stream.ladderObserver = { ladder in try? writer.encode(FromJob.ladderFixed(ladder)) }
            job = stream.startJobHere(id: order.jobID, connectionID: order.connectionID, initialCards: cards,
                                      startedAt: order.startedAt, cardClockStart: order.cardClockStart)
            if let state = order.cardsState { job.cards.restore(state) }
        } catch {
            let failure = error as? TranscodeError ?? .internalFailure("\(error)")
            try? writer.encode(FromJob.failed(JobFailureReport(failure)))
            return failure.exitCode
        }
        try? writer.encode(FromJob.started(version: JobProtocol.version, pid: getpid()))
        job.onCardApplied = { milliseconds in try? writer.encode(FromJob.cardApplied(milliseconds: milliseconds)) }
        job.onFailure = { _, why in
            // Told once, then the supervisor ends the publish; nothing more to do here.
            try? writer.encode(FromJob.failed(JobFailureReport(.internalFailure(why))))
            exit(70)
        }
        if let rate = order.frameRate { job.metadata([AMF0Property("framerate", .number(rate))]) }
        let figures = reportFigures(of: job, writer: writer, fault: TestFault(environment: environment, input: "rtmp/\(order.playbackID)"),
                                    hostile: HostileChildHook(environment: environment, playbackID: order.playbackID,
                                                              dataDirectory: order.dataDirectory))

        while true {
            let frame: JobFrame
            do {
                guard let data = try reader.next() else { break }
                frame = try JobFrame.parse(data)
            } catch {
                logger.error("unreadable frame from the supervisor: \(error)")
                break
            }
            switch frame {
            case let .accessUnit(unit, arrival):
                job.enqueue(unit, arrival: arrival)
            case let .message(data):
                guard let message = try? JSONDecoder().decode(ToJob.self, from: data) else { continue }
                switch message {
                case let .card(request):
                    let reply = request.perform(on: job.cards)
                    try? writer.encode(FromJob.cardReply(reply))
                    if reply.error == nil, request.operation != .list {
                        try? writer.encode(FromJob.cardsState(job.cards.state()))
                    }
                case let .frameRate(rate):
                    job.metadata([AMF0Property("framerate", .number(rate))])
                case let .stop(reason, _):
                    job.end(reason: reason)
                    job.finished.wait()
                    figures.cancel()
                    // The last figures, flush included, before the end.
                    try? writer.encode(FromJob.liveProgress(currentFigures(job)))
                    try? writer.encode(FromJob.liveFinished)
                    return 0
                case .start, .startLive:
                    logger.warning("a second start message is ignored")
                }
            case .hls:
                logger.warning("an HLS frame from the supervisor is ignored")
            }
        }
        // The supervisor is gone: flush what there is, nobody will restart us.
        job.end(reason: "the supervisor closed the job channel")
        job.finished.wait()
        return 0
    }

    private static func currentFigures(_ job: LiveJob) -> LiveJobFigures {
        LiveJobFigures(framesIn: job.framesIn, handledUnits: job.handledUnits, droppedUnits: job.droppedUnits,
                       droppedGOPs: job.droppedGOPs, renditions: job.renditionProgress(), cardClockStart: job.cardClockStart)
    }

    /// The job's figures to the supervisor twice a second (and the test hooks' trigger).
    private static func reportFigures(of job: LiveJob, writer: FrameWriter, fault: TestFault?, hostile: HostileChildHook?) -> DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "vitrine.job.figures"))
        timer.schedule(deadline: .now() + 0.5, repeating: 0.5)
        timer.setEventHandler {
            let figures = currentFigures(job)
            try? writer.encode(FromJob.liveProgress(figures))
            fault?.strikeIfDue(framesEncoded: figures.framesIn)
            hostile?.strikeIfOrdered(writer: writer)
        }
        timer.resume()
        return timer
    }
}
