// Writes a file so that it appears complete or not at all, even across a power loss: a hidden temp
// file created with its final mode (never chmod'ed after: a secret is never readable by others,
// not even for a moment), fsync'd, renamed over the old one, then the folder fsync'd so the rename
// itself is on disk. After a crash the path holds the old or the new content, never an empty file.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

public enum FileWriteError: Error, CustomStringConvertible, Equatable {
    case failed(path: String, operation: String, reason: String, errno: Int32)

    public var description: String {
        if case let .failed(path, operation, reason, _) = self { return "\(operation) \(path): \(reason)" }
        return ""
    }

    /// True when the disk (or quota) is full.
    public var isNoSpace: Bool {
        if case let .failed(_, _, _, code) = self { return code == ENOSPC || code == EDQUOT }
        return false
    }
}

public enum AtomicFileWriter {
    /// The name of `path`'s temp file while it is written (start-up clean-up removes leftovers).
    public static func isTempName(_ name: String) -> Bool { name.hasPrefix(".") && name.hasSuffix(".tmp") }

    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let temp = (directory as NSString).appendingPathComponent(".\((path as NSString).lastPathComponent).tmp")
        unlink(temp)
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw failure(path, "cannot create") }
        var written = 0
        let ok: Bool = bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                written += n
            }
            return true
        }
        if !ok {
            let error = failure(path, "cannot write")
            close(fd)
            unlink(temp)
            throw error
        }
        if fsync(fd) != 0 {
            let error = failure(path, "cannot flush")
            close(fd)
            unlink(temp)
            throw error
        }
        if close(fd) != 0 {
            let error = failure(path, "cannot write")
            unlink(temp)
            throw error
        }
        if rename(temp, path) != 0 {
            let error = failure(path, "cannot rename into")
            unlink(temp)
            throw error
        }
        try syncFolder(directory.isEmpty ? "." : directory, for: path)
    }

    public static func write(_ text: String, to path: String, mode: mode_t = 0o644) throws {
        try write(Array(text.utf8), to: path, mode: mode)
    }

    /// Makes a rename in `directory` durable.
    private static func syncFolder(_ directory: String, for path: String) throws {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(path, "cannot open the folder of") }
        defer { close(fd) }
        if fsync(fd) != 0 { throw failure(path, "cannot flush the folder of") }
    }

    private static func failure(_ path: String, _ operation: String) -> FileWriteError {
        let code = errno
        return .failed(path: path, operation: operation, reason: String(cString: strerror(code)), errno: code)
    }
}
