// RenderedCard.swift - a card drawn for one frame size: premultiplied BGRA pixels and where they go,
// plus (lazily, once per colour matrix) the YUV + alpha planes the compositor blends per frame.

import Foundation

/// Layout facts about a render, used by tests and for logging (e.g. tofu glyphs, dropped subtitle).
public struct RenderDiagnostics: Sendable, Hashable {
    /// Glyphs drawn as "missing" boxes over all text of the card; 0 when every script had a font.
    public var unknownGlyphs = 0
    /// True when some text was cut with an ellipsis to fit.
    public var ellipsized = false
    /// Title (or main text) width as laid out, and the box it had to fit in, in pixels.
    public var titleWidth = 0
    public var titleBoxWidth = 0
    /// Height of the price text in pixels (logical box), 0 for cards without a price.
    public var priceHeight = 0
    /// True when the subtitle was left out because the rung is small.
    public var droppedSubtitle = false
    /// Pixel size of the main price font.
    public var priceFontSize = 0.0
    /// The percentages a poll shows, option by option, as drawn on this frame.
    public var pollPercentages: [Int] = []

    public init() {}
}

/// A card bitmap positioned in a frame of `frameWidth` x `frameHeight`.
/// Immutable after creation except for the prepared-planes cache, which is guarded by a lock.
public final class RenderedCard: @unchecked Sendable {
    public let width: Int
    public let height: Int
    /// Bytes per row of `pixels` (width * 4).
    public let stride: Int
    /// Premultiplied BGRA.
    public let pixels: [UInt8]
    /// Top-left corner in the frame; always even so chroma samples line up.
    public let x: Int
    public let y: Int
    public let frameWidth: Int
    public let frameHeight: Int
    public let diagnostics: RenderDiagnostics

    private let lock = NSLock()
    private var preparedPlanes: [ColorMatrix: PreparedCard] = [:]

    public init(width: Int, height: Int, pixels: [UInt8], x: Int, y: Int, frameWidth: Int, frameHeight: Int,
                diagnostics: RenderDiagnostics = RenderDiagnostics()) {
        precondition(pixels.count == width * height * 4, "pixels must be width * height * 4 bytes")
        self.width = width
        self.height = height
        self.stride = width * 4
        self.pixels = pixels
        self.x = x & ~1
        self.y = y & ~1
        self.frameWidth = frameWidth
        self.frameHeight = frameHeight
        self.diagnostics = diagnostics
    }

    /// The card converted to YUV planes for `matrix`, computed on first use and then reused.
    public func prepared(for matrix: ColorMatrix) -> PreparedCard {
        lock.lock()
        defer { lock.unlock() }
        if let planes = preparedPlanes[matrix] { return planes }
        let planes = PreparedCard(self, matrix: matrix)
        preparedPlanes[matrix] = planes
        return planes
    }
}
