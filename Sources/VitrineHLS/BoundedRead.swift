// Reading back a file a job process could have written (a playlist, a master, a show record).
// The process is untrusted: it could leave a FIFO that blocks the reader forever, a link to
// elsewhere, or a file of gigabytes. So the file is opened without following a link and without
// blocking, checked to be a regular file of at most `maxBytes` on the open descriptor (no race
// with a swap), and read no further than that.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

public enum BoundedRead {
    public enum Refusal: Error, Equatable {
        /// A FIFO, device, socket, folder or link.
        case notRegular
        case tooLarge(Int)
        case unreadable(Int32)
    }

    /// The file's bytes; nil when there is no file at `path`.
    public static func data(_ path: String, maxBytes: Int) throws(Refusal) -> Data? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw errno == ELOOP ? .notRegular : .unreadable(errno)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(errno) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .notRegular }
        guard Int(info.st_size) <= maxBytes else { throw .tooLarge(Int(info.st_size)) }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw .unreadable(errno) }
            if n == 0 { break }
            count += n
        }
        return Data(bytes[..<count])
    }
}
