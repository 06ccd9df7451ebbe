// OverlayPainter.swift - the one call a transcoding lane makes per frame: asks the shared Timeline
// what is on screen, renders (or reuses) each card at this rung's size and blends it in.
//
// One painter per lane; lanes run on their own serial queues, so a painter is never used from two
// threads at once. The Timeline is the shared, locked part.

/// Paints overlay cards into the frames of one rendition (one frame size).
public final class OverlayPainter {
    public let timeline: Timeline
    public let frameWidth: Int
    public let frameHeight: Int
    public let matrix: ColorMatrix
    private let renderer = CardRenderer()
    private let cache = RenderCache()

    /// `matrix` defaults to BT.709 for height >= 720 and BT.601 below.
    public init(timeline: Timeline, frameWidth: Int, frameHeight: Int, matrix: ColorMatrix? = nil) {
        self.timeline = timeline
        self.frameWidth = frameWidth
        self.frameHeight = frameHeight
        self.matrix = matrix ?? .forFrame(height: frameHeight)
    }

    /// Draws every card visible at `seconds` (the frame's PTS on the job timeline) into `planes`.
    /// Returns how many cards were drawn.
    @discardableResult
    public func paint(planes: YUVPlanes, at seconds: Double) throws(RenderError) -> Int {
        try paint(planes: planes, placed: timeline.visible(at: seconds))
    }

    /// Draws `placed` (what `timeline.visible(at:)` gave for this frame), for a caller that
    /// already asked the Timeline. Returns how many cards were drawn.
    @discardableResult
    public func paint(planes: YUVPlanes, placed cards: [PlacedCard]) throws(RenderError) -> Int {
        guard planes.width == frameWidth, planes.height == frameHeight else {
            throw .frameSizeMismatch(expected: "\(frameWidth)x\(frameHeight)", got: "\(planes.width)x\(planes.height)")
        }
        defer { cache.endFrame() }
        var drawn = 0
        for placed in cards where placed.alpha > 0 {
            let rendered = try render(placed)
            let offset = placed.slide.pixels(frameWidth: frameWidth, frameHeight: frameHeight,
                                             cardWidth: rendered.width, cardHeight: rendered.height)
            Compositor.blend(rendered.prepared(for: matrix), into: planes, alpha: Float(placed.alpha),
                             offsetX: offset.x, offsetY: offset.y)
            drawn += 1
        }
        return drawn
    }

    /// The card as drawn at this rung, from the cache when possible.
    public func render(_ placed: PlacedCard) throws(RenderError) -> RenderedCard {
        let key = RenderKey(card: placed.card, frameWidth: frameWidth, frameHeight: frameHeight,
                            countdownSeconds: placed.countdownSeconds)
        return try cache.card(for: key) { () throws(RenderError) -> RenderedCard in
            try renderer.render(placed.card, frameWidth: frameWidth, frameHeight: frameHeight,
                                countdownSeconds: placed.countdownSeconds ?? 0)
        }
    }

    /// Renders done so far (cache misses); lets tests and metrics see that repeats are free.
    public var renderCount: Int { cache.renders }
}
