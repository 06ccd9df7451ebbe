// The commands are synchronous (ArgumentParser's ParsableCommand); the stores, servers and the
// service group are async. `blocking` bridges the two for the main thread, which has nothing else
// to do while it waits; the work itself runs on the cooperative pool and NIO's threads.
import Dispatch

/// Runs `body` and waits for its result.
func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: Result<T, Error>?
    Task {
        do { result = .success(try await body()) } catch { result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try result!.get()
}
