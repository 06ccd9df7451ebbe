// The limits each job process runs under, and where the binary it runs is. A job process gets a
// memory ceiling (RLIMIT_DATA, which counts the heap and every private writable mapping: what a
// runaway allocation grows) and a no-progress watchdog in its supervisor.
import CJobProcess
import Foundation

public struct JobProcessOptions: Sendable {
    /// The `vitrine` binary, started as `vitrine job-process`.
    public var executable: String
    /// Bytes of data the job process may map; nil: no limit.
    public var memoryLimitBytes: UInt64?
    /// A file job whose frames do not advance for this long is killed (counted as a crash).
    public var watchdogSeconds: Double
    /// A live job that handles no unit for this long while units arrive is killed (and restarted).
    public var liveWatchdogSeconds: Double = 10
    /// How long a stopped file job may take to wind down before it is killed: serve's shutdown
    /// waits for it, and must end within 10 s whatever a child does.
    public var stopGraceSeconds: Double = 5
    /// How long a live job may take to flush after its publisher left: serve's shutdown waits
    /// for it, and must end within 10 s whatever a child does.
    public var liveStopGraceSeconds: Double = 5
    /// Bytes of memory-served HLS one live show may hold; past it files are served from disk.
    public var hlsMemoryBudgetBytes = LiveChildBoundary.defaultMemoryBudget

    /// A test hook (documented in docs/job-protocol.md): VITRINE_TEST_WATCHDOG_SECONDS shortens the
    /// watchdog so a test of a hanging job does not wait a minute.
    public init(executable: String, memoryLimitBytes: UInt64?, watchdogSeconds: Double = 60,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.executable = executable
        self.memoryLimitBytes = memoryLimitBytes
        if let text = environment["VITRINE_TEST_WATCHDOG_SECONDS"], let seconds = Double(text), seconds > 0 {
            self.watchdogSeconds = seconds
            liveWatchdogSeconds = seconds
        } else {
            self.watchdogSeconds = watchdogSeconds
        }
    }

    /// This process's own binary: supervisors start their jobs from the same build.
    public static func thisExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// The default memory ceiling for one of `concurrentJobs` jobs: three quarters of the
    /// machine's memory shared between them, at least 1 GiB (a 1080p ladder needs about 300 MB)
    /// and at most 16 GiB.
    public static func defaultMemoryLimit(concurrentJobs: Int, physical: UInt64 = ProcessInfo.processInfo.physicalMemory) -> UInt64 {
        let share = physical / 4 * 3 / UInt64(max(1, concurrentJobs))
        return min(max(share, 1 << 30), 16 << 30)
    }
}

/// What a job process does to itself before anything else.
enum JobProcessLimits {
    /// Dies with its supervisor (nothing else would ever read its output), and stays under
    /// `memoryLimit`: past it an allocation fails, which ends this job, not the machine.
    static func applyInChild(memoryLimit: UInt64?) {
        _ = vitrine_set_parent_death_signal(SIGKILL)
        if getppid() == 1 { exit(70) }
        // Nothing it runs may gain privileges; no core files (a crash report is the supervisor's,
        // and a core of a 1 GiB job would fill the disk); a bounded number of open files.
        _ = vitrine_set_no_new_privileges()
        setLimit(RLIMIT_CORE, 0)
        setLimit(RLIMIT_NOFILE, openFileLimit)
        // Under AddressSanitizer (Scripts/sanitize.sh says so) the limit stays off: ASan's shadow
        // memory is terabytes of private mappings, which RLIMIT_DATA counts, so every job
        // process would die at its first allocation.
        if let memoryLimit, ProcessInfo.processInfo.environment["VITRINE_SANITIZER"] != "address" {
            setLimit(RLIMIT_DATA, rlim_t(memoryLimit))
        }
    }

    /// A job opens its input, its outputs, fonts and pipes: far fewer than this.
    static let openFileLimit: rlim_t = 1024

    /// Soft and hard limit both, so the child cannot raise it again.
    private static func setLimit(_ resource: __rlimit_resource, _ value: rlim_t) {
        var limit = rlimit(rlim_cur: value, rlim_max: value)
        _ = setrlimit(__rlimit_resource_t(resource.rawValue), &limit)
    }
}
