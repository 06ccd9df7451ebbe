// The first of "the server is listening on port N" and "the server failed", handed to whoever
// waits in HTTPServer.start(); later reports (a failure after a successful start) are dropped,
// since start() has already returned by then and the failure is logged where it happens.
import Foundation

final class StartOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Int, Error>?
    private var waiter: CheckedContinuation<Int, Error>?

    func finish(_ outcome: Result<Int, Error>) {
        let resume: CheckedContinuation<Int, Error>? = lock.withLock {
            guard result == nil else { return nil }
            result = outcome
            defer { waiter = nil }
            return waiter
        }
        resume?.resume(with: outcome)
    }

    func value() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<Int, Error>? = lock.withLock {
                if let result { return result }
                waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
