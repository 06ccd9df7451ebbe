// Opens a media file with libavformat and hands out its packets.
import CFFmpeg

/// What Vitrine needs to know about one input stream.
public struct StreamInfo {
    public enum Kind { case video, audio, other }

    public var index: Int
    public var kind: Kind
    public var codecName: String
    public var timeBase: TimeBase
    public var startTime: Int64
    public var duration: Int64
    public var width: Int
    public var height: Int
    public var sampleAspectRatio: AVRational
    /// Clockwise rotation to apply for display, in degrees (0, 90, 180, 270).
    public var rotation: Int
    /// Average (or, failing that, base) frame rate; 0/1 when unknown.
    public var frameRate: AVRational
    public var sampleRate: Int
    public var channels: Int
    /// An attached picture (cover art) is not a video track.
    public var isAttachedPicture: Bool
}

public final class Demuxer {
    private let input: InputFormatContext
    public var pointer: UnsafeMutablePointer<AVFormatContext> { input.pointer }
    public let path: String
    public let streams: [StreamInfo]

    /// The containers an input file may be (libavformat demuxer names): recordings and uploads.
    /// Playlists, image sequences, concat lists and device inputs are not among them.
    public static let mediaFormats = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,flv,mpegts,mpeg,avi,wav,mp3,aac,ogg,h264,hevc"

    /// Opens and probes `path` (local files only; with `formats`, only those demuxers). Throws
    /// with FFmpeg's text when it is missing or not media.
    public convenience init(path: String, formats: String? = Demuxer.mediaFormats) throws {
        try self.init(InputFormatContext(path: path, formats: formats), name: path)
    }

    /// Opens and probes media held in memory, with the same demuxers as a file unless `formats`
    /// says otherwise; `name` stands for it in messages (`path`).
    public convenience init(bytes: [UInt8], name: String, formats: String? = Demuxer.mediaFormats) throws {
        try self.init(InputFormatContext(bytes: bytes, formats: formats), name: name)
    }

    private init(_ input: InputFormatContext, name path: String) throws {
        self.input = input
        self.path = path
        let context = input.pointer
        try check(avformat_find_stream_info(context, nil), "reading stream info of \(path)")
        streams = (0..<Int(context.pointee.nb_streams)).map { Demuxer.describe(context.pointee.streams[$0]!, index: $0) }
    }

    /// The container's duration in seconds, if it declares one.
    public var durationSeconds: Double? {
        let d = pointer.pointee.duration
        return d == noTimestamp || d <= 0 ? nil : Double(d) / Double(AV_TIME_BASE)
    }

    public var formatName: String { String(cString: pointer.pointee.iformat.pointee.name) }

    /// The best stream of a kind, as libavformat ranks them (cover art excluded for video).
    public func bestStream(_ kind: StreamInfo.Kind) -> StreamInfo? {
        let type: AVMediaType = kind == .video ? AVMEDIA_TYPE_VIDEO : AVMEDIA_TYPE_AUDIO
        let index = av_find_best_stream(pointer, type, -1, -1, nil, 0)
        guard index >= 0 else { return nil }
        let info = streams[Int(index)]
        return info.isAttachedPicture ? nil : info
    }

    public func codecParameters(of index: Int) -> UnsafeMutablePointer<AVCodecParameters> {
        pointer.pointee.streams[index]!.pointee.codecpar
    }

    /// Reads the next packet into `packet`. Returns false at the end of the input.
    public func read(into packet: Packet) throws -> Bool {
        packet.unref()
        let code = av_read_frame(pointer, packet.pointer)
        if code == AVStatus.endOfFile { return false }
        try check(code, "reading \(path)")
        return true
    }

    /// Byte position reached in the file and its size, for truncation checks.
    public var bytePosition: (position: Int64, size: Int64) {
        guard let pb = pointer.pointee.pb else { return (0, 0) }
        return (avio_tell(pb), avio_size(pb))
    }

    private static func describe(_ stream: UnsafeMutablePointer<AVStream>, index: Int) -> StreamInfo {
        let par = stream.pointee.codecpar.pointee
        let kind: StreamInfo.Kind
        switch par.codec_type {
        case AVMEDIA_TYPE_VIDEO: kind = .video
        case AVMEDIA_TYPE_AUDIO: kind = .audio
        default: kind = .other
        }
        var rate = stream.pointee.avg_frame_rate
        if rate.num <= 0 || rate.den <= 0 { rate = stream.pointee.r_frame_rate }
        if rate.num <= 0 || rate.den <= 0 { rate = AVRational(num: 0, den: 1) }
        var sar = par.sample_aspect_ratio
        if sar.num <= 0 || sar.den <= 0 { sar = stream.pointee.sample_aspect_ratio }
        if sar.num <= 0 || sar.den <= 0 { sar = AVRational(num: 1, den: 1) }
        return StreamInfo(
            index: index,
            kind: kind,
            codecName: String(cString: avcodec_get_name(par.codec_id)),
            timeBase: TimeBase(stream.pointee.time_base),
            startTime: stream.pointee.start_time,
            duration: stream.pointee.duration,
            width: Int(par.width),
            height: Int(par.height),
            sampleAspectRatio: sar,
            rotation: rotation(of: stream),
            frameRate: rate,
            sampleRate: Int(par.sample_rate),
            channels: Int(par.ch_layout.nb_channels),
            isAttachedPicture: stream.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC != 0
        )
    }

    /// Reads the display matrix side data; FFmpeg's angle is counter-clockwise.
    private static func rotation(of stream: UnsafeMutablePointer<AVStream>) -> Int {
        guard let data = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, nil) else { return 0 }
        let angle = data.withMemoryRebound(to: Int32.self, capacity: 9) { av_display_rotation_get($0) }
        guard angle.isFinite else { return 0 }
        let clockwise = Int((-angle).rounded())
        let normalized = ((clockwise % 360) + 360) % 360
        return (normalized + 45) / 90 % 4 * 90
    }
}
