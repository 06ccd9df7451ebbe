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
        let shown = cards.filter { $0.alpha > 0 }
        let rendered = try shown.map { placed throws(RenderError) in try render(placed) }
        let shifts = stackingShifts(shown, rendered)
        for (index, placed) in shown.enumerated() {
            let card = rendered[index]
            let offset = placed.slide.pixels(frameWidth: frameWidth, frameHeight: frameHeight,
                                             cardWidth: card.width, cardHeight: card.height)
            Compositor.blend(card.prepared(for: matrix), into: planes, alpha: Float(placed.alpha),
                             offsetX: offset.x, offsetY: offset.y + shifts[index])
        }
        return shown.count
    }

    /// Where each card goes (a vertical shift from its resting place) so that none overlaps
    /// another: CardStacking. Slides are added after, from the stacked place.
    public func stackingShifts(_ placed: [PlacedCard], _ rendered: [RenderedCard]) -> [Int] {
        let boxes = zip(placed, rendered).map { placed, card in
            (box: CardBox(x: card.x, y: card.y, width: card.width, height: card.height), anchor: placed.card.card.position.anchor)
        }
        let gap = max(4, Int((Double(min(frameWidth, frameHeight)) * 0.012).rounded())) & ~1
        let result = CardStacking.shifts(for: boxes, frameHeight: frameHeight, gap: gap)
        lastOverlaps = result.overlaps
        return result.shifts
    }

    /// Cards the last frame could not keep apart (the frame had no room left): 0 normally.
    public private(set) var lastOverlaps = 0

    /// The card as drawn at this rung, from the cache when possible.
    public func render(_ placed: PlacedCard) throws(RenderError) -> RenderedCard {
        let key = RenderKey(card: placed.card, frameWidth: frameWidth, frameHeight: frameHeight, phase: placed.phase)
        return try cache.card(for: key) { () throws(RenderError) -> RenderedCard in
            try renderer.render(placed.card, frameWidth: frameWidth, frameHeight: frameHeight, phase: placed.phase)
        }
    }

    /// Renders done so far (cache misses); lets tests and metrics see that repeats are free.
    public var renderCount: Int { cache.renders }
}
