// Waiting on the memory-served HLS without a thread: a blocking playlist reload (_HLS_msn,
// _HLS_part) or a request for the hinted part parks a continuation here, and the put that makes
// it answerable resumes it; a deadline resumes it otherwise. Thousands of players may wait at
// once: each costs a continuation and a closure, no thread and no timer of its own past its
// deadline's task.
import Foundation

extension LiveHLSMemory {
    struct Waiter {
        let id: UInt64
        /// Asked under the lock with the path's current progress (nil: not a playlist).
        let isSatisfied: (PlaylistProgress?, Bool) -> Bool
        let resume: (Bool) -> Void
    }

    public enum ReloadAnswer: Sendable, Equatable {
        /// The playlist has the asked segment or part (or ended): answer with it.
        case ready
        /// Not there before the deadline (RFC 8216bis: 503 past three target durations).
        case timedOut
        /// More than two segments ahead of the playlist: 400 at once.
        case tooFarAhead
        /// No live playlist in memory under this path.
        case unknown
    }

    /// Progress of a playlist in memory.
    public func playlistProgress(_ path: String) -> PlaylistProgress? { lock.withLock { progress[path] } }

    /// Waits until the playlist at `path` lists segment `msn` (part `part` of it, when given).
    public func waitForPlaylist(_ path: String, msn: Int, part: Int?) async -> ReloadAnswer {
        guard let current = playlistProgress(path) else { return .unknown }
        if current.satisfies(msn: msn, part: part) { return .ready }
        if current.isTooFarAhead(msn: msn) { return .tooFarAhead }
        let deadline = 3 * max(1, current.targetDuration)
        let met = await wait(on: path, seconds: deadline) { progress, _ in progress?.satisfies(msn: msn, part: part) ?? false }
        return met ? .ready : .timedOut
    }

    /// Waits until a file exists at `path` (the hinted part being cut), at most `seconds`.
    public func waitForFile(_ path: String, seconds: Double) async -> Bool {
        await wait(on: path, seconds: seconds) { _, exists in exists }
    }

    private func wait(on path: String, seconds: Double, until condition: @escaping (PlaylistProgress?, Bool) -> Bool) async -> Bool {
        let id = UInt64.random(in: 0 ... .max)
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let once = ResumeOnce(continuation)
            let registered = lock.withLock { () -> Bool in
                // Checked again under the lock: a put between the caller's look and here is not missed.
                if condition(progress[path], entry(locked: path)) { return false }
                waiters[path, default: []].append(Waiter(id: id, isSatisfied: condition, resume: once.resume))
                return true
            }
            guard registered else { return once.resume(true) }
            Task {
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
                let expired = self.lock.withLock { () -> Bool in
                    guard let index = self.waiters[path]?.firstIndex(where: { $0.id == id }) else { return false }
                    self.waiters[path]?.remove(at: index)
                    if self.waiters[path]?.isEmpty == true { self.waiters[path] = nil }
                    return true
                }
                if expired { once.resume(false) }
            }
        }
    }

    /// Under the lock: removes and returns the waiters on `path` that can now be answered.
    func takeSatisfied(_ path: String) -> [Waiter] {
        guard let waiting = waiters[path] else { return [] }
        let state = progress[path]
        let exists = entry(locked: path)
        var ready: [Waiter] = [], left: [Waiter] = []
        for waiter in waiting {
            if waiter.isSatisfied(state, exists) { ready.append(waiter) } else { left.append(waiter) }
        }
        guard !ready.isEmpty else { return [] }
        waiters[path] = left.isEmpty ? nil : left
        return ready
    }

    /// Requests waiting, for metrics and tests.
    public var waitingCount: Int { lock.withLock { waiters.values.reduce(0) { $0 + $1.count } } }
}

/// A continuation resumed by whichever comes first, the put or the deadline.
private final class ResumeOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Bool, Never>?

    init(_ continuation: CheckedContinuation<Bool, Never>) { self.continuation = continuation }

    func resume(_ value: Bool) {
        let taken = lock.withLock { () -> CheckedContinuation<Bool, Never>? in
            defer { continuation = nil }
            return continuation
        }
        taken?.resume(returning: value)
    }
}
