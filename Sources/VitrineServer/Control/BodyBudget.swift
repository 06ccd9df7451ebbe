// BodyBudget: how many request-body bytes the API reads into memory at once, across all
// requests. Each body is bounded by maxBodyBytes, but a hundred clients uploading at once would
// still hold a hundred of them; past the budget a request is answered 503 with Retry-After
// before a byte of its body is read.
import Foundation
import Hummingbird

final class BodyBudget: @unchecked Sendable {
    /// The most one request body may be (maxBodyBytes).
    let perRequest: Int
    /// The most all bodies being read may be together (concurrentBodyBytes).
    let total: Int
    private let lock = NSLock()
    private var reserved = 0

    init(perRequest: Int, total: Int) {
        self.perRequest = perRequest
        self.total = total
    }

    /// Reads the request's body within both bounds: what it declares (Content-Length) or, when it
    /// declares nothing, the per-request bound is reserved until the body is in.
    func collect(_ request: Request) async throws -> ByteBuffer {
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        if let declared, declared > perRequest { throw Self.tooLarge(perRequest) }
        let want = min(declared ?? perRequest, perRequest)
        guard reserve(want) else {
            throw APIError(.serviceUnavailable, "too many request bodies are being read at once (\(total) bytes in all); retry in a second")
        }
        defer { release(want) }
        do {
            return try await request.body.collect(upTo: want)
        } catch {
            throw Self.tooLarge(perRequest)
        }
    }

    private static func tooLarge(_ limit: Int) -> APIError {
        APIError(.contentTooLarge, "request body is larger than \(limit) bytes")
    }

    private func reserve(_ bytes: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard reserved + bytes <= total else { return false }
        reserved += bytes
        return true
    }

    private func release(_ bytes: Int) {
        lock.lock()
        reserved -= bytes
        lock.unlock()
    }
}
