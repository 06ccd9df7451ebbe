// Keeps a claimed job's lease alive while it runs: renews it every third of its length, so two
// missed renewals still leave time. When a renewal says this worker no longer holds the job (it
// was too slow, and another worker claimed it), `onLost` stops the local run so the job is never
// finished twice. A renewal that fails (the store is away) is logged and tried again.
import Dispatch
import Foundation
import Logging
import VitrineStore

final class LeaseKeeper: @unchecked Sendable {
    private let timer: DispatchSourceTimer
    private let lock = NSLock()
    private var stopped = false

    init(store: any JobStore, jobID: String, worker: String, seconds: TimeInterval, logger: Logger,
         onLost: @escaping @Sendable () -> Void) {
        timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        let interval = max(0.5, seconds / 3)
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in
            Task {
                let held: Bool
                do {
                    held = try await store.renew(id: jobID, worker: worker, lease: seconds)
                } catch {
                    logger.warning("lease renewal failed", metadata: ["error": "\(error)"])
                    return
                }
                guard !held, let self, self.markStopped() else { return }
                logger.warning("lease lost: another worker owns this job now; its result will be dropped")
                onLost()
            }
        }
        timer.resume()
    }

    /// True the first time: the keeper was still running.
    private func markStopped() -> Bool {
        lock.withLock {
            defer { stopped = true }
            return !stopped
        }
    }

    func stop() {
        _ = markStopped()
        timer.cancel()
    }

    deinit { timer.cancel() }
}
