// CardLayout.swift - measures a card's texts and places them, top to bottom, for each kind.
// Produces drawing steps and the card height; CardRenderer does the drawing.

/// Layout state for one card render: a cursor moving down and the steps placed so far.
struct CardLayout {
    let card: ResolvedCard
    let metrics: CardMetrics
    let fonts: PangoFonts
    let width: Int
    var cursorY: Double
    var ops: [DrawOp] = []
    var diagnostics = RenderDiagnostics()

    init(card: ResolvedCard, metrics: CardMetrics, fonts: PangoFonts) {
        self.card = card
        self.metrics = metrics
        self.fonts = fonts
        width = metrics.cardWidth(card.card.position)
        cursorY = metrics.padding
    }

    var theme: CardTheme { card.card.theme }
    var innerWidth: Double { Double(width) - 2 * metrics.padding }

    /// Makes a text block and records its glyph coverage and ellipsizing.
    mutating func text(_ string: String, size: Double, bold: Bool = false, maxWidth: Double? = nil,
                               maxLines: Int = 1) -> TextBlock {
        let block = TextBlock(string, fonts: fonts, family: theme.font, pixelSize: size, bold: bold,
                              maxWidth: maxWidth.map { Int($0) }, maxLines: maxLines)
        diagnostics.unknownGlyphs += block.unknownGlyphs
        diagnostics.ellipsized = diagnostics.ellipsized || block.isEllipsized
        return block
    }

    /// A price never gets ellipsized if it can be avoided: shrink it (down to 60%) to fit first.
    mutating func price(_ string: String, maxWidth: Double) -> TextBlock {
        let natural = TextBlock(string, fonts: fonts, family: theme.font, pixelSize: metrics.priceSize, bold: true)
        var size = metrics.priceSize
        // Pango widths are whole pixels: leave a little room so the shrunk text really fits.
        let room = maxWidth.rounded(.down) - 2
        if Double(natural.size.width) > room {
            size = max(metrics.priceSize * 0.6, metrics.priceSize * room / Double(natural.size.width) * 0.98)
        }
        let block = text(string, size: size, bold: true, maxWidth: maxWidth)
        diagnostics.priceHeight = block.size.height
        diagnostics.priceFontSize = size
        return block
    }

    /// An accent "pill" with a short label (badges, discount).
    mutating func pill(_ label: String, x: Double, y: Double, maxWidth: Double) -> (width: Double, height: Double) {
        let padX = metrics.smallSize * 0.45, padY = metrics.smallSize * 0.15
        let block = text(label, size: metrics.smallSize, bold: true, maxWidth: max(1, maxWidth - 2 * padX))
        let size = block.size
        let w = Double(size.width) + 2 * padX, h = Double(size.height) + 2 * padY
        ops.append(.box(x: x, y: y, width: w, height: h, radius: h * 0.3, color: theme.accent))
        ops.append(.text(block, x: x + padX, y: y + padY, color: theme.text, strike: false))
        return (w, h)
    }

    /// Image on the left, badge + title + subtitle beside it, then the price row across the card.
    mutating func productCard(_ content: ProductCardContent) {
        let pad = metrics.padding
        let side = card.image == nil ? 0 : (innerWidth * 0.34).rounded()
        let textX = pad + (side > 0 ? side + pad : 0)
        let textWidth = Double(width) - textX - pad
        if let image = card.image {
            ops.append(.image(image, x: pad, y: cursorY, side: side, radius: pad / 2))
        }
        var columnY = cursorY
        if let badge = content.badge ?? card.prices?.discount {
            columnY += pill(badge, x: textX, y: columnY, maxWidth: textWidth).height + metrics.gap
        }
        let title = text(content.title, size: metrics.titleSize, bold: true, maxWidth: textWidth, maxLines: 2)
        ops.append(.text(title, x: textX, y: columnY, color: theme.text, strike: false))
        diagnostics.titleWidth = title.size.width
        diagnostics.titleBoxWidth = Int(textWidth)
        columnY += Double(title.size.height)
        if let subtitle = content.subtitle {
            if metrics.showsSubtitle {
                let block = text(subtitle, size: metrics.subtitleSize, maxWidth: textWidth)
                columnY += metrics.gap / 2
                ops.append(.text(block, x: textX, y: columnY, color: faded(theme.text, 0.8), strike: false))
                columnY += Double(block.size.height)
            } else {
                diagnostics.droppedSubtitle = true
            }
        }
        cursorY = max(cursorY + side, columnY) + metrics.gap
        priceRow()
    }

