// A custom AVIOContext that collects what a muxer writes in memory, so the packager decides
// where one segment ends and the next begins, and segments can be served from memory.
import CFFmpeg
import VitrineMedia

final class MemoryIO {
    private let io: CustomIOContext
    var context: UnsafeMutablePointer<AVIOContext> { io.pointer }
    /// The write callback's target, kept alive as long as the context that points at it.
    private let sink = ByteSink()

    /// Collects bytes written since the last `take()`.
    private final class ByteSink {
        var bytes: [UInt8] = []
    }

    init() throws {
        io = try CustomIOContext(bufferSize: 64 * 1024, opaque: Unmanaged.passUnretained(sink).toOpaque(), read: nil, write: { opaque, data, size in
            guard let opaque, let data, size > 0 else { return 0 }
            let sink = Unmanaged<ByteSink>.fromOpaque(opaque).takeUnretainedValue()
            sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(size)))
            return size
        }, seek: nil, "a muxer I/O context")
    }

    /// Pushes FFmpeg's buffered bytes through and hands back everything written so far.
    func take() -> [UInt8] {
        avio_flush(context)
        defer { sink.bytes.removeAll(keepingCapacity: true) }
        return sink.bytes
    }
}
