// A custom AVIOContext that collects what a muxer writes in memory, so the packager decides
// where one segment ends and the next begins, and segments can be served from memory.
import CFFmpeg
import VitrineMedia

final class MemoryIO {
    let context: UnsafeMutablePointer<AVIOContext>
    /// The write callback's target. A separate object, so the callback needs no `self` before
    /// `context` is set, and `context` can be a non-optional `let` the deinit can trust.
    private let sink = ByteSink()

    /// Collects bytes written since the last `take()`.
    private final class ByteSink {
        var bytes: [UInt8] = []
    }

    init() throws {
        let size = 64 * 1024
        let buffer = try allocated(av_malloc(size), "allocating a muxer buffer").assumingMemoryBound(to: UInt8.self)
        let opaque = Unmanaged.passUnretained(sink).toOpaque()
        guard let io = avio_alloc_context(buffer, Int32(size), 1, opaque, nil, { opaque, data, size in
            guard let opaque, let data, size > 0 else { return 0 }
            let sink = Unmanaged<ByteSink>.fromOpaque(opaque).takeUnretainedValue()
            sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(size)))
            return size
        }, nil) else {
            // No AVIOContext took the buffer, and `context` is unset so no deinit runs: free it here.
            av_free(buffer)
            throw MediaError.outOfMemory("allocating a muxer I/O context")
        }
        context = io
    }

    deinit {
        // avio may have replaced its buffer: free the one it holds now.
        av_freep(&context.pointee.buffer)
        var p: UnsafeMutablePointer<AVIOContext>? = context
        avio_context_free(&p)
    }

    /// Pushes FFmpeg's buffered bytes through and hands back everything written so far.
    func take() -> [UInt8] {
        avio_flush(context)
        defer { sink.bytes.removeAll(keepingCapacity: true) }
        return sink.bytes
    }
}
