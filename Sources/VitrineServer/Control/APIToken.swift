// The bearer token guarding /v1 and the console's API calls. VITRINE_API_TOKEN (or the config
// file) wins; otherwise one is generated at first start, kept in DATA/api-token (owner-only) and
// printed once, so an operator can copy it. Compared in constant time: the time a wrong guess
// takes says nothing about how much of it was right.
import Foundation
import VitrineHLS
import VitrinePipeline

public struct APIToken: Sendable {
    public let value: String
    /// True when this start generated it (the caller prints it once).
    public let isNew: Bool

    public init(value: String, isNew: Bool = false) {
        self.value = value
        self.isNew = isNew
    }

    /// The configured token, else the stored one, else a new one that is stored.
    public static func resolve(configured: String?, dataDirectory: String) throws -> APIToken {
        if let configured { return APIToken(value: configured) }
        let path = (dataDirectory as NSString).appendingPathComponent("api-token")
        if let data = FileManager.default.contents(atPath: path),
           let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), text.utf8.count >= 16 {
            return APIToken(value: text)
        }
        let token = "vt_" + PlaybackIDs.makeID() + PlaybackIDs.makeID()
        do {
            try AtomicFileWriter.write(token + "\n", to: path, mode: 0o600)
        } catch {
            throw ConfigurationError("cannot write the API token to \(path): \(error)")
        }
        return APIToken(value: token, isNew: true)
    }

    /// Checks an Authorization header ("Bearer TOKEN").
    public func accepts(authorization: String?) -> Bool {
        guard let authorization, authorization.hasPrefix("Bearer ") else { return false }
        return Self.constantTimeEqual(Array(authorization.utf8.dropFirst(7)), Array(value.utf8))
    }

    /// Time depends on the lengths only, never on where the first difference is.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0 ..< max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}
