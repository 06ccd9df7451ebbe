// A test hook, off unless a test sets it (docs/job-protocol.md): VITRINE_TEST_FAULT=KIND@FRAMES
// or KIND@FRAMES:MATCH makes a job process fail on purpose once FRAMES frames are encoded, for
// jobs whose input path contains MATCH. KIND is abort, segv, spin (a hang the watchdog must
// catch) or alloc (a runaway allocation the memory limit must stop). Production never sets it.
import Foundation

struct TestFault {
    enum Kind: String { case abort, segv, spin, alloc }
    let kind: Kind
    let frames: Int

    init?(environment: [String: String], input: String) {
        guard let text = environment["VITRINE_TEST_FAULT"], !text.isEmpty else { return nil }
        let (spec, match) = text.split(separator: ":", maxSplits: 1).map(String.init).splitFirst()
        let parts = spec.split(separator: "@").map(String.init)
        guard parts.count == 2, let kind = Kind(rawValue: parts[0]), let frames = Int(parts[1]), frames >= 0 else { return nil }
        if let match, !input.contains(match) { return nil }
        self.kind = kind
        self.frames = frames
    }

    func strikeIfDue(framesEncoded: Int) {
        guard framesEncoded >= frames else { return }
        switch kind {
        case .abort:
            abort()
        case .segv:
            raise(SIGSEGV)
        case .spin:
            var turns: UInt64 = 0
            while true { turns &+= 1 }
        case .alloc:
            var hoard: [[UInt8]] = []
            while true { hoard.append([UInt8](repeating: UInt8(truncatingIfNeeded: hoard.count), count: 64 << 20)) }
        }
    }
}

private extension Array where Element == String {
    func splitFirst() -> (String, String?) { (first ?? "", count > 1 ? self[1] : nil) }
}
