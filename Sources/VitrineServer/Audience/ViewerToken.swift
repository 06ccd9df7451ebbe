// ViewerToken.swift - the playback session token an origin hands out in master playlists
// (`?vs=TOKEN`), and checks on media playlist requests. A token is signed: base64url of
// nonce (8 bytes) | mint time (4, seconds since 1970) | HMAC-SHA256 over the playback id, nonce
// and time under a server secret, cut to 12 bytes. So only this server makes tokens that count,
// a token is good for one stream only, and an old one runs out. The secret is kept in
// DATA/viewer-secret (owner-only), so tokens outlive a restart.
import Crypto
import Foundation
import VitrineHLS

public struct ViewerTokens: Sendable {
    /// The key's bytes (swift-crypto's SymmetricKey is not Sendable; one is made per MAC).
    private let secret: [UInt8]
    static let nonceBytes = 8, timeBytes = 4, macBytes = 12
    /// 24 bytes in base64url: 32 characters, no padding.
    static let textLength = 32
    /// A player keeps its token for the session; one older than this is not counted (a show
    /// is watched for hours, not days) and a master reload hands it a new one.
    static let lifetime: TimeInterval = 12 * 3600
    static let secretFile = "viewer-secret"

    init(secret: [UInt8]) {
        self.secret = secret
    }

    /// The stored secret, else a new one, stored with mode 0600.
    public static func load(dataDirectory: String) throws -> ViewerTokens {
        let path = (dataDirectory as NSString).appendingPathComponent(secretFile)
        if let data = FileManager.default.contents(atPath: path), data.count >= 32 {
            return ViewerTokens(secret: Array(data))
        }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        do {
            try AtomicFileWriter.write(secret, to: path, mode: 0o600)
        } catch {
            throw ConfigurationError("cannot write the viewer token secret to \(path): \(error)")
        }
        return ViewerTokens(secret: secret)
    }

    /// A new token for a player of `playbackID`.
    func mint(playbackID: String, at date: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        let nonce = (0..<Self.nonceBytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let seconds = UInt32(clamping: Int(date.timeIntervalSince1970))
        let time = (0..<Self.timeBytes).map { UInt8(truncatingIfNeeded: seconds >> (24 - 8 * $0)) }
        return Self.base64url(nonce + time + mac(playbackID: playbackID, nonceAndTime: nonce + time))
    }

    /// True when `token` was minted here for `playbackID`, within its lifetime of `date`.
    func isValid(_ token: String, playbackID: String, at date: Date = Date()) -> Bool {
        guard token.utf8.count == Self.textLength, let bytes = Self.unbase64url(token),
              bytes.count == Self.nonceBytes + Self.timeBytes + Self.macBytes else { return false }
        let signed = Array(bytes.prefix(Self.nonceBytes + Self.timeBytes))
        guard APIToken.constantTimeEqual(Array(bytes.suffix(Self.macBytes)), mac(playbackID: playbackID, nonceAndTime: signed)) else {
            return false
        }
        let minted = signed.suffix(Self.timeBytes).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let age = date.timeIntervalSince1970 - TimeInterval(minted)
        // A minute of clock slack between workers that share a secret folder.
        return age >= -60 && age <= Self.lifetime
    }

    private func mac(playbackID: String, nonceAndTime: [UInt8]) -> [UInt8] {
        let message = Array("vs1|\(playbackID)|".utf8) + nonceAndTime
        return Array(Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret))).prefix(Self.macBytes))
    }

    static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func unbase64url(_ text: String) -> [UInt8]? {
        guard text.utf8.count % 4 == 0 else { return nil }
        return Data(base64Encoded: text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")).map(Array.init)
    }

    /// The `vs` value of a request target, whatever it is (checked by isValid).
    static func parse(target: String) -> String? {
        guard let query = target.split(separator: "?", maxSplits: 1).dropFirst().first else { return nil }
        return query.split(separator: "&").first { $0.hasPrefix("vs=") }.map { String($0.dropFirst(3)) }
    }

    /// The master playlist with `vs=TOKEN` on every URI it names (variant lines and URI="..."
    /// attributes of EXT-X-MEDIA and EXT-X-I-FRAME-STREAM-INF), so the player's reloads carry it.
    static func tag(master: [UInt8], token: String) -> [UInt8] {
        let text = String(decoding: master, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let plain = String(line)
            if plain.isEmpty { return plain }
            if !plain.hasPrefix("#") { return withToken(plain, token) }
            guard let start = plain.range(of: "URI=\"") else { return plain }
            guard let close = plain[start.upperBound...].firstIndex(of: "\"") else { return plain }
            let uri = String(plain[start.upperBound..<close])
            return String(plain[..<start.upperBound]) + withToken(uri, token) + String(plain[close...])
        }
        return Array(lines.joined(separator: "\n").utf8)
    }

    private static func withToken(_ uri: String, _ token: String) -> String {
        uri + (uri.contains("?") ? "&" : "?") + "vs=" + token
    }
}
