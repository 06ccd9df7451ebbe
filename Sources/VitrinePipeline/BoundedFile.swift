// Reading back a file a job process wrote (a playlist, a master, a show record): the process is
// untrusted, so the file must be a regular file (not a FIFO that blocks, not a link out) of a
// bounded size before a byte of it is read into serve's memory.
import Foundation

enum BoundedFile {
    /// The file's bytes; nil when there is none. Throws, naming `what`, for anything else than a
    /// regular file of at most `maxBytes`.
    static func data(at path: String, what: String, maxBytes: Int) throws -> Data? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        guard attributes[.type] as? FileAttributeType == .typeRegular, let size = attributes[.size] as? Int, size <= maxBytes else {
            throw TranscodeError.internalFailure("\(path) is not \(what) (not a regular file of at most \(maxBytes) bytes)")
        }
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// The file as UTF-8 text; throws when it is missing, too large or not a regular file.
    static func text(at path: String, what: String, maxBytes: Int) throws -> String {
        guard let data = try data(at: path, what: what, maxBytes: maxBytes) else {
            throw TranscodeError.internalFailure("cannot read \(what) \(path): no such file")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
