// One file under DIR/hls read for a response, with the identity its ETag comes from. Files there
// are written by rename(2) (AtomicFileWriter), so a read sees a whole old or a whole new file, and
// a new version always has a new inode: inode + size + mtime is a strong validator.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

public struct OriginFile: Sendable {
    public var bytes: [UInt8]
    public var etag: String
    public var modified: Date

    /// Reads `relativePath` (built from an OriginPath's validated components) under `root`; nil
    /// when it is missing, not a regular file, or a symbolic link (O_NOFOLLOW: nothing under the
    /// HLS root may point the origin elsewhere).
    public static func read(root: String, relativePath: String) -> OriginFile? {
        let path = (root as NSString).appendingPathComponent(relativePath)
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + done, size - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            done += n
        }
        let nanos = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        let etag = "\"\(String(info.st_ino, radix: 16))-\(String(size, radix: 16))-\(String(nanos, radix: 16))\""
        return OriginFile(bytes: bytes, etag: etag,
                          modified: Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec)))
    }

    /// A media playlist that carries EXT-X-ENDLIST is over (until its key publishes again).
    public var isEndedPlaylist: Bool {
        bytes.count >= 14 && String(decoding: bytes.suffix(64), as: UTF8.self).contains("#EXT-X-ENDLIST")
    }
}
