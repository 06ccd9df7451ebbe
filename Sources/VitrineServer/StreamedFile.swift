// A file under DIR/hls opened for a response and read piece by piece: a live clip's MP4 is tens
// of MB, so it goes out in chunks read off the cooperative pool instead of being held whole for
// every (range) request. OriginFile reads small files whole through the same open.
//
// One owner for the descriptor: this object closes it once, when the response body is done with
// it or, for HEAD, 304 and 416 answers that never send a body, when the response is dropped.
import Foundation
import Hummingbird
#if canImport(Glibc)
import Glibc
#endif

final class StreamedFile: Sendable {
    let descriptor: CInt
    let size: Int
    let etag: String
    let modified: Date
    /// Read and written per step: large enough for few system calls, small enough to keep a
    /// thousand downloads in a few hundred MB.
    static let chunkBytes = 256 * 1024

    private init(descriptor: CInt, size: Int, etag: String, modified: Date) {
        self.descriptor = descriptor
        self.size = size
        self.etag = etag
        self.modified = modified
    }

    deinit { close(descriptor) }

    /// Opens `relativePath` (built from an OriginPath's validated components) under `root`; nil
    /// when it is missing, not a regular file, or a symbolic link (O_NOFOLLOW: nothing under the
    /// HLS root may point the origin elsewhere).
    static func open(root: String, relativePath: String) -> StreamedFile? {
        let path = (root as NSString).appendingPathComponent(relativePath)
        let fd = Glibc.open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            return nil
        }
        let size = Int(info.st_size)
        let nanos = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        let etag = "\"\(String(info.st_ino, radix: 16))-\(String(size, radix: 16))-\(String(nanos, radix: 16))\""
        return StreamedFile(descriptor: fd, size: size, etag: etag, modified: Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec)))
    }

    struct ShortRead: Error, CustomStringConvertible {
        var description: String
    }

    /// The bytes of `range` (inside 0..<size), by pread: the file was renamed into place whole,
    /// so a shorter read means it was truncated under us, which is an error, not a short body.
    func read(_ range: Range<Int>) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: range.count)
        var done = 0
        while done < range.count {
            let n = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, range.count - done, off_t(range.lowerBound + done)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw ShortRead(description: "read \(done) of \(range.count) bytes at \(range.lowerBound): errno \(errno)") }
            done += n
        }
        return bytes
    }

    /// A body that streams `range`, each chunk read on the blocking pool.
    func body(_ range: Range<Int>) -> ResponseBody {
        ResponseBody(contentLength: range.count) { writer in
            var offset = range.lowerBound
            while offset < range.upperBound {
                let piece = offset ..< min(offset + Self.chunkBytes, range.upperBound)
                let bytes = try await OffPool.run { try self.read(piece) }
                try await writer.write(ByteBuffer(bytes: bytes))
                offset = piece.upperBound
            }
            try await writer.finish(nil)
        }
    }
}
