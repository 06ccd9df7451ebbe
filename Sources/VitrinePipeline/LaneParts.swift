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
                     latency: EncoderLatency = .normal, painter: FramePainter?) throws -> Self {
        let turned = rotation % 180 != 0
        let scaler = Scaler(width: turned ? spec.height : spec.width, height: turned ? spec.width : spec.height, flags: scalerFlags)
        var settings = VideoEncoderSettings(
            width: spec.width, height: spec.height, frameRate: frameRate, bitrate: spec.bitrate,
            preset: preset, profile: spec.profile, gopFrames: gopFrames, threads: threads,
            globalHeader: globalHeader, matrix: matrix)
        settings.latency = latency
        let encoder = try Encoder(video: settings)
        return .init(spec: spec, scaler: scaler, rotation: rotation, encoder: encoder, painter: painter)
    }
}

extension EncodingLane {
    /// One lane per rendition of the ladder, file or live alike: a rung's video (its share of
    /// the encoder threads, its painter) or audio only, the shared AAC encoder, segments of the
    /// encoding's length and format into that rendition's sink.
    static func ladder(_ renditions: [(spec: RenditionSpec?, output: Sink)], encoding: EncodingSettings,
                       framesPerSecond: Double, frameRate: AVRational, matrix: ColorMatrix, rotation: Int, audio: Encoder?,
                       painter: (RenditionSpec) throws -> FramePainter?, failure: JobFailure) throws -> [EncodingLane] {
        let gop = gopFrames(segmentDuration: encoding.segmentDuration, framesPerSecond: framesPerSecond)
        let specs = renditions.compactMap(\.spec)
        var threads = EncoderThreads.perRung(specs, override: encoding.encoderThreads,
                                             cores: encoding.cores ?? ProcessInfo.processInfo.activeProcessorCount).makeIterator()
        return try renditions.map { rendition in
            let video = try rendition.spec.map { spec in
                try Video.make(spec: spec, frameRate: frameRate, gopFrames: gop, threads: threads.next() ?? 1, preset: encoding.preset,
                               globalHeader: encoding.format.needsGlobalHeader, matrix: matrix, rotation: rotation,
                               scalerFlags: encoding.scalerFlags, latency: encoding.latency, painter: painter(spec))
            }
            return try EncodingLane(name: rendition.output.name, video: video, audio: audio, framesPerSecond: framesPerSecond,
                                    gopFrames: gop, format: encoding.format, segmentDuration: encoding.segmentDuration,
                                    partDuration: encoding.partDuration(framesPerSecond: framesPerSecond), output: rendition.output, queueDepth: encoding.laneQueueDepth, failure: failure)
        }
    }

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
