// CardStyle.swift - where a card sits (anchor + fractions of the frame), how it looks (theme) and
// how it enters and leaves. Fractions keep a card in the same place at every rung.

/// A corner, edge centre or the centre of the frame.
public enum Anchor: String, Codable, Hashable, Sendable, CaseIterable {
    case topLeft, topRight, bottomLeft, bottomRight, top, bottom, center
}

/// Placement as fractions of the frame: margins from the anchor's edges, width of frame width.
public struct CardPosition: Codable, Hashable, Sendable {
    public var anchor: Anchor
    /// Distance from the left or right edge, as a fraction of frame width (ignored when centred).
    public var marginX: Double
    /// Distance from the top or bottom edge, as a fraction of frame height (ignored when centred).
    public var marginY: Double
    /// Card width as a fraction of frame width, in (0, 1].
    public var width: Double

    public init(anchor: Anchor = .bottomLeft, marginX: Double = 0.04, marginY: Double = 0.06, width: Double = 0.3) {
        self.anchor = anchor
        self.marginX = marginX
        self.marginY = marginY
        self.width = width
    }

    enum CodingKeys: String, CodingKey { case anchor, marginX, marginY, width }

    public init(from decoder: Decoder) throws {
        try self.init(from: decoder.container(keyedBy: CodingKeys.self), defaults: CardPosition())
    }

    /// The fields given, the rest from `defaults` (each kind has its own place: Kind.defaultPosition).
    init(from c: KeyedDecodingContainer<CodingKeys>, defaults: CardPosition) throws {
        anchor = try c.decodeIfPresent(Anchor.self, forKey: .anchor) ?? defaults.anchor
        marginX = try c.decodeIfPresent(Double.self, forKey: .marginX) ?? defaults.marginX
        marginY = try c.decodeIfPresent(Double.self, forKey: .marginY) ?? defaults.marginY
        width = try c.decodeIfPresent(Double.self, forKey: .width) ?? defaults.width
    }
}

/// An sRGB colour with straight (not premultiplied) alpha, written "#RRGGBB" or "#RRGGBBAA".
public struct RGBAColor: Codable, Hashable, Sendable, CustomStringConvertible {
    public var red, green, blue, alpha: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8 = 255) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    public init?(hex: String) {
        guard hex.hasPrefix("#"), hex.count == 7 || hex.count == 9,
              let value = UInt32(hex.dropFirst(), radix: 16) else { return nil }
        let rgba = hex.count == 7 ? (value << 8) | 0xFF : value
        self.init(red: UInt8(rgba >> 24), green: UInt8((rgba >> 16) & 0xFF),
                  blue: UInt8((rgba >> 8) & 0xFF), alpha: UInt8(rgba & 0xFF))
    }

    public var description: String {
        "#" + [red, green, blue, alpha].map { String($0, radix: 16).uppercased().leftPadded(to: 2) }.joined()
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let color = RGBAColor(hex: text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "\"\(text)\" is not a colour: expected #RRGGBB or #RRGGBBAA")
        }
        self = color
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}

/// Colours, corner radius and font of a card.
public struct CardTheme: Codable, Hashable, Sendable {
    public var background: RGBAColor
    public var text: RGBAColor
    public var accent: RGBAColor
    /// Corner radius as a fraction of the card height, 0...0.5.
    public var cornerRadius: Double
    /// Fontconfig family name; glyphs missing from it fall back to other installed fonts.
    public var font: String

    public init(background: RGBAColor = RGBAColor(red: 0x10, green: 0x18, blue: 0x20, alpha: 0xE6),
                text: RGBAColor = RGBAColor(red: 0xFF, green: 0xFF, blue: 0xFF),
                accent: RGBAColor = RGBAColor(red: 0xFF, green: 0x3B, blue: 0x30),
                cornerRadius: Double = 0.08, font: String = "DejaVu Sans") {
        self.background = background
        self.text = text
        self.accent = accent
        self.cornerRadius = cornerRadius
        self.font = font
    }

    enum CodingKeys: String, CodingKey { case background, text, accent, cornerRadius, font }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = CardTheme()
        background = try c.decodeIfPresent(RGBAColor.self, forKey: .background) ?? d.background
        text = try c.decodeIfPresent(RGBAColor.self, forKey: .text) ?? d.text
        accent = try c.decodeIfPresent(RGBAColor.self, forKey: .accent) ?? d.accent
        cornerRadius = try c.decodeIfPresent(Double.self, forKey: .cornerRadius) ?? d.cornerRadius
        font = try c.decodeIfPresent(String.self, forKey: .font) ?? d.font
    }
}

/// How a card enters or leaves the screen.
public struct CardAnimation: Codable, Hashable, Sendable {
    public enum Style: String, Codable, Hashable, Sendable { case none, slide, fade }

    public var style: Style
    public var durationMs: Int

    public static let none = CardAnimation(style: .none, durationMs: 0)

    public init(style: Style, durationMs: Int) {
        self.style = style
        self.durationMs = durationMs
    }

    /// Duration in seconds; zero when there is no animation.
    var seconds: Double { style == .none ? 0 : Double(durationMs) / 1000 }
}
