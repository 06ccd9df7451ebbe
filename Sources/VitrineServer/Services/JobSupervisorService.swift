// The job supervisor as a service: at start it reads the store back (jobs a previous process left
// running are requeued or closed); on graceful shutdown it stops the running file jobs and waits
// for their records. It stops after RTMP and before HTTP (the group stops services in reverse).
import ServiceLifecycle

public struct JobSupervisorService: Service {
    let supervisor: JobSupervisor

    public init(supervisor: JobSupervisor) {
        self.supervisor = supervisor
    }

    public func run() async throws {
        try await supervisor.recover()
        // Live product clips are cut while shows run, until the server stops.
        let clipper = Task { [supervisor] in await LiveClipper(supervisor: supervisor, logger: supervisor.logger).run() }
        try? await gracefulShutdown()
        clipper.cancel()
        await offload { supervisor.shutdown() }
    }
}
