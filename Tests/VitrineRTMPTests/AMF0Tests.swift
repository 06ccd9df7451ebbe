// AMF0 tests: Adobe AMF0 specification section 2, known byte vectors and round trips.

import Testing
@testable import VitrineRTMP

@Suite struct AMF0Tests {
    static let vectors: [(AMF0Value, [UInt8])] = [
        (.number(1.0), [0x00, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0]),
        (.boolean(true), [0x01, 0x01]),
        (.boolean(false), [0x01, 0x00]),
        (.string("app"), [0x02, 0x00, 0x03, 0x61, 0x70, 0x70]),
        (.null, [0x05]),
        (.undefined, [0x06]),
        (.object([AMF0Property("a", .number(0))]),
         [0x03, 0x00, 0x01, 0x61, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x09]),
        (.ecmaArray([AMF0Property("w", .boolean(true))]),
         [0x08, 0, 0, 0, 1, 0x00, 0x01, 0x77, 0x01, 0x01, 0x00, 0x00, 0x09]),
        (.strictArray([.null, .boolean(false)]), [0x0A, 0, 0, 0, 2, 0x05, 0x01, 0x00]),
        (.date(0, timeZone: 0), [0x0B, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        (.longString("hi"), [0x0C, 0, 0, 0, 2, 0x68, 0x69]),
        (.object([]), [0x03, 0x00, 0x00, 0x09]),
    ]

    @Test func knownVectorsEncode() {
        for (value, bytes) in Self.vectors {
            #expect(AMF0Encoder.encode([value]) == bytes, "\(value)")
        }
    }

    @Test func knownVectorsDecode() throws {
        for (value, bytes) in Self.vectors {
            #expect(try AMF0Decoder.decodeAll(bytes) == [value], "\(value)")
        }
    }

    /// AMF0 works on whole message payloads: every strict prefix must say "truncated", never
    /// produce a value or crash, and the whole must decode.
    @Test func everyPrefixIsTruncated() throws {
        let command = RTMPReplies.connectResult(transactionID: 1).values
        let bytes = AMF0Encoder.encode(command)
        for cut in 0..<bytes.count {
            var decoder = AMF0Decoder(Array(bytes[0..<cut]))
            var sawTruncation = false
            while !decoder.isAtEnd {
                do { _ = try decoder.decode() } catch {
                    guard case .truncated = error else { Issue.record("prefix \(cut): \(error)"); break }
                    sawTruncation = true
                    break
                }
            }
            #expect(sawTruncation || cut == 0 || isValueBoundary(bytes, cut), "prefix \(cut)")
        }
        #expect(try AMF0Decoder.decodeAll(bytes) == command)
    }

    private func isValueBoundary(_ bytes: [UInt8], _ cut: Int) -> Bool {
        (try? AMF0Decoder.decodeAll(Array(bytes[0..<cut]))) != nil
    }

    @Test func roundTripNested() throws {
        let value: AMF0Value = .ecmaArray([
            AMF0Property("duration", .number(0)),
            AMF0Property("encoder", .string("Lavf59.27.100")),
            AMF0Property("nested", .object([AMF0Property("list", .strictArray([.number(1), .string("é"), .undefined]))])),
            AMF0Property("when", .date(1.7e12, timeZone: -60)),
            AMF0Property("", .null),
        ])
        #expect(try AMF0Decoder.decodeAll(AMF0Encoder.encode([value, .boolean(true)])) == [value, .boolean(true)])
    }

    @Test func longStringsSwitchMarker() throws {
        let long = String(repeating: "x", count: 70_000)
        let bytes = AMF0Encoder.encode([.string(long)])
        #expect(bytes[0] == 0x0C)
        #expect(try AMF0Decoder.decodeAll(bytes) == [.longString(long)])
    }

    @Test func depthLimit() throws {
        func nested(_ depth: Int) -> [UInt8] {
            var out = [UInt8]()
            for _ in 0..<depth { out += [0x03, 0x00, 0x01, 0x6B] }   // object, key "k"
            out += [0x05]
            for _ in 0..<depth { out += [0x00, 0x00, 0x09] }
            return out
        }
        // depth 64 is the last accepted: the outermost object is level 0.
        #expect(throws: Never.self) { try AMF0Decoder.decodeAll(nested(64)) }
        #expect(throws: AMF0Error.depthExceeded(limit: 64, offset: 256)) { try AMF0Decoder.decodeAll(nested(65)) }
        // Strict arrays nest the same way; 100_000 levels must not overflow the stack.
        let deepArrays = [UInt8](repeating: 0, count: 0) + Array(repeating: [0x0A, 0, 0, 0, 1], count: 100_000).flatMap { $0 }
        #expect(throws: AMF0Error.depthExceeded(limit: 64, offset: 320)) { try AMF0Decoder.decodeAll(deepArrays) }
    }

    @Test func hugeCountsAreRefusedBeforeAllocation() throws {
        #expect(throws: AMF0Error.countTooLarge(0xFFFF_FFFF, offset: 1)) {
            try AMF0Decoder.decodeAll([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x05])
        }
        // A long string declaring 4 GiB with 2 bytes behind it is simply truncated.
        #expect(throws: AMF0Error.truncated(offset: 1)) { try AMF0Decoder.decodeAll([0x0C, 0xFF, 0xFF, 0xFF, 0xFF, 0x41, 0x42]) }
        // The ECMA array count is a hint only; a lying one is harmless.
        #expect(try AMF0Decoder.decodeAll([0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x09]) == [.ecmaArray([])])
    }

    /// One byte on the wire per null, tens of bytes each in memory: a message decodes to at most
    /// maxAMF0Values values, and a strict array declaring more is refused before anything is
    /// reserved for it (a 10 MiB message used to reserve room for 10 million values).
    @Test func valuesPerMessageAreBudgeted() throws {
        let nulls = [UInt8](repeating: 0x05, count: 10_000)
        #expect(throws: AMF0Error.tooManyValues(limit: 4096, offset: 4096)) { try AMF0Decoder.decodeAll(nulls) }
        let array = [0x0A, 0x00, 0x98, 0x96, 0x80] + [UInt8](repeating: 0x05, count: 10_000_000)
        #expect(throws: AMF0Error.tooManyValues(limit: 4096, offset: 1)) { try AMF0Decoder.decodeAll(array) }
        let onMetaData = AMF0Encoder.encode(SessionTests.metadataValues)
        #expect(try AMF0Decoder.decodeAll(onMetaData, maxValues: 40).count == SessionTests.metadataValues.count)
        #expect(try AMF0Decoder.decodeAll(Array(nulls.prefix(4096))).count == 4096)
    }

    @Test func unsupportedMarkers() {
        for marker: UInt8 in [0x04, 0x07, 0x09, 0x0D, 0x10, 0x11, 0x12, 0xFF] {
            #expect(throws: AMF0Error.unsupportedMarker(marker, offset: 0)) { try AMF0Decoder.decodeAll([marker, 0, 0]) }
        }
    }
}
