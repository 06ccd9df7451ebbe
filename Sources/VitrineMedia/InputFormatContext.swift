// One opened AVFormatContext (avformat_open_input ... avformat_close_input), owned by exactly one
// Swift object and closed once, in its deinit, so a Demuxer whose probing throws never closes it too.
import CFFmpeg

final class InputFormatContext {
    let pointer: UnsafeMutablePointer<AVFormatContext>
    /// The custom I/O of an input read from memory. Stored properties outlive the deinit body,
    /// so it is freed only after the format context that reads through it is closed.
    private let memory: MemoryInput?

    /// Opens `path` reading local files only (`protocol_whitelist=file`: a playlist or a
    /// reference movie in an input folder can never make the worker fetch a URL) and, when
    /// `formats` is given, with only those demuxers (`format_whitelist`).
    init(path: String, formats: String?) throws {
        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        let options = OptionDictionary([("protocol_whitelist", "file")] + (formats.map { [("format_whitelist", $0)] } ?? []))
        // On failure avformat_open_input frees what it allocated and leaves `context` NULL.
        try check(avformat_open_input(&context, path, nil, &options.pointer), "opening \(path)")
        pointer = try allocated(context, "opening \(path)")
        memory = nil
    }

    /// Opens media held in memory, with only `formats` when given. Nothing is opened by name;
    /// the protocol whitelist names no protocol, so a demuxer that would open another resource
    /// (a reference movie, a playlist entry) is refused instead.
    init(bytes: [UInt8], formats: String?) throws {
        let memory = try MemoryInput(bytes: bytes)
        let allocatedContext = try allocated(avformat_alloc_context(), "allocating a demuxer")
        // CUSTOM_IO: closing the context leaves `pb` alone; MemoryInput frees it, once.
        allocatedContext.pointee.pb = memory.context
        allocatedContext.pointee.flags |= AVFMT_FLAG_CUSTOM_IO
        var opened: UnsafeMutablePointer<AVFormatContext>? = allocatedContext
        let options = OptionDictionary([("protocol_whitelist", "none")] + (formats.map { [("format_whitelist", $0)] } ?? []))
        // On failure avformat_open_input frees the context it was given and leaves `opened` NULL;
        // `memory` is released by Swift as this init throws.
        try check(avformat_open_input(&opened, nil, nil, &options.pointer), "opening media in memory")
        pointer = try allocated(opened, "opening media in memory")
        self.memory = memory
    }

    deinit {
        var p: UnsafeMutablePointer<AVFormatContext>? = pointer
        avformat_close_input(&p)
    }
}
