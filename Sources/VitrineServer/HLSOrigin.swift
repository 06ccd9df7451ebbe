// The HLS origin's answers, as a plain function of the request: no port, no router, so route
// tests call it directly. Only OriginPath decides what a URL may name; the file is then read
// from the HLS root by its validated parts. Conditional GET (RFC 9110 13.1.2), byte ranges on
// media (14.2) and HEAD (9.3.2, same headers as GET and no body) are handled here; CORS is
// open because browser players on any site fetch the stream.
import Foundation
import Hummingbird
import VitrinePipeline

public struct HLSOrigin: Sendable {
    public let root: String
    /// Live files as they are made; anything not there is read from disk.
    public let memory: LiveHLSMemory?

    /// Hands each player a session token in its master playlist and counts viewers from media
    /// playlist requests; nil: neither (route tests).
    public let viewers: ViewerSessions?

    /// `root`: the HLS folder, DIR/hls.
    public init(root: String, memory: LiveHLSMemory? = nil, viewers: ViewerSessions? = nil) {
        self.root = root
        self.memory = memory
        self.viewers = viewers
    }

    /// Answers at once, except an LL-HLS blocking reload or a request for the part being cut,
    /// which wait (without a thread) for what they ask. `client`: whom new viewer tokens are
    /// counted against (ClientAddress.key).
    public func respond(method: HTTPRequest.Method, target: String, headers: HTTPFields, client: String = "?") async -> Response {
        if method == .options { return Self.preflight() }
        guard method == .get || method == .head else {
            var fields = Self.corsFields()
            fields[.allow] = "GET, HEAD, OPTIONS"
            return Response(status: .methodNotAllowed, headers: fields)
        }
        guard let path = OriginPath(target: target) else { return Response(status: .notFound, headers: Self.corsFields()) }
        // The master's token, and the viewer a media playlist request is (counted once found).
        var token: String?, viewer: String?
        if let viewers {
            switch path.kind {
            case .master: token = viewers.token(forMaster: target, playbackID: path.playbackID, client: client)
            case .mediaPlaylist: viewer = viewers.session(ofMediaPlaylist: target, playbackID: path.playbackID)
            case .segment, .initSegment, .download: break
            }
        }
        var directives = DeliveryDirectives(msn: nil, part: nil, skip: nil)
        // Delivery directives mean something only to the memory-served live playlists.
        if memory != nil, case .mediaPlaylist = path.kind {
            do { directives = try DeliveryDirectives(target: target) } catch { return Self.refusal(.badRequest, "\(error)") }
        }
        var blocked = false
        if let memory {
            switch await LowLatencyWait.hold(path, directives: directives, memory: memory) {
            case .proceed: break
            case .answered: blocked = true
            case let .refuse(status, reason): return Self.refusal(status, reason)
            }
        }
        // A delta update (_HLS_skip=YES or v2), when the playlist has one.
        var stored = path.relativePath
        if directives.skip != nil, let delta = path.besides(LiveHLSMemory.deltaName), memory?.entry(delta) != nil { stored = delta }
        let response = await answer(method: method, path: path, stored: stored, headers: headers, blockingReload: blocked, viewerToken: token)
        // Only a stream the origin has is counted: a made-up playback id takes no room.
        if let viewer, let viewers, response.status == .ok || response.status == .notModified {
            viewers.counter.saw(playbackID: path.playbackID, session: viewer)
        }
        return response
    }

