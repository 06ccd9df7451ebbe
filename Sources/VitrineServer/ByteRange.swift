// A single byte range request (RFC 9110 14.1.2 and 14.2): "bytes=a-b", "bytes=a-" or
// "bytes=-n". Players fetch segments in pieces; several ranges in one request, other units or
// text that does not parse are ignored and the whole file is served, which 14.2 allows.
public enum ByteRange: Equatable, Sendable {
    /// Serve these bytes (inclusive bounds, already clamped to the file) with 206.
    case satisfiable(ClosedRange<Int>)
    /// 416 with "Content-Range: bytes */size".
    case unsatisfiable
    /// Not a range this origin honours: serve the whole file with 200.
    case ignored

    public init(header: String?, size: Int) {
        guard let header, header.hasPrefix("bytes=") else { self = .ignored; return }
        let spec = header.dropFirst(6).trimmingSpaces
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { self = .ignored; return }
        let first = spec[..<dash].trimmingSpaces, last = spec[spec.index(after: dash)...].trimmingSpaces
        if first.isEmpty {
            // Suffix range: the last n bytes.
            guard let count = Self.number(last) else { self = .ignored; return }
            guard count > 0, size > 0 else { self = .unsatisfiable; return }
            self = .satisfiable(max(0, size - count)...(size - 1))
            return
        }
        guard let start = Self.number(first) else { self = .ignored; return }
        var end = size - 1
        if !last.isEmpty {
            guard let value = Self.number(last), value >= start else { self = .ignored; return }
            end = min(value, size - 1)
        }
        self = start < size ? .satisfiable(start...end) : .unsatisfiable
    }

    /// Decimal digits only, with an upper bound so that no header can overflow an Int.
    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int(text)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
