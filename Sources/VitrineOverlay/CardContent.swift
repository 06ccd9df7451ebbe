// CardContent.swift - the kind-specific part of a card: the four product kinds here, the show
// kinds (poll, question, social proof, giveaway, flash offer) in ShowContent.swift.

/// The kind-specific part of a card.
public enum CardContent: Hashable, Sendable {
    case productCard(ProductCardContent)
    case priceTag(PriceTagContent)
    case countdown(CountdownContent)
    case banner(BannerContent)
    case poll(PollContent)
    case question(QuestionContent)
    case socialProof(SocialProofContent)
    case giveaway(GiveawayContent)
    case flashOffer(FlashOfferContent)

    public var kind: Card.Kind {
        switch self {
        case .productCard: return .productCard
        case .priceTag: return .priceTag
        case .countdown: return .countdown
        case .banner: return .banner
        case .poll: return .poll
        case .question: return .question
        case .socialProof: return .socialProof
        case .giveaway: return .giveaway
        case .flashOffer: return .flashOffer
        }
    }

    /// The price a card shows, for the kinds that have one.
    public var price: PriceSpec? {
        switch self {
        case let .productCard(content): return content.price
        case let .priceTag(content): return content.price
        case let .flashOffer(content): return content.price
        case .countdown, .banner, .poll, .question, .socialProof, .giveaway: return nil
        }
    }

    /// The deadline of the kinds that count down to one.
    public var deadline: CountdownTarget? {
        switch self {
        case let .countdown(content): return content.endsAt
        case let .giveaway(content): return content.endsAt
        case let .flashOffer(content): return content.endsAt
        case .productCard, .priceTag, .banner, .poll, .question, .socialProof: return nil
        }
    }
}

extension Card.Kind {
    /// Where a kind sits unless the card says otherwise: product kinds bottom left, the poll and
    /// giveaway top right, the ticker top left, questions as a lower third (stacked over the
    /// product on air), offers bottom right.
    /// OverlayPainter stacks cards that would still meet.
    public var defaultPosition: CardPosition {
        switch self {
        case .productCard, .priceTag, .countdown, .banner: return CardPosition()
        case .poll, .giveaway: return CardPosition(anchor: .topRight, marginY: 0.05, width: 0.3)
        case .socialProof: return CardPosition(anchor: .topLeft, marginY: 0.05, width: 0.4)
        case .question: return CardPosition(anchor: .bottomLeft, width: 0.45)
        case .flashOffer: return CardPosition(anchor: .bottomRight, width: 0.3)
        }
    }
}

public struct ProductCardContent: Hashable, Sendable {
    public var title: String
    public var subtitle: String?
    /// Path of a PNG, JPEG or WebP file, relative to the cards file's folder.
    public var image: String?
    public var price: PriceSpec
    /// Short label such as "NEW"; when absent and a compare-at price is set, the discount is shown.
    public var badge: String?

    public init(title: String, subtitle: String? = nil, image: String? = nil, price: PriceSpec, badge: String? = nil) {
        self.title = title
        self.subtitle = subtitle
        self.image = image
        self.price = price
        self.badge = badge
    }
}

public struct PriceTagContent: Hashable, Sendable {
    public var price: PriceSpec
    /// Defaults to the computed discount ("-30%") when a compare-at price is set.
    public var badge: String?

    public init(price: PriceSpec, badge: String? = nil) {
        self.price = price
        self.badge = badge
    }
}

public struct CountdownContent: Hashable, Sendable {
    public static let defaultLabel = "Ends in"
    public var label: String
    public var endsAt: CountdownTarget

    public init(label: String = CountdownContent.defaultLabel, endsAt: CountdownTarget) {
        self.label = label
        self.endsAt = endsAt
    }
}

public struct BannerContent: Hashable, Sendable {
    public var text: String

    public init(text: String) {
        self.text = text
    }
}

