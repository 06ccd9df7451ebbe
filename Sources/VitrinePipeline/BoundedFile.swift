// Reading back a file a job process wrote (a master, a media playlist, a show record) through
// BoundedRead (VitrineHLS), with the pipeline's error naming what the file should have been.
import Foundation
import VitrineHLS

enum BoundedFile {
    /// The file's bytes; nil when there is none. Throws, naming `what`, for anything else than a
    /// regular file of at most `maxBytes`.
    static func data(at path: String, what: String, maxBytes: Int) throws -> Data? {
        do { return try BoundedRead.data(path, maxBytes: maxBytes) } catch {
            throw TranscodeError.internalFailure("\(path) is not \(what) (not a regular file of at most \(maxBytes) bytes)")
        }
    }

    /// The file as UTF-8 text; throws when it is missing, too large or not a regular file.
    static func text(at path: String, what: String, maxBytes: Int) throws -> String {
        guard let data = try data(at: path, what: what, maxBytes: maxBytes) else {
            throw TranscodeError.internalFailure("cannot read \(what) \(path): no such file")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
