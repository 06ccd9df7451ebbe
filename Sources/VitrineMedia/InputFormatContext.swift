// One opened AVFormatContext (avformat_open_input ... avformat_close_input), owned by exactly one
// Swift object and closed once, in its deinit, so a Demuxer whose probing throws never closes it too.
import CFFmpeg

final class InputFormatContext {
    let pointer: UnsafeMutablePointer<AVFormatContext>

    init(path: String) throws {
        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        // On failure avformat_open_input frees what it allocated and leaves `context` NULL.
        try check(avformat_open_input(&context, path, nil, nil), "opening \(path)")
        pointer = try allocated(context, "opening \(path)")
    }

    deinit {
        var p: UnsafeMutablePointer<AVFormatContext>? = pointer
        avformat_close_input(&p)
    }
}
