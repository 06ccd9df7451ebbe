// Whether a ladder a job process reports is one serve could have asked for. serve adopts a live
// stream's ladder from its first job process and builds folder names from it for every later
// process, so a ladder is checked before it is kept: names in the rendition-name shape and made
// the way Ladder.resolve makes them, sizes even and inside the rung they came from, rates those of
// the rungs, and, once a stream has a ladder, exactly that one.
import Foundation

extension LiveLadder {
    /// Why this ladder cannot come from `rungs` (nil: the default rungs) or from a stream whose
    /// ladder is `fixed`; nil when it can.
    public func nonconformance(rungs: [Rung]?, fixed: LiveLadder?) -> String? {
        if let fixed { return self == fixed ? nil : "ladder \(renditionNames) differs from the stream's \(fixed.renditionNames)" }
        let asked = rungs ?? Ladder.standard.map { Rung(size: .shortSide($0.shortSide), bitrate: $0.bitrate) }
        // A source below the smallest standard rung gets one rung of its own size at 300k.
        let allowed = rungs == nil ? asked + [Rung(size: .shortSide(Ladder.maxSide), bitrate: 300_000)] : asked
        guard specs.count <= asked.count else { return "ladder of \(specs.count) renditions for \(asked.count) rungs" }
        var names = Set<String>()
        for spec in specs {
            guard HLSFileNames.isRenditionName(spec.name), names.insert(spec.name).inserted else {
                return "rendition name \(spec.name.prefix(64).debugDescription)"
            }
            guard (2...Ladder.maxSide).contains(spec.width), (2...Ladder.maxSide).contains(spec.height),
                  spec.width % 2 == 0, spec.height % 2 == 0 else { return "rendition \(spec.name) of \(spec.width)x\(spec.height)" }
            guard spec.profile == "high" || spec.profile == "main" else { return "rendition \(spec.name) profile \(spec.profile.prefix(16))" }
            let short = min(spec.width, spec.height)
            guard spec.name == "\(short)p" || spec.name == "\(short)p_\(spec.bitrate / 1000)k" else {
                return "rendition \(spec.name) named unlike its \(spec.width)x\(spec.height)"
            }
            guard allowed.contains(where: { $0.bitrate == spec.bitrate && $0.holds(width: spec.width, height: spec.height) }) else {
                return "rendition \(spec.name) (\(spec.width)x\(spec.height) at \(spec.bitrate) b/s) matches no rung asked for"
            }
        }
        return nil
    }
}

extension Rung {
    /// Whether a rendition of this size can come from this rung (never scaled up past it).
    func holds(width: Int, height: Int) -> Bool {
        switch size {
        case let .shortSide(short): return min(width, height) <= max(short, 2)
        case let .exact(w, h): return width <= w + 1 && height <= h + 1
        }
    }
}
