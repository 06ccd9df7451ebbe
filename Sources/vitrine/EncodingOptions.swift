// The encoding options `transcode` and `serve` share, validated once with the same messages.
import ArgumentParser
import VitrinePipeline

struct EncodingOptions: ParsableArguments {
    @Option(help: "Target segment duration in seconds.")
    var segmentDuration: Double = 2

    @Option(help: "x264 preset (ultrafast ... veryslow).")
    var preset: String = "veryfast"

    @Option(help: "x264 threads per rendition (default: cores shared by each rung's pixel count).")
    var threads: Int?

    static let presets = TranscodeSettings.presets

    /// The checked values; each error names the option and what it accepts.
    func validated() throws -> (segmentDuration: Double, preset: String, threads: Int?) {
        guard segmentDuration.isFinite, (0.5...30).contains(segmentDuration) else {
            throw TranscodeError.invalidArgument("--segment-duration \(segmentDuration): must be between 0.5 and 30 seconds")
        }
        guard Self.presets.contains(preset) else {
            throw TranscodeError.invalidArgument("--preset \(preset): expected one of \(Self.presets.joined(separator: ", "))")
        }
        if let threads, !(1...64).contains(threads) {
            throw TranscodeError.invalidArgument("--threads \(threads): expected 1 to 64")
        }
        return (segmentDuration, preset, threads)
    }

}
