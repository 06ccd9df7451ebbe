// The pieces of a ladder's lanes that file and live jobs build alike: one rung's video half
// (scaler, x264 encoder, card painter), the GOP that puts a keyframe on every segment boundary,
// and the audio fan-out (AAC encoded once, the same packets muxed into every rendition).
import CFFmpeg
import Foundation
import VitrineMedia

extension EncodingLane.Video {
    /// One rung's video: a scaler to its size (turned for a source rotated by 90 or 270 degrees,
    /// which the lane turns back after scaling), its encoder, and its painter.
    static func make(spec: RenditionSpec, frameRate: AVRational, gopFrames: Int, threads: Int, preset: String,
                     globalHeader: Bool, matrix: ColorMatrix, rotation: Int, scalerFlags: Int32,
                     painter: FramePainter?) throws -> Self {
        let turned = rotation % 180 != 0
        let scaler = Scaler(width: turned ? spec.height : spec.width, height: turned ? spec.width : spec.height, flags: scalerFlags)
        let encoder = try Encoder(video: VideoEncoderSettings(
            width: spec.width, height: spec.height, frameRate: frameRate, bitrate: spec.bitrate,
            preset: preset, profile: spec.profile, gopFrames: gopFrames, threads: threads,
            globalHeader: globalHeader, matrix: matrix))
        return .init(spec: spec, scaler: scaler, rotation: rotation, encoder: encoder, painter: painter)
    }
}

extension EncodingLane {
    /// Frames between forced keyframes: one GOP per segment, so every segment starts on an IDR.
    static func gopFrames(segmentDuration: Double, framesPerSecond: Double) -> Int {
        max(1, Int((segmentDuration * framesPerSecond).rounded()))
    }

    /// Hands encoded AAC packets to every lane: the last lane takes the originals, the others
    /// references to the same payloads.
    static func fanOut(_ packets: [Packet], to lanes: [EncodingLane]) {
        guard !packets.isEmpty else { return }
        for (i, lane) in lanes.enumerated() {
            let own = i == lanes.count - 1 ? packets : packets.compactMap { try? $0.clone() }
            lane.submitAudio(own)
        }
    }
}
