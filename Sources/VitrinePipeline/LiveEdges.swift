// Where each rendition of a live stream has got to (its last segment and part), shared by the
// stream's sinks so each playlist can carry EXT-X-RENDITION-REPORTs for the others: a player
// switching rendition then asks the other playlist for a part that exists. Its own lock, taken
// inside a sink's and never calling out, so sinks never wait on each other.
import Foundation
import VitrineHLS

final class LiveEdges: @unchecked Sendable {
    private let lock = NSLock()
    private var edges: [String: (msn: Int, part: Int?)] = [:]
    private var names: [String] = []

    func update(_ name: String, msn: Int, part: Int?) {
        lock.withLock {
            if edges[name] == nil { names.append(name) }
            edges[name] = (msn, part)
        }
    }

    /// Reports of every rendition but `name`, in the order they first reported.
    func reports(besides name: String) -> [MediaPlaylist.RenditionReportTag] {
        lock.withLock {
            names.filter { $0 != name }.compactMap { other in
                edges[other].map { .init(uri: "../\(other)/\(LiveRenditionOutput.playlistName)", lastMSN: $0.msn, lastPart: $0.part) }
            }
        }
    }
}
