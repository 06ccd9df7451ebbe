// `vitrine job-process`: internal. `vitrine serve` and `vitrine batch` start one per file job and
// speak the job protocol with it over stdin and stdout (docs/job-protocol.md), so a crash in the
// media work ends that job only. Not for people to run.
import ArgumentParser
import Foundation
import VitrineJobs
import VitrineMedia

struct JobProcessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job-process",
        abstract: "Internal: one job's media work, driven by a supervisor over stdin/stdout.",
        shouldDisplay: false
    )

    @Option(help: "Bytes of memory the job may use (RLIMIT_DATA).")
    var memoryLimit: UInt64?

    @Option(help: "What the job is (file:NAME or live:PLAYBACK_ID), for ps and top; not used otherwise.")
    var label: String?

    func run() throws {
        FFmpegLog.quiet()
        let code = JobProcessChild.run(memoryLimit: memoryLimit)
        if code != 0 { throw ExitCode(code) }
    }
}
