// One file under DIR/hls read for a response, with the identity its ETag comes from. Files there
// are written by rename(2) (AtomicFileWriter), so a read sees a whole old or a whole new file, and
// a new version always has a new inode: inode + size + mtime is a strong validator.
import Foundation
import Hummingbird
#if canImport(Glibc)
import Glibc
#endif

public struct OriginFile: Sendable {
    public var bytes: [UInt8]
    public var etag: String
    public var modified: Date

    /// Reads `relativePath` (built from an OriginPath's validated components) under `root` whole;
    /// nil when it is missing, not a regular file, or a symbolic link.
    public static func read(root: String, relativePath: String) -> OriginFile? {
        guard let file = StreamedFile.open(root: root, relativePath: relativePath),
              let bytes = try? file.read(0 ..< file.size) else { return nil }
        return OriginFile(bytes: bytes, etag: file.etag, modified: file.modified)
    }

    /// A media playlist that carries EXT-X-ENDLIST is over (until its key publishes again).
    public var isEndedPlaylist: Bool {
        bytes.count >= 14 && String(decoding: bytes.suffix(64), as: UTF8.self).contains("#EXT-X-ENDLIST")
    }
}

/// What one origin response carries: bytes held whole (playlists, segments, parts) or a file
/// streamed from disk (a clip's MP4).
enum OriginContent {
    case held(OriginFile)
    case streamed(StreamedFile)

    var etag: String {
        switch self {
        case let .held(file): return file.etag
        case let .streamed(file): return file.etag
        }
    }

    var modified: Date {
        switch self {
        case let .held(file): return file.modified
        case let .streamed(file): return file.modified
        }
    }

    var size: Int {
        switch self {
        case let .held(file): return file.bytes.count
        case let .streamed(file): return file.size
        }
    }

    var isEndedPlaylist: Bool {
        if case let .held(file) = self { return file.isEndedPlaylist }
        return false
    }

    func body(_ range: Range<Int>) -> ResponseBody {
        switch self {
        case let .held(file): return ResponseBody(byteBuffer: ByteBuffer(bytes: file.bytes[range]))
        case let .streamed(file): return file.body(range)
        }
    }
}
