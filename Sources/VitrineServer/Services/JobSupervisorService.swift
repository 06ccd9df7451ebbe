// The job supervisor as a service: at start it reads the store back (jobs a previous process left
// running are requeued or closed); on graceful shutdown it stops the running file jobs and waits
// for their records. It stops after RTMP and before HTTP (the group stops services in reverse).
import ServiceLifecycle

public struct JobSupervisorService: Service {
    let supervisor: JobSupervisor
    let viewers: ViewerCounter?

    public init(supervisor: JobSupervisor, viewers: ViewerCounter?) {
        self.supervisor = supervisor
        self.viewers = viewers
    }

    public func run() async throws {
        try await supervisor.recover()
        // Live product clips are cut and audiences saved while shows run, until the server stops.
        let sweep = Task { [supervisor, viewers] in await LiveShowSweep(supervisor: supervisor, viewers: viewers, logger: supervisor.logger).run() }
        try? await gracefulShutdown()
        sweep.cancel()
        // Its last pass saves the audiences as they stand (no clip is cut once cancelled).
        await sweep.value
        await offload { supervisor.shutdown() }
    }
}
