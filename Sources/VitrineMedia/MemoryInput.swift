// A custom AVIOContext that reads media held in memory, so a demuxer can probe and read bytes
// that are not a file (the demux fuzzer's inputs, and its replay tests): nothing is opened by
// name, so no protocol or file is ever reached. Seekable, as mp4 with its index at the end needs.
import CFFmpeg
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

final class MemoryInput {
    private let io: CustomIOContext
    var context: UnsafeMutablePointer<AVIOContext> { io.pointer }
    /// The callbacks' state, kept alive as long as the context that points at it.
    private let source: ByteSource

    private final class ByteSource {
        let bytes: [UInt8]
        var position = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }
    }

    /// avio's own buffer: small, so demuxers also meet reads that straddle its refills.
    private static let bufferSize = 4096

    init(bytes: [UInt8]) throws {
        source = ByteSource(bytes)
        io = try CustomIOContext(bufferSize: Self.bufferSize, opaque: Unmanaged.passUnretained(source).toOpaque(), read: { opaque, buffer, size in
            guard let opaque, let buffer, size > 0 else { return AVStatus.posix(EINVAL) }
            let source = Unmanaged<ByteSource>.fromOpaque(opaque).takeUnretainedValue()
            let count = min(Int(size), source.bytes.count - source.position)
            guard count > 0 else { return AVStatus.endOfFile }
            source.bytes.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress! + source.position, count: count) }
            source.position += count
            return Int32(count)
        }, write: nil, seek: { opaque, offset, whence in
            guard let opaque else { return Int64(AVStatus.posix(EINVAL)) }
            let source = Unmanaged<ByteSource>.fromOpaque(opaque).takeUnretainedValue()
            let size = Int64(source.bytes.count)
            // AVSEEK_FORCE only asks to seek even when it is slow: every seek here is cheap.
            let mode = whence & ~AVSEEK_FORCE
            if mode == AVSEEK_SIZE { return size }
            let base: Int64
            switch mode {
            case SEEK_SET: base = 0
            case SEEK_CUR: base = Int64(source.position)
            case SEEK_END: base = size
            default: return Int64(AVStatus.posix(EINVAL))
            }
            // A demuxer may compute any offset from the bytes it read: overflow and positions
            // outside the buffer are refused, not trapped on.
            let (target, overflow) = base.addingReportingOverflow(offset)
            guard !overflow, target >= 0, target <= size else { return Int64(AVStatus.posix(EINVAL)) }
            source.position = Int(target)
            return target
        }, "a memory input")
    }
}
