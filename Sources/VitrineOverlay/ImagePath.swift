// A card's `image` is a name inside the images folder, never a way out of it: what an operator or a
// cards file names there goes out burned into the public stream, so an absolute path, a `..` or a
// symbolic link that leads elsewhere (keys.json, another seller's images) is refused before any
// file is opened.
import Foundation

enum ImagePath {
    static func confined(_ name: String, in folder: URL) throws(ImageError) -> URL {
        guard !name.isEmpty, name.utf8.count <= 255 * 4, !name.hasPrefix("/"), !name.utf8.contains(0),
              !name.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == ".." }) else {
            throw .outsideFolder
        }
        let candidate = folder.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: candidate.path) else { throw .missing }
        // Links are followed, then the real path must still be inside the real folder.
        guard let root = realPath(folder.path), let real = realPath(candidate.path),
              real.hasPrefix(root.hasSuffix("/") ? root : root + "/") else { throw .outsideFolder }
        return URL(fileURLWithPath: real)
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
