// One opened AVFormatContext (avformat_open_input ... avformat_close_input), owned by exactly one
// Swift object and closed once, in its deinit, so a Demuxer whose probing throws never closes it too.
import CFFmpeg

final class InputFormatContext {
    let pointer: UnsafeMutablePointer<AVFormatContext>

    /// Opens `path` reading local files only (`protocol_whitelist=file`: a playlist or a
    /// reference movie in an input folder can never make the worker fetch a URL) and, when
    /// `formats` is given, with only those demuxers (`format_whitelist`).
    init(path: String, formats: String?) throws {
        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        let options = OptionDictionary([("protocol_whitelist", "file")] + (formats.map { [("format_whitelist", $0)] } ?? []))
        // On failure avformat_open_input frees what it allocated and leaves `context` NULL.
        try check(avformat_open_input(&context, path, nil, &options.pointer), "opening \(path)")
        pointer = try allocated(context, "opening \(path)")
    }

    deinit {
        var p: UnsafeMutablePointer<AVFormatContext>? = pointer
        avformat_close_input(&p)
    }
}