    static func refusal(_ status: HTTPResponse.Status, _ reason: String) -> Response {
        var fields = corsFields()
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: reason + "\n")))
    }

    /// `stored`: where the answer's bytes are kept (the path's own, or its playlist's delta update).
    /// `viewerToken`: a master playlist is answered with it on every URI, privately.
    func answer(method: HTTPRequest.Method, path: OriginPath, stored: String, headers: HTTPFields, blockingReload: Bool,
                viewerToken: String? = nil) async -> Response {
        guard let content = await content(path: path, stored: stored, viewerToken: viewerToken) else {
            return Response(status: .notFound, headers: Self.corsFields())
        }
        var fields = Self.corsFields()
        fields[.contentType] = path.kind.contentType
        fields[.cacheControl] = path.kind.cacheControl(endedPlaylist: path.kind == .master ? false : content.isEndedPlaylist,
                                                       blockingReload: blockingReload)
        // Each player's master names its own token: no shared cache may hand it to another.
        if viewerToken != nil { fields[.cacheControl] = "private, no-store" }
        fields[.eTag] = content.etag
        fields[.lastModified] = Self.httpDate(content.modified)
        if path.kind.acceptsRanges { fields[.acceptRanges] = "bytes" }

        if let tags = headers[.ifNoneMatch], Self.matches(tags, etag: content.etag) {
            return Response(status: .notModified, headers: fields)
        }
        let size = content.size
        var status = HTTPResponse.Status.ok
        var range = 0 ..< size
        if path.kind.acceptsRanges, Self.rangeApplies(headers, etag: content.etag) {
            switch ByteRange(header: headers[.range], size: size) {
            case let .satisfiable(bytes):
                status = .partialContent
                range = bytes.lowerBound ..< bytes.upperBound + 1
                fields[.contentRange] = "bytes \(bytes.lowerBound)-\(bytes.upperBound)/\(size)"
            case .unsatisfiable:
                fields[.contentRange] = "bytes */\(size)"
                return Response(status: .rangeNotSatisfiable, headers: fields)
            case .ignored:
                break
            }
        }
        fields[.contentLength] = "\(range.count)"
        if method == .head { return Response(status: status, headers: fields) }
        return Response(status: status, headers: fields, body: content.body(range))
    }

    /// What the path's answer carries: the live file in memory, else the file on disk (read off
    /// the cooperative pool; a download is streamed, not read whole); nil when there is none.
    private func content(path: OriginPath, stored: String, viewerToken: String?) async -> OriginContent? {
        let root = root, relativePath = path.relativePath
        if case .download = path.kind {
            guard let file = try? await OffPool.run({ StreamedFile.open(root: root, relativePath: relativePath) }) else { return nil }
            return .streamed(file)
        }
        var file = memory?.entry(stored).map { OriginFile(bytes: $0.bytes, etag: $0.etag, modified: $0.modified) }
        if file == nil {
            file = (try? await OffPool.run { OriginFile.read(root: root, relativePath: relativePath) }) ?? nil
        }
        guard var file else { return nil }
        if let viewerToken {
            file = OriginFile(bytes: ViewerTokens.tag(master: file.bytes, token: viewerToken),
                              etag: String(file.etag.dropLast()) + "-\(viewerToken)\"", modified: file.modified)
        }
        return .held(file)
    }

    /// CORS preflight: browsers ask before sending Range or If-None-Match from another origin.
    static func preflight() -> Response {
        var fields = corsFields()
        fields[.accessControlAllowMethods] = "GET, HEAD, OPTIONS"
        fields[.accessControlAllowHeaders] = "Range, If-None-Match, If-Range"
        fields[.accessControlMaxAge] = "86400"
        fields[.contentLength] = "0"
        return Response(status: .noContent, headers: fields)
    }

    static func corsFields() -> HTTPFields {
        var fields = HTTPFields()
        fields[.accessControlAllowOrigin] = "*"
        // Without this a player script cannot read the validators and range answers.
        fields[.accessControlExposeHeaders] = "Content-Length, Content-Range, ETag, Accept-Ranges"
        return fields
    }

    /// If-None-Match uses the weak comparison (RFC 9110 13.1.2): W/ prefixes do not count.
    static func matches(_ header: String, etag: String) -> Bool {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        if trimmed == "*" { return true }
        let opaque = { (tag: Substring) -> Substring in
            let t = tag.drop { $0 == " " || $0 == "\t" }
            return t.hasPrefix("W/") ? t.dropFirst(2) : t
        }
        return trimmed.split(separator: ",").contains { opaque($0).trimmingCharacters(in: .whitespaces) == opaque(Substring(etag)) }
    }

    /// If-Range (RFC 9110 13.1.5): a range applies only while the client's copy is current.
    static func rangeApplies(_ headers: HTTPFields, etag: String) -> Bool {
        guard let ifRange = headers[.ifRange]?.trimmingCharacters(in: .whitespaces) else { return true }
        return ifRange == etag
    }

    /// IMF-fixdate (RFC 9110 5.6.7), for every file served: gmtime and strftime in the C locale,
    /// since a DateFormatter made per response costs more than serving a small part.
    static func httpDate(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return "" }
        var buffer = [CChar](repeating: 0, count: 40)
        let count = strftime(&buffer, buffer.count, "%a, %d %b %Y %H:%M:%S GMT", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
