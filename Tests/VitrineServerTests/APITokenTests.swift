import Foundation
import Testing
@testable import VitrineServer

struct APITokenTests {
    @Test func generatedOnceKeptPrivateAndReused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vitrine-token-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let first = try APIToken.resolve(configured: nil, dataDirectory: dir)
        #expect(first.isNew && first.value.count >= 32)
        let mode = try FileManager.default.attributesOfItem(atPath: "\(dir)/api-token")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let second = try APIToken.resolve(configured: nil, dataDirectory: dir)
        #expect(!second.isNew && second.value == first.value)
        #expect(try APIToken.resolve(configured: "from-the-environment-0123", dataDirectory: dir).value == "from-the-environment-0123")
    }

    @Test func acceptsOnlyTheExactBearerToken() {
        let token = APIToken(value: "secret-token-0123456789")
        #expect(token.accepts(authorization: "Bearer secret-token-0123456789"))
        #expect(!token.accepts(authorization: nil))
        #expect(!token.accepts(authorization: "secret-token-0123456789"))
        #expect(!token.accepts(authorization: "Bearer secret-token-012345678"))
        #expect(!token.accepts(authorization: "Bearer secret-token-01234567890"))
        #expect(!token.accepts(authorization: "Basic secret-token-0123456789"))
        #expect(APIToken.constantTimeEqual([1, 2, 3], [1, 2, 3]) && !APIToken.constantTimeEqual([1, 2], [1, 2, 0]))
    }
}
