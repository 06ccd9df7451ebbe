// Keeps a claimed job's lease alive while it runs: renews it every third of its length. When a
// renewal says this worker no longer holds the job (it was too slow, and another worker claimed
// it), `onLost` stops the local run so the job is never finished twice.
import Dispatch
import Foundation
import VitrineStore

final class LeaseKeeper: @unchecked Sendable {
    private let timer: DispatchSourceTimer
    private let lock = NSLock()
    private var stopped = false

    init(store: JobStore, jobID: String, worker: String, seconds: TimeInterval, onLost: @escaping @Sendable () -> Void) {
        timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        let interval = max(0.5, seconds / 3)
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in
            Task {
                let held = (try? await store.renew(id: jobID, worker: worker, lease: seconds)) ?? true
                guard !held, let self, !self.isStopped else { return }
                onLost()
            }
        }
        timer.resume()
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    func stop() {
        lock.withLock { stopped = true }
        timer.cancel()
    }

    deinit { timer.cancel() }
}
