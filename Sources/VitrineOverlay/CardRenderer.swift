// CardRenderer.swift - draws a card natively at one output frame size with Pango + Cairo, into
// premultiplied BGRA. Layout first (measure every text, decide the card height), then draw.
//
// One renderer per lane: it owns a Pango font map and context, which are not thread-safe.

import CPangoCairo

/// Draws ResolvedCards for any frame size. Not thread-safe; use one per lane.
public final class CardRenderer {
    private let fonts = PangoFonts()
    static let soldOutText = "SOLD OUT"
    static let soldOutColor = RGBAColor(red: 0xD3, green: 0x2F, blue: 0x2F, alpha: 0xF0)

    public init() {
        // Fixed font options so renders do not depend on the machine's fontconfig hinting defaults.
        let options = cairo_font_options_create()
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_SLIGHT)
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        pango_cairo_context_set_font_options(fonts.context, options)
        cairo_font_options_destroy(options)
    }

    /// Renders `card` for a `frameWidth` x `frameHeight` frame. Countdowns show `countdownSeconds`.
    public func render(_ card: ResolvedCard, frameWidth: Int, frameHeight: Int,
                       countdownSeconds: Int = 0) throws(RenderError) -> RenderedCard {
        var phase = CardPhase.of(card.card, at: card.card.start, origin: nil)
        phase.countdownSeconds = countdownSeconds
        return try render(card, frameWidth: frameWidth, frameHeight: frameHeight, phase: phase)
    }

    /// Renders `card` in `phase` (countdown digits, state, poll bars, ticker line: CardPhase.of).
    public func render(_ card: ResolvedCard, frameWidth: Int, frameHeight: Int,
                       phase: CardPhase) throws(RenderError) -> RenderedCard {
        guard frameWidth >= 16, frameHeight >= 16, frameWidth <= 8192, frameHeight <= 8192 else {
            throw .invalidFrameSize(width: frameWidth, height: frameHeight)
        }
        let metrics = CardMetrics(frameWidth: frameWidth, frameHeight: frameHeight)
        var layout = CardLayout(card: card, metrics: metrics, fonts: fonts)
        switch card.card.content {
        case let .productCard(content): layout.productCard(content)
        case let .priceTag(content): layout.priceTag(content)
        case let .countdown(content): layout.countdown(content, seconds: phase.countdownSeconds ?? 0)
        case let .banner(content): layout.banner(content)
        case let .poll(content): layout.poll(content, barStep: phase.barStep)
        case let .question(content): layout.question(content)
        case let .socialProof(content): layout.socialProof(content, eventIndex: phase.eventIndex)
        case let .giveaway(content): layout.giveaway(content, phase: phase)
        case let .flashOffer(content): layout.flashOffer(content, phase: phase)
        }
        layout.stockLine()
        let height = (Int(layout.cursorY + metrics.padding) + 1) & ~1
        let width = layout.width

        let canvas = try CairoCanvas(width: width, height: height)
        let theme = card.card.theme
        let radius = theme.cornerRadius * Double(height)
        canvas.roundedRect(x: 0, y: 0, width: Double(width), height: Double(height), radius: radius)
        canvas.setColor(theme.background)
        cairo_fill_preserve(canvas.cr)
        // Everything else stays inside the rounded shape (banner bar, stamp).
        cairo_clip(canvas.cr)
        for op in layout.ops { try draw(op, on: canvas) }
        if card.card.soldOut { layout.diagnostics.unknownGlyphs += stampSoldOut(on: canvas, radius: radius, family: theme.font) }

        let origin = metrics.origin(card.card.position, width: width, height: height)
        return RenderedCard(width: width, height: height, pixels: try canvas.pixels(), x: origin.x, y: origin.y,
                            frameWidth: frameWidth, frameHeight: frameHeight, diagnostics: layout.diagnostics)
    }

    private func draw(_ op: DrawOp, on canvas: CairoCanvas) throws(RenderError) {
        switch op {
        case let .text(block, x, y, color, strike):
            block.draw(on: canvas, x: x, y: y, color: color)
            if strike {
                let size = block.size
                cairo_set_line_width(canvas.cr, max(1.5, Double(size.height) / 14))
                cairo_move_to(canvas.cr, x, y + Double(size.height) * 0.55)
                cairo_line_to(canvas.cr, x + Double(size.width), y + Double(size.height) * 0.55)
                cairo_stroke(canvas.cr)
            }
        case let .box(x, y, w, h, radius, color):
            canvas.roundedRect(x: x, y: y, width: w, height: h, radius: radius)
            canvas.setColor(color)
            cairo_fill(canvas.cr)
        case let .image(image, x, y, side, radius):
            try canvas.draw(image, x: x, y: y, side: side, radius: radius)
        }
    }

    /// Dims the card and stamps a tilted "SOLD OUT" across it; returns its unknown glyph count.
    private func stampSoldOut(on canvas: CairoCanvas, radius: Double, family: String) -> Int {
        let w = Double(canvas.width), h = Double(canvas.height)
        canvas.roundedRect(x: 0, y: 0, width: w, height: h, radius: radius)
        canvas.setColor(RGBAColor(red: 0, green: 0, blue: 0, alpha: 0x73))
        cairo_fill(canvas.cr)

        // Measure at 100 px, then scale so the stamp spans ~70% of the card width and fits its height.
        let probe = TextBlock(Self.soldOutText, fonts: fonts, family: family, pixelSize: 100, bold: true)
        let probeSize = probe.size
        let size = max(8, min(100 * 0.7 * w / Double(max(1, probeSize.width)), 100 * 0.45 * h / Double(max(1, probeSize.height))))
        let text = TextBlock(Self.soldOutText, fonts: fonts, family: family, pixelSize: size, bold: true)
        let textSize = text.size
        let padX = size * 0.35, padY = size * 0.12
        let boxW = Double(textSize.width) + 2 * padX, boxH = Double(textSize.height) + 2 * padY
        cairo_save(canvas.cr)
        cairo_translate(canvas.cr, w / 2, h / 2)
        cairo_rotate(canvas.cr, -10 * Double.pi / 180)
        canvas.roundedRect(x: -boxW / 2, y: -boxH / 2, width: boxW, height: boxH, radius: boxH * 0.15)
        canvas.setColor(Self.soldOutColor)
        cairo_fill(canvas.cr)
        text.draw(on: canvas, x: -Double(textSize.width) / 2, y: -Double(textSize.height) / 2,
                  color: RGBAColor(red: 255, green: 255, blue: 255))
        cairo_restore(canvas.cr)
        return text.unknownGlyphs
    }
}

/// One drawing step, positioned in card pixels.
enum DrawOp {
    case text(TextBlock, x: Double, y: Double, color: RGBAColor, strike: Bool)
    case box(x: Double, y: Double, width: Double, height: Double, radius: Double, color: RGBAColor)
    case image(ProductImage, x: Double, y: Double, side: Double, radius: Double)
}
