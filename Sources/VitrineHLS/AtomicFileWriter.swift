// Writes a file so that it appears complete or not at all: a hidden temp file, then rename(2).
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
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let temp = (directory as NSString).appendingPathComponent(".\((path as NSString).lastPathComponent).tmp")
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
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
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    private static func failure(_ path: String, _ operation: String) -> FileWriteError {
        let code = errno
        return .failed(path: path, operation: operation, reason: String(cString: strerror(code)), errno: code)
    }
}