    /// Big price across the card; below it the struck-out old price with the discount pill beside it.
    mutating func priceTag(_ content: PriceTagContent) {
        guard let prices = card.prices else { return }
        let pad = metrics.padding
        let block = price(prices.price, maxWidth: innerWidth)
        ops.append(.text(block, x: pad, y: cursorY, color: theme.text, strike: false))
        cursorY += Double(block.size.height)
        var x = pad
        var rowHeight = 0.0
        if let old = prices.compareAt {
            let oldBlock = text(old, size: metrics.compareSize, maxWidth: innerWidth * 0.6)
            ops.append(.text(oldBlock, x: x, y: cursorY, color: faded(theme.text, 0.65), strike: true))
            x += Double(oldBlock.size.width) + metrics.gap * 1.5
            rowHeight = Double(oldBlock.size.height)
        }
        if let badge = content.badge ?? prices.discount {
            let pillHeight = pill(badge, x: x, y: cursorY, maxWidth: Double(width) - pad - x).height
            rowHeight = max(rowHeight, pillHeight)
        }
        cursorY += rowHeight
    }

    /// "Flash sale ends in 02:13": the label, then the time in the accent colour.
    mutating func countdown(_ content: CountdownContent, seconds: Int) {
        let time = text(CountdownClock.text(seconds: seconds), size: metrics.lineSize, bold: true)
        let space = metrics.lineSize * 0.3
        let labelWidth = innerWidth - Double(time.size.width) - space
        let label = text(content.label, size: metrics.lineSize, maxWidth: max(1, labelWidth))
        ops.append(.text(label, x: metrics.padding, y: cursorY, color: theme.text, strike: false))
        ops.append(.text(time, x: metrics.padding + Double(label.size.width) + space, y: cursorY, color: theme.accent, strike: false))
        diagnostics.titleWidth = label.size.width
        diagnostics.titleBoxWidth = Int(max(1, labelWidth))
        cursorY += Double(max(label.size.height, time.size.height))
    }

    /// One centred line (coupon codes), with an accent bar on the left edge.
    mutating func banner(_ content: BannerContent) {
        let bar = max(3, metrics.padding / 2)
        let block = text(content.text, size: metrics.lineSize, bold: true, maxWidth: innerWidth - bar)
        let x = bar + (Double(width) - bar - Double(block.size.width)) / 2
        ops.append(.box(x: 0, y: 0, width: bar, height: Double(metrics.frameHeight), radius: 0, color: theme.accent))
        ops.append(.text(block, x: x, y: cursorY, color: theme.text, strike: false))
        diagnostics.titleWidth = block.size.width
        diagnostics.titleBoxWidth = Int(innerWidth - bar)
        cursorY += Double(block.size.height)
    }

    /// The optional "Only 3 left" line, shared by every kind.
    mutating func stockLine() {
        guard let stock = card.card.stock else { return }
        let block = text(stock, size: metrics.smallSize, bold: true, maxWidth: innerWidth)
        cursorY += metrics.gap / 2
        ops.append(.text(block, x: metrics.padding, y: cursorY, color: theme.accent, strike: false))
        cursorY += Double(block.size.height)
    }

    /// Price, then the struck-out old price beside it when it fits, else on the next line.
    mutating func priceRow() {
        guard let prices = card.prices else { return }
        let pad = metrics.padding
        let block = price(prices.price, maxWidth: innerWidth)
        ops.append(.text(block, x: pad, y: cursorY, color: theme.text, strike: false))
        let priceSize = block.size
        guard let old = prices.compareAt else {
            cursorY += Double(priceSize.height)
            return
        }
        let oldBlock = text(old, size: metrics.compareSize, maxWidth: innerWidth)
        let oldSize = oldBlock.size
        let besideX = pad + Double(priceSize.width) + metrics.gap * 1.5
        if besideX + Double(oldSize.width) <= Double(width) - pad {
            // Share the baseline area: bottom-align the smaller text with the price.
            let y = cursorY + Double(priceSize.height - oldSize.height) * 0.8
            ops.append(.text(oldBlock, x: besideX, y: y, color: faded(theme.text, 0.65), strike: true))
            cursorY += Double(priceSize.height)
        } else {
            cursorY += Double(priceSize.height)
            ops.append(.text(oldBlock, x: pad, y: cursorY, color: faded(theme.text, 0.65), strike: true))
            cursorY += Double(oldSize.height)
        }
    }

    func faded(_ color: RGBAColor, _ factor: Double) -> RGBAColor {
        var c = color
        c.alpha = UInt8((Double(color.alpha) * factor).rounded())
        return c
    }
}
