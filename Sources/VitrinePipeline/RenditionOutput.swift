// Where one rendition's segments go: written atomically to its folder, measured for the
// master playlist, and listed in its media playlist.
import Foundation
import VitrineHLS

public struct RenditionReport: Sendable {
    public var name: String
    public var width: Int?
    public var height: Int?
    public var segmentCount: Int
    public var peakBitrate: Int
    public var averageBitrate: Int
    public var codecs: [String]
    public var frameRate: Double?
    public var durationSeconds: Double
}

final class RenditionOutput {
    let name: String
    let directory: String
    let format: SegmentFormat
    private(set) var segments: [MediaPlaylist.Segment] = []
    private(set) var writtenFiles: [String] = []
    private var totalBytes = 0
    private var peakBitrate = 0.0
    var videoCodec: String?
    /// Date of second 0 on the job timeline; each segment's EXT-X-PROGRAM-DATE-TIME counts from it.
    var wallClockOrigin: Date?
    /// Where the last segment ends on the job timeline. Not the sum of durations: the first
    /// segment may start before second 0 (AAC priming samples).
    private(set) var endSeconds = 0.0

    init(name: String, root: String, format: SegmentFormat) throws {
        self.name = name
        self.format = format
        directory = (root as NSString).appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw TranscodeError.unwritableOutput("cannot create \(directory): \(error.localizedDescription)")
        }
    }

    static let initName = "init.mp4"

    func writeInit(_ bytes: [UInt8]) throws {
        try store(bytes, as: Self.initName)
    }

    func write(_ segment: MuxedSegment) throws {
        let file = String(format: "seg_%05d.%@", segment.index, format.segmentExtension)
        try store(segment.bytes, as: file)
        segments.append(.init(uri: file, duration: segment.durationSeconds,
                              programDateTime: wallClockOrigin?.addingTimeInterval(segment.startSeconds)))
        totalBytes += segment.bytes.count
        endSeconds = max(endSeconds, segment.startSeconds + segment.durationSeconds)
        // A tiny last segment would inflate the peak; RFC 8216bis measures over target-ish durations.
        if segment.durationSeconds >= 0.5 { peakBitrate = max(peakBitrate, segment.bitrate) }
        else if peakBitrate == 0 { peakBitrate = segment.bitrate }
    }

    private func store(_ bytes: [UInt8], as file: String) throws {
        let path = (directory as NSString).appendingPathComponent(file)
        do {
            try AtomicFileWriter.write(bytes, to: path)
        } catch let error as FileWriteError {
            throw TranscodeError(error)
        }
        writtenFiles.append(path)
    }

    var playlist: MediaPlaylist {
        MediaPlaylist(kind: .vod, version: format.playlistVersion, mapURI: format == .fmp4 ? Self.initName : nil,
                      segments: segments, ended: true)
    }

    var durationSeconds: Double { segments.reduce(0) { $0 + $1.duration } }

    func report(width: Int?, height: Int?, frameRate: Double?, audio: Bool) -> RenditionReport {
        let duration = durationSeconds
        var codecs: [String] = []
        if let videoCodec { codecs.append(videoCodec) }
        if audio { codecs.append(CodecString.aacLC) }
        return RenditionReport(name: name, width: width, height: height, segmentCount: segments.count,
                               peakBitrate: Int(peakBitrate.rounded(.up)),
                               averageBitrate: duration > 0 ? Int((Double(totalBytes * 8) / duration).rounded(.up)) : 0,
                               codecs: codecs, frameRate: frameRate, durationSeconds: duration)
    }

    /// Removes what this rendition wrote, after a failed job, so nothing half-done remains.
    func removeEverything() {
        for file in writtenFiles { unlink(file) }
        rmdir(directory)
    }
}
