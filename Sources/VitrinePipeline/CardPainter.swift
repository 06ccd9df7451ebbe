// The lane's FramePainter for product cards: lends the lane's scaled yuv420p picture to
// VitrineOverlay's OverlayPainter as borrowed planes, so cards are drawn natively at each rung.
//
// VitrineMedia and VitrineOverlay each define a ColorMatrix (VitrineOverlay stays free of FFmpeg
// wrapper types so it can be tested alone); this file is where the two meet, so names are qualified.
import CFFmpeg
import VitrineHLS
import VitrineMedia
import VitrineOverlay

final class CardPainter: FramePainter {
    let overlay: OverlayPainter
    private let rendition: String
    private let tracker: CardApplyTracker?
    /// Added to a frame's time to read the cards' clock (a restarted live job process's).
    let clockOffset: Double

    /// `tracker`: told what this rendition drew, to time operators' card changes.
    init(timeline: Timeline, width: Int, height: Int, matrix: VitrineMedia.ColorMatrix,
         rendition: String = "", tracker: CardApplyTracker? = nil, clockOffset: Double = 0) {
        self.clockOffset = clockOffset
        overlay = OverlayPainter(timeline: timeline, frameWidth: width, frameHeight: height,
                                 matrix: VitrineOverlay.ColorMatrix(matrix))
        self.rendition = rendition
        self.tracker = tracker
        tracker?.register(rendition: rendition)
    }

    /// One painter per lane, all reading the same Timeline, so every rung shows a card on the
    /// same frames. The spec's size is the picture after scaling and rotation.
    static func factory(_ timeline: Timeline, tracker: CardApplyTracker? = nil) -> FramePainterFactory {
        { spec, matrix in
            CardPainter(timeline: timeline, width: spec.width, height: spec.height, matrix: matrix,
                        rendition: spec.name, tracker: tracker)
        }
    }

    func paint(_ frame: Frame, at frameSeconds: Double) throws {
        let seconds = frameSeconds + clockOffset
        // Asked once per frame: the tracker and the drawing see the same cards.
        let placed = overlay.timeline.visible(at: seconds)
        tracker?.observe(rendition: rendition, visibleIDs: Set(placed.filter { $0.alpha > 0 }.map(\.card.id)), at: seconds)
        guard frame.pixelFormat == AV_PIX_FMT_YUV420P else {
            throw TranscodeError.internalFailure("card painter needs yuv420p pictures, got \(pixelFormatName(frame.format))")
        }
        // Nothing on screen: leave the buffers alone (no copy-on-write of a shared frame).
        guard !placed.isEmpty else { return }
        try frame.makeWritable()
        guard let y = frame.plane(0), let u = frame.plane(1), let v = frame.plane(2) else {
            throw TranscodeError.internalFailure("card painter got a \(frame.width)x\(frame.height) picture without planes")
        }
        let planes = YUVPlanes(y: y, u: u, v: v, yStride: frame.linesize(0), uStride: frame.linesize(1),
                               vStride: frame.linesize(2), width: frame.width, height: frame.height)
        do {
            try overlay.paint(planes: planes, placed: placed)
        } catch {
            throw TranscodeError.internalFailure("drawing cards at \(seconds) s into a \(frame.width)x\(frame.height) picture: \(error)")
        }
    }
}

extension CardPainter {
    /// Each card state's start (its DATERANGE's START-DATE) and each card's leaving, between the
    /// two times, on the lane's clock (the cards' clock less the offset).
    func timedMetadata(from: Double, until: Double) -> [TimedMetadataEvent] {
        let timeline = overlay.timeline
        let origin = timeline.validator.wallClockOrigin
        let (low, high) = (from + clockOffset, until + clockOffset)
        var events: [TimedMetadataEvent] = []
        for resolved in timeline.allCards {
            let phases = CardAnnouncement.phases(of: resolved.card, origin: origin)
            for phase in phases where phase.start >= low && phase.start < high {
                events.append(TimedMetadataEvent(seconds: phase.start - clockOffset, text: phase.payload()))
            }
            if let last = phases.last, let end = last.end, end >= low, end < high {
                events.append(TimedMetadataEvent(seconds: end - clockOffset, text: last.payload(state: "hidden")))
            }
        }
        return events
    }
}

extension VitrineOverlay.ColorMatrix {
    /// The overlay's coefficients for the matrix the encoder tags its output with.
    init(_ matrix: VitrineMedia.ColorMatrix) {
        switch matrix {
        case .bt601: self = .bt601
        case .bt709: self = .bt709
        }
    }
}
