// Shares the cores among the rungs' x264 encoders by their share of the pixels: all lanes run at
// once, so a small rung gains little from many threads, while the top rung sets the pace.
import Foundation

enum EncoderThreads {
    static func perRung(_ specs: [RenditionSpec], override: Int?, cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> [Int] {
        if let override { return specs.map { _ in max(1, override) } }
        let pixels = specs.map { Double($0.width * $0.height) }
        let total = pixels.reduce(0, +)
        guard total > 0 else { return specs.map { _ in 1 } }
        return pixels.map { max(1, Int((Double(cores) * 1.5 * $0 / total).rounded())) }
    }
}
