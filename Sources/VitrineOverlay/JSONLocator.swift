// JSONLocator.swift - finds where a coding path lives in the raw JSON bytes, and where the first
// syntax error is, so that validation errors can name a line as well as a field.
//
// JSONDecoder's errors carry a coding path but no position; this is a small bounded scanner
// (RFC 8259 grammar, depth-capped) that walks the document once per error, never per frame.

/// One step of a path: an object key or an array index.
enum JSONPathStep: Equatable {
    case key(String)
    case index(Int)
}

/// A line and column, both 1-based.
struct JSONPosition: Equatable {
    let line: Int
    let column: Int
}

struct JSONLocator {
    private let bytes: [UInt8]
    private var offset = 0
    private var path: [JSONPathStep] = []
    private var target: [JSONPathStep] = []
    private var found: Int?
    private static let maxDepth = 256

    private struct SyntaxError: Error { let offset: Int }

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Position of the value at `path`, or nil when the path is not in the document.
    static func position(of path: [JSONPathStep], in bytes: [UInt8]) -> JSONPosition? {
        var locator = JSONLocator(bytes)
        locator.target = path
        _ = try? locator.parseDocument()
        return locator.found.map { position(atOffset: $0, in: bytes) }
    }

    /// Position of the first byte that breaks the JSON grammar, or nil for a valid document.
    static func syntaxError(in bytes: [UInt8]) -> JSONPosition? {
        var locator = JSONLocator(bytes)
        do {
            try locator.parseDocument()
            return nil
        } catch let error as SyntaxError {
            return position(atOffset: min(error.offset, bytes.count), in: bytes)
        } catch {
            return nil
        }
    }

    static func position(atOffset offset: Int, in bytes: [UInt8]) -> JSONPosition {
        var line = 1
        var lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        // Column counts UTF-8 scalars, not bytes, so accented text does not skew it.
        let column = bytes[lineStart..<min(offset, bytes.count)].filter { $0 & 0xC0 != 0x80 }.count + 1
        return JSONPosition(line: line, column: column)
    }

    private mutating func parseDocument() throws {
        skipSpace()
        try parseValue(depth: 0)
        skipSpace()
        if offset != bytes.count { throw SyntaxError(offset: offset) }
    }

    private mutating func parseValue(depth: Int) throws {
        guard depth < Self.maxDepth else { throw SyntaxError(offset: offset) }
        if found == nil, path == target { found = offset }
        guard offset < bytes.count else { throw SyntaxError(offset: offset) }
        switch bytes[offset] {
        case UInt8(ascii: "{"): try parseObject(depth: depth)
        case UInt8(ascii: "["): try parseArray(depth: depth)
        case UInt8(ascii: "\""): _ = try parseString()
        case UInt8(ascii: "t"): try expect("true")
        case UInt8(ascii: "f"): try expect("false")
        case UInt8(ascii: "n"): try expect("null")
        default: try parseNumber()
        }
    }

    private mutating func parseObject(depth: Int) throws {
        offset += 1
        skipSpace()
        if peek(UInt8(ascii: "}")) { offset += 1; return }
        while true {
            skipSpace()
            guard peek(UInt8(ascii: "\"")) else { throw SyntaxError(offset: offset) }
            let key = try parseString()
            skipSpace()
            guard peek(UInt8(ascii: ":")) else { throw SyntaxError(offset: offset) }
            offset += 1
            skipSpace()
            path.append(.key(key))
            try parseValue(depth: depth + 1)
            path.removeLast()
            skipSpace()
            if peek(UInt8(ascii: ",")) { offset += 1; continue }
            if peek(UInt8(ascii: "}")) { offset += 1; return }
            throw SyntaxError(offset: offset)
        }
    }

    private mutating func parseArray(depth: Int) throws {
        offset += 1
        skipSpace()
        if peek(UInt8(ascii: "]")) { offset += 1; return }
        var index = 0
        while true {
            skipSpace()
            path.append(.index(index))
            try parseValue(depth: depth + 1)
            path.removeLast()
            index += 1
            skipSpace()
            if peek(UInt8(ascii: ",")) { offset += 1; continue }
            if peek(UInt8(ascii: "]")) { offset += 1; return }
            throw SyntaxError(offset: offset)
        }
    }

    private mutating func parseString() throws -> String {
        let start = offset + 1
        offset += 1
        var escaped = false
        while offset < bytes.count {
            let b = bytes[offset]
            if escaped {
                escaped = false
            } else if b == UInt8(ascii: "\\") {
                escaped = true
            } else if b == UInt8(ascii: "\"") {
                offset += 1
                // Keys with escapes are rare in cards files; decoding them raw is enough to match paths.
                return String(decoding: bytes[start..<(offset - 1)], as: UTF8.self)
            } else if b < 0x20 {
                throw SyntaxError(offset: offset)
            }
            offset += 1
        }
        throw SyntaxError(offset: offset)
    }

    private mutating func parseNumber() throws {
        let start = offset
        if peek(UInt8(ascii: "-")) { offset += 1 }
        let digitsStart = offset
        while offset < bytes.count, isNumberByte(bytes[offset]) { offset += 1 }
        if offset == digitsStart || offset == start { throw SyntaxError(offset: start) }
    }

    private func isNumberByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: ".") || b == UInt8(ascii: "e")
            || b == UInt8(ascii: "E") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-")
    }

    private mutating func expect(_ word: String) throws {
        for b in word.utf8 {
            guard offset < bytes.count, bytes[offset] == b else { throw SyntaxError(offset: offset) }
            offset += 1
        }
    }

    private func peek(_ b: UInt8) -> Bool {
        offset < bytes.count && bytes[offset] == b
    }

    private mutating func skipSpace() {
        while offset < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[offset]) { offset += 1 }
    }
}
