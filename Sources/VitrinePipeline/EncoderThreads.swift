// Shares the cores among the rungs' x264 encoders by their share of the pixels. All lanes run at
// once, so the lanes themselves keep the cores busy: extra x264 frame threads only add
// synchronisation and frames in flight (memory), and would cost quality for nothing. A ladder
// with one big rung still gets every core.
import Foundation

enum EncoderThreads {
    static func perRung(_ specs: [RenditionSpec], override: Int?, cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> [Int] {
        if let override { return specs.map { _ in max(1, override) } }
        let pixels = specs.map { Double($0.width * $0.height) }
        let total = pixels.reduce(0, +)
        guard total > 0 else { return specs.map { _ in 1 } }
        return pixels.map { max(1, Int((Double(cores) * $0 / total).rounded())) }
    }
}
