// A temporary HLS root with one stream, as the origin tests read it: a master playlist naming
// 720p, and 720p's media playlist with one segment listed.
import Foundation

enum OriginFixture {
    static let mediaPlaylist = "#EXTM3U\n#EXTINF:2.0,\nseg_00000.ts\n"

    /// The new root; the stream is at ROOT/`id`, its rendition at ROOT/`id`/720p.
    static func root(id: String, prefix: String) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))").path
        let rendition = "\(root)/\(id)/720p"
        try FileManager.default.createDirectory(atPath: rendition, withIntermediateDirectories: true)
        try Data("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n720p/index.m3u8\n".utf8).write(to: URL(fileURLWithPath: "\(root)/\(id)/master.m3u8"))
        try Data(mediaPlaylist.utf8).write(to: URL(fileURLWithPath: "\(rendition)/index.m3u8"))
        return root
    }
}
