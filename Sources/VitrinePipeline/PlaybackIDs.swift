// Each stream key's playback id: random, URL-safe, and stable across restarts (kept in
// DIR/keys.json). The key is the publisher's secret; only the playback id is ever used in a
// path or URL, so the map file is readable by its owner alone.
import Foundation
import VitrineHLS

public enum PlaybackIDs {
    /// Every key in `DIR/keys.json` with its playback id, plus `keys` (new ones get a new id and
    /// the file is saved).
    public static func load(keys: [String], dataDirectory: String) throws -> [String: String] {
        let path = file(in: dataDirectory)
        var map: [String: String] = [:]
        if FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: String] else {
                throw TranscodeError.invalidArgument("\(path) is not a JSON object of stream key to playback id")
            }
            map = object
        }
        let missing = keys.filter { map[$0] == nil }
        for key in missing { map[key] = uniqueID(avoiding: map.values) }
        if !missing.isEmpty { try save(map, dataDirectory: dataDirectory) }
        return map
    }

    /// Writes the key -> playback id map atomically, readable by its owner alone.
    public static func save(_ map: [String: String], dataDirectory: String) throws {
        let path = file(in: dataDirectory)
        let data = try JSONSerialization.data(withJSONObject: map, options: [.sortedKeys, .prettyPrinted])
        do {
            try AtomicFileWriter.write(Array(data), to: path, mode: 0o600)
        } catch {
            throw TranscodeError.unwritableOutput("cannot write \(path): \(error)")
        }
    }

    /// A new id that is none of `taken`.
    public static func uniqueID<C: Collection>(avoiding taken: C) -> String where C.Element == String {
        var id = makeID()
        while taken.contains(id) { id = makeID() }
        return id
    }

    static func file(in dataDirectory: String) -> String {
        (dataDirectory as NSString).appendingPathComponent("keys.json")
    }

    /// Length of every id makeID() produces.
    public static let idLength = 16

    /// True when `text` could be an id this type made: exactly `idLength` base64url characters.
    /// The HTTP origin checks URL text with it before the text goes anywhere near a path.
    public static func isWellFormed<S: StringProtocol>(_ text: S) -> Bool {
        text.utf8.count == idLength && text.utf8.allSatisfy { byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }

    /// 96 random bits as 16 base64url characters.
    public static func makeID() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0 ..< 12).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }
}
