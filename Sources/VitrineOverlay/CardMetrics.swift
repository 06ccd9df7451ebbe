// CardMetrics.swift - sizes for one output frame size: font sizes, paddings, card box and its
// position. Fonts follow the frame's short side (height in landscape) so text stays readable at
// 360p and does not explode in portrait; the card width and place follow the frame fractions.

struct CardMetrics {
    let frameWidth: Int
    let frameHeight: Int
    /// Short side of the frame: 720 for 1280x720 and for 720x1280.
    let base: Double
    let padding: Double
    let gap: Double
    let titleSize: Double
    let subtitleSize: Double
    let priceSize: Double
    let compareSize: Double
    let smallSize: Double
    let lineSize: Double
    /// Subtitles are dropped below 480 lines: two lines of title and the price matter more.
    let showsSubtitle: Bool

    /// Minimum pixel sizes: the price is at least 20 px so it stays legible at 360p.
    static let minimumPriceSize = 20.0

    init(frameWidth: Int, frameHeight: Int) {
        self.frameWidth = frameWidth
        self.frameHeight = frameHeight
        base = Double(min(frameWidth, frameHeight))
        padding = max(6, (base * 0.022).rounded())
        gap = max(3, (base * 0.012).rounded())
        titleSize = max(14, base * 0.045)
        subtitleSize = max(12, base * 0.03)
        priceSize = max(Self.minimumPriceSize, base * 0.062)
        compareSize = max(13, base * 0.036)
        smallSize = max(12, base * 0.03)
        lineSize = max(16, base * 0.045)
        showsSubtitle = base >= 480
    }

    /// The width `position.width` is a fraction of: the frame's in landscape; in portrait, the
    /// width of a 16:9 frame with the same short side, as the fonts follow the short side too
    /// (a 0.3 card is as wide on a 360x640 rung as on 640x360, where its text fits).
    var referenceWidth: Double {
        frameWidth >= frameHeight ? Double(frameWidth) : Double(frameWidth) * 16 / 9
    }

    /// Card width in pixels: even, at least enough for the paddings, at most the frame less its
    /// side margins.
    func cardWidth(_ position: CardPosition) -> Int {
        let wanted = Int((position.width * referenceWidth).rounded())
        if frameWidth < frameHeight {
            let room = frameWidth - 2 * Int((position.marginX * Double(frameWidth)).rounded())
            return (min(max(wanted, Int(4 * padding)), max(room, Int(4 * padding))) + 1) & ~1
        }
        let minimum = Int(4 * padding)
        return (min(max(wanted, minimum), frameWidth) + 1) & ~1
    }

    /// Top-left corner for a card of `width` x `height`, kept inside the frame, rounded to even.
    func origin(_ position: CardPosition, width: Int, height: Int) -> (x: Int, y: Int) {
        let mx = Int((position.marginX * Double(frameWidth)).rounded())
        let my = Int((position.marginY * Double(frameHeight)).rounded())
        let right = frameWidth - mx - width
        let bottom = frameHeight - my - height
        let centreX = (frameWidth - width) / 2
        let centreY = (frameHeight - height) / 2
        var x: Int, y: Int
        switch position.anchor {
        case .topLeft: (x, y) = (mx, my)
        case .topRight: (x, y) = (right, my)
        case .bottomLeft: (x, y) = (mx, bottom)
        case .bottomRight: (x, y) = (right, bottom)
        case .top: (x, y) = (centreX, my)
        case .bottom: (x, y) = (centreX, bottom)
        case .center: (x, y) = (centreX, centreY)
        }
        x = min(max(0, x), max(0, frameWidth - width))
        y = min(max(0, y), max(0, frameHeight - height))
        return (x & ~1, y & ~1)
    }
}
