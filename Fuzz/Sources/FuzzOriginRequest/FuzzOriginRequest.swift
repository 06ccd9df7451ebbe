// The origin's request parsing: the raw target (path and LL-HLS delivery directives) and a
// Range header. Whatever a client sends, a parsed path names only files Vitrine writes (no
// "..", no escapes, no hidden file), and a satisfiable range lies inside the file.
import VitrineServer

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOriginRequest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 4 else { return 0 }
    // The first 4 bytes are the file size for the Range header; the rest is split at the first
    // newline into a request target and a Range value.
    let fileSize = Int(data[0]) | Int(data[1]) << 8 | Int(data[2]) << 16 | Int(data[3] & 0x7F) << 24
    let text = String(decoding: UnsafeBufferPointer(start: data + 4, count: size - 4), as: UTF8.self)
    let pieces = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let target = String(pieces[0]), range = pieces.count > 1 ? String(pieces[1]) : nil

    if let path = OriginPath(target: target) {
        let names: [String]
        switch path.kind {
        case .master: names = [path.playbackID]
        case .download(let file): names = [path.playbackID, file]
        case .mediaPlaylist(let rendition): names = [path.playbackID, rendition]
        case .segment(let rendition, let file), .initSegment(let rendition, let file): names = [path.playbackID, rendition, file]
        }
        for name in names where name.isEmpty || name.hasPrefix(".") || name.contains("/") || name.contains("%") || name.contains("\0") {
            fatalError("the origin accepted \(target.debugDescription): component \(name.debugDescription)")
        }
    }
    _ = try? DeliveryDirectives(target: target)

    if case .satisfiable(let bytes) = ByteRange(header: range, size: fileSize) {
        guard bytes.lowerBound >= 0, bytes.upperBound < fileSize else {
            fatalError("range \(String(describing: range)) gave \(bytes) for a \(fileSize)-byte file")
        }
    }
    return 0
}
