// One AVIOContext over custom callbacks (a muxer writing to memory, a demuxer reading from it)
// and the av_malloc'd buffer it goes through, owned by exactly one Swift object and freed once,
// in its deinit. An init that throws has freed what it allocated and leaves nothing to free.
import CFFmpeg

public final class CustomIOContext {
    public typealias Transfer = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, Int32) -> Int32
    public typealias Seek = @convention(c) (UnsafeMutableRawPointer?, Int64, Int32) -> Int64

    public let pointer: UnsafeMutablePointer<AVIOContext>

    /// `opaque` is handed to every callback; whoever owns this object keeps what it points at
    /// alive as long as this object lives. `what` names the context in an allocation failure.
    public init(bufferSize: Int, opaque: UnsafeMutableRawPointer, read: Transfer?, write: Transfer?, seek: Seek?, _ what: String) throws {
        let size = try cInt(bufferSize, "\(what) buffer size")
        let buffer = try allocated(av_malloc(bufferSize), "allocating a buffer for \(what)").assumingMemoryBound(to: UInt8.self)
        guard let io = avio_alloc_context(buffer, size, write == nil ? 0 : 1, opaque, read, write, seek) else {
            // No AVIOContext took the buffer, and `pointer` is unset so no deinit runs: free it here.
            av_free(buffer)
            throw MediaError.outOfMemory("allocating \(what)")
        }
        pointer = io
    }

    deinit {
        // avio may have replaced its buffer: free the one it holds now.
        av_freep(&pointer.pointee.buffer)
        var p: UnsafeMutablePointer<AVIOContext>? = pointer
        avio_context_free(&p)
    }
}
