// A clip's MP4: the packets of one rendition's clip playlist copied into an MP4 by libavformat (the
// hls demuxer reads the segments, the mp4 muxer converts ADTS AAC and Annex B H.264 itself), with
// the moov atom first so it plays while it downloads. Written to a temp name and renamed.
import CFFmpeg
import Foundation
import VitrineHLS
import VitrineMedia

enum ClipRemuxer {
    static func remux(playlist: String, to path: String) throws {
        let temp = path + ".tmp"
        do {
            try write(playlist: playlist, to: temp)
        } catch {
            unlink(temp)
            if let error = error as? MediaError, error.code == AVStatus.posix(ENOSPC) { throw TranscodeError.diskFull("disk full writing \(path)") }
            throw TranscodeError.internalFailure("remuxing \(playlist) to \(path): \(error)")
        }
        guard rename(temp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            throw TranscodeError.unwritableOutput("cannot rename \(temp) to \(path): \(reason)")
        }
    }

    private static func write(playlist: String, to path: String) throws {
        // Our own clip playlist and its TS or fMP4 segments.
        let input = try Demuxer(path: playlist, formats: "hls,mpegts,mov,mp4,m4a,3gp,3g2,mj2")
        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        try check(avformat_alloc_output_context2(&context, nil, "mp4", path), "creating the mp4 muxer for \(path)")
        guard let output = context else { throw MediaError.outOfMemory("mp4 muxer for \(path)") }
        defer {
            if output.pointee.pb != nil { avio_closep(&output.pointee.pb) }
            avformat_free_context(output)
        }
        // Input stream index -> output stream index, for the audio and video we keep.
        var mapping: [Int: Int32] = [:]
        for info in input.streams where (info.kind == .video && !info.isAttachedPicture) || info.kind == .audio {
            guard let stream = avformat_new_stream(output, nil) else { throw MediaError.outOfMemory("mp4 stream for \(path)") }
            try check(avcodec_parameters_copy(stream.pointee.codecpar, input.codecParameters(of: info.index)), "copying codec parameters")
            stream.pointee.codecpar.pointee.codec_tag = 0
            stream.pointee.time_base = info.timeBase.rational
            mapping[info.index] = stream.pointee.index
        }
        guard !mapping.isEmpty else { throw MediaError.unsupported("\(playlist) has no audio or video") }
        // Start at zero whatever PTS the show's segments carried.
        output.pointee.avoid_negative_ts = AVFMT_AVOID_NEG_TS_MAKE_ZERO
        try check(avio_open(&output.pointee.pb, path, AVIO_FLAG_WRITE), "opening \(path)")
        var options: OpaquePointer? = nil
        av_dict_set(&options, "movflags", "+faststart", 0)
        defer { av_dict_free(&options) }
        try check(avformat_write_header(output, &options), "writing the mp4 header of \(path)")
        let packet = try Packet()
        while try input.read(into: packet) {
            guard let target = mapping[packet.streamIndex] else { continue }
            let from = input.streams[packet.streamIndex].timeBase.rational
            let to = output.pointee.streams[Int(target)]!.pointee.time_base
            av_packet_rescale_ts(packet.pointer, from, to)
            packet.pointer.pointee.stream_index = target
            packet.pointer.pointee.pos = -1
            try check(av_interleaved_write_frame(output, packet.pointer), "writing a packet to \(path)")
        }
        try check(av_write_trailer(output), "finishing \(path)")
    }
}
