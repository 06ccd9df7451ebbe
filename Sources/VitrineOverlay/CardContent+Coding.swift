// CardContent+Coding.swift - reads and writes the kind fields of a card. The JSON is flat (the
// kind fields sit beside the common ones), so each kind decodes from the card's own container.

extension CardContent {
    typealias Keys = KeyedDecodingContainer<Card.CodingKeys>

    init(kind: Card.Kind, from c: Keys) throws {
        switch kind {
        case .productCard:
            self = .productCard(ProductCardContent(
                title: try c.decode(String.self, forKey: .title),
                subtitle: try c.decodeIfPresent(String.self, forKey: .subtitle),
                image: try c.decodeIfPresent(String.self, forKey: .image),
                price: try c.decode(PriceSpec.self, forKey: .price),
                badge: try c.decodeIfPresent(String.self, forKey: .badge)))
        case .priceTag:
            self = .priceTag(PriceTagContent(
                price: try c.decode(PriceSpec.self, forKey: .price),
                badge: try c.decodeIfPresent(String.self, forKey: .badge)))
        case .countdown:
            self = .countdown(CountdownContent(
                label: try c.decodeIfPresent(String.self, forKey: .label) ?? CountdownContent.defaultLabel,
                endsAt: try c.decode(CountdownTarget.self, forKey: .endsAt)))
        case .banner:
            self = .banner(BannerContent(text: try c.decode(String.self, forKey: .text)))
        case .poll:
            self = .poll(PollContent(
                question: try c.decode(String.self, forKey: .question),
                options: try c.decode([PollOption].self, forKey: .options),
                closed: try c.decodeIfPresent(Bool.self, forKey: .closed) ?? false,
                previousVotes: try c.decodeIfPresent([Int].self, forKey: .previousVotes)))
        case .question:
            self = .question(QuestionContent(
                name: try c.decode(String.self, forKey: .name),
                text: try c.decode(String.self, forKey: .question),
                avatar: try c.decodeIfPresent(String.self, forKey: .avatar)))
        case .socialProof:
            self = .socialProof(SocialProofContent(
                events: try c.decode([String].self, forKey: .events),
                rotateSeconds: try c.decodeIfPresent(Double.self, forKey: .rotateSeconds)
                    ?? SocialProofContent.defaultRotateSeconds))
        case .giveaway:
            self = .giveaway(GiveawayContent(
                prize: try c.decode(String.self, forKey: .prize),
                instructions: try c.decodeIfPresent(String.self, forKey: .instructions),
                endsAt: try c.decode(CountdownTarget.self, forKey: .endsAt),
                winner: try c.decodeIfPresent(String.self, forKey: .winner)))
        case .flashOffer:
            self = .flashOffer(FlashOfferContent(
                title: try c.decode(String.self, forKey: .title),
                price: try c.decode(PriceSpec.self, forKey: .price),
                endsAt: try c.decode(CountdownTarget.self, forKey: .endsAt)))
        }
    }

    func encode(into c: inout KeyedEncodingContainer<Card.CodingKeys>) throws {
        switch self {
        case let .productCard(p):
            try c.encode(p.title, forKey: .title)
            try c.encodeIfPresent(p.subtitle, forKey: .subtitle)
            try c.encodeIfPresent(p.image, forKey: .image)
            try c.encode(p.price, forKey: .price)
            try c.encodeIfPresent(p.badge, forKey: .badge)
        case let .priceTag(p):
            try c.encode(p.price, forKey: .price)
            try c.encodeIfPresent(p.badge, forKey: .badge)
        case let .countdown(p):
            try c.encode(p.label, forKey: .label)
            try c.encode(p.endsAt, forKey: .endsAt)
        case let .banner(p):
            try c.encode(p.text, forKey: .text)
        case let .poll(p):
            try c.encode(p.question, forKey: .question)
            try c.encode(p.options, forKey: .options)
            try c.encode(p.closed, forKey: .closed)
            try c.encodeIfPresent(p.previousVotes, forKey: .previousVotes)
        case let .question(p):
            try c.encode(p.name, forKey: .name)
            try c.encode(p.text, forKey: .question)
            try c.encodeIfPresent(p.avatar, forKey: .avatar)
        case let .socialProof(p):
            try c.encode(p.events, forKey: .events)
            try c.encode(p.rotateSeconds, forKey: .rotateSeconds)
        case let .giveaway(p):
            try c.encode(p.prize, forKey: .prize)
            try c.encodeIfPresent(p.instructions, forKey: .instructions)
            try c.encode(p.endsAt, forKey: .endsAt)
            try c.encodeIfPresent(p.winner, forKey: .winner)
        case let .flashOffer(p):
            try c.encode(p.title, forKey: .title)
            try c.encode(p.price, forKey: .price)
            try c.encode(p.endsAt, forKey: .endsAt)
        }
    }
}
