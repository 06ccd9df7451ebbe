// Shares the cores among the rungs' x264 encoders by their share of the pixels. All lanes run at
// once and the scheduler gives every runnable thread an equal slice, so a single-threaded top
// rung (about 60% of the encoding work) falls behind and leaves a core idle while the small
// rungs wait for it: it gets a second frame thread, the small rungs one each (measured in
// Benchmarks/ladder.sh: [2,1,1] about 12% faster than [1,1,1] on 2 cores). A ladder with one
// big rung still gets every core.
import Foundation

enum EncoderThreads {
    static func perRung(_ specs: [RenditionSpec], override: Int?, cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> [Int] {
        if let override { return specs.map { _ in max(1, override) } }
        let pixels = specs.map { Double($0.width * $0.height) }
        let total = pixels.reduce(0, +)
        guard total > 0 else { return specs.map { _ in 1 } }
        return pixels.map { max(1, Int((Double(cores) * 1.5 * $0 / total).rounded())) }
    }

    /// Decoder threads: the lanes already keep `lanes` cores busy, so frame-threaded decoding
    /// only adds frames in flight (memory) unless cores are left over.
    static func decoder(lanes: Int, cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> Int {
        max(1, cores - lanes + 1)
    }
}
