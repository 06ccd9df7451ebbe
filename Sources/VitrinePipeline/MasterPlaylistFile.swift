// The master (multivariant) playlist of a job, file or live: one variant per rendition report,
// written atomically after the media playlists it names. A file job's reports are measured from
// its segments; a live stream's are estimated from its rungs before any peak is known.
import Foundation
import VitrineHLS

enum MasterPlaylistFile {
    static let name = "master.m3u8"

    static func render(_ reports: [RenditionReport], version: Int) -> String {
        MasterPlaylist(version: version, variants: reports.map {
            .init(bandwidth: $0.peakBitrate, averageBandwidth: $0.averageBitrate, width: $0.width, height: $0.height,
                  frameRate: $0.frameRate, codecs: $0.codecs, uri: "\($0.name)/\(RenditionOutput.playlistName)")
        }).render()
    }

    /// Writes `folder`/master.m3u8; returns its path and text.
    @discardableResult
    static func write(_ reports: [RenditionReport], version: Int, in folder: String) throws -> (path: String, text: String) {
        let text = render(reports, version: version)
        let path = (folder as NSString).appendingPathComponent(name)
        try AtomicFileWriter.write(text, to: path)
        return (path, text)
    }
}

extension RenditionReport {
    /// A live rendition before it has a measured peak: the rung's bitrate, its encoder's VBV
    /// maximum (1.07x) for the peak, and the AAC bitrate when the stream has audio.
    static func estimated(name: String, spec: RenditionSpec?, videoCodec: String?, audio: Bool, frameRate: Double?) -> RenditionReport {
        let audioBits = audio ? 128_000 : 0
        let video = spec?.bitrate ?? 0
        var codecs = videoCodec.map { [$0] } ?? []
        if audio { codecs.append(CodecString.aacLC) }
        return RenditionReport(name: name, width: spec?.width, height: spec?.height, segmentCount: 0,
                               peakBitrate: video * 107 / 100 + audioBits, averageBitrate: video + audioBits, codecs: codecs,
                               frameRate: spec == nil ? nil : frameRate, durationSeconds: 0)
    }
}
