// CardStacking.swift - the layout rule that keeps overlays apart: every card has a resting place
// from its anchor; a card that would meet one placed before it (draw order) moves up or down to
// the nearest place where it meets none and stays inside the frame, preferring the way away
// from its anchor's edge (up from the bottom, down from the top or centre) when two are as near.
// The rule works on each rung's own pixel sizes, so it holds at 360p and in portrait as well as
// at 1080p, and it is a pure function of what is on screen, so every frame of every rendition
// that shows the same cards stacks them the same way. Cards are placed in draw order (first
// added first), so a card that appears never moves the ones already on screen.

/// A card's box on the frame, in pixels.
struct CardBox: Equatable {
    var x: Int
    var y: Int
    var width: Int
    var height: Int

    var maxY: Int { y + height }

    /// True when the boxes meet or come closer than `gap`.
    func meets(_ other: CardBox, gap: Int) -> Bool {
        x < other.x + other.width + gap && other.x < x + width + gap && y < other.maxY + gap && other.y < maxY + gap
    }
}

enum CardStacking {
    /// The vertical shift of each box (in order) so that none meets another, where the frame has
    /// room; a box with no free place keeps its resting place and is counted in `overlaps`.
    static func shifts(for boxes: [(box: CardBox, anchor: Anchor)], frameHeight: Int, gap: Int) -> (shifts: [Int], overlaps: Int) {
        var placed: [CardBox] = []
        var shifts: [Int] = []
        var overlaps = 0
        for (resting, anchor) in boxes {
            let upward = anchor == .bottomLeft || anchor == .bottomRight || anchor == .bottom
            // The only places worth trying: where it rests, and just above or below each placed box.
            var candidates = [resting.y]
            for other in placed {
                let above: Int = (other.y - gap - resting.height) & ~1
                let below: Int = (other.maxY + gap + 1) & ~1
                candidates += [above, below]
            }
            let free = candidates.filter { y in
                var box = resting
                box.y = y
                return y >= 0 && box.maxY <= frameHeight && !placed.contains { box.meets($0, gap: gap) }
            }
            let best = free.min { a, b in
                let da = abs(a - resting.y), db = abs(b - resting.y)
                if da != db { return da < db }
                return upward ? a < b : a > b
            }
            var box = resting
            if let best {
                box.y = best
            } else if placed.contains(where: { resting.meets($0, gap: 0) }) {
                overlaps += 1
            }
            placed.append(box)
            shifts.append(box.y - resting.y)
        }
        return (shifts, overlaps)
    }
}
