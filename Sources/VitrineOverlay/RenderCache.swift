// RenderCache.swift - keeps rendered cards so repeated frames cost nothing but the blend.
// Keyed by the card's full content (exact, not just a hash), frame size and phase.

/// What makes two renders identical.
struct RenderKey: Hashable {
    let card: ResolvedCard
    let frameWidth: Int
    let frameHeight: Int
    /// Countdown second, state, poll bar step, ticker line: a new render when any changes.
    let phase: CardPhase
}

/// A small cache owned by one painter (one lane), so it needs no lock.
/// Entries not used for `maxIdleFrames` frames are dropped: old countdown seconds, replaced cards.
final class RenderCache {
    private var entries: [RenderKey: (card: RenderedCard, lastUse: Int)] = [:]
    private var frame = 0
    let maxIdleFrames: Int
    private(set) var renders = 0

    init(maxIdleFrames: Int = 90) {
        self.maxIdleFrames = maxIdleFrames
    }

    var count: Int { entries.count }

    /// The cached render for `key`, or a new one from `make`.
    func card(for key: RenderKey, make: () throws(RenderError) -> RenderedCard) throws(RenderError) -> RenderedCard {
        if let hit = entries[key] {
            entries[key] = (hit.card, frame)
            return hit.card
        }
        let card = try make()
        renders += 1
        entries[key] = (card, frame)
        return card
    }

    /// Marks the end of a frame and evicts entries idle for too long.
    func endFrame() {
        frame += 1
        if frame % 30 == 0 {
            let oldest = frame - maxIdleFrames
            entries = entries.filter { $0.value.lastUse >= oldest }
        }
    }
}
