// `vitrine batch INPUT... -o OUT`: many recordings to VOD ladders (and product clips) from a
// resumable queue. Thin: parses, plans, opens the queue and hands over to VitrineBatch.
import ArgumentParser
import Foundation
import Logging
import VitrineBatch
import VitrineJobs
import VitrineMedia
import VitrinePipeline
import VitrineStore

struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Re-encode many recordings to HLS ladders, N at a time, from a resumable queue.",
        discussion: """
        Run the same command again after a crash or Ctrl-C: finished files are skipped, interrupted \
        ones redone from scratch, failed ones retried only with --retry-failed. The queue is \
        OUT/.vitrine-batch.sqlite, or a PostgreSQL database shared by workers on several machines \
        (--queue postgres://...; a worker given no input drains what others queued). \
        Exit codes: 0 every file done; else the first failed file's code as in `vitrine transcode` \
        (65 damaged, 66 not media, 73, 74, 70), 75 when files are still held by other workers; \
        64 bad arguments.
        """
    )

    @Argument(help: "Input recordings (each to OUT/NAME/).")
    var inputs: [String] = []

    @Option(name: .shortAndLong, help: "Output folder: one folder per input, and the queue database.")
    var output: String?

    @Option(help: "JSON manifest with per-file ladder, cards, output and clips (see README).")
    var manifest: String?

    @Option(help: "Files transcoded at once (default: one per core); each gets an equal share of the cores.")
    var jobs: Int?

    @Option(help: "Folder of cards files: NAME.json is burned into NAME.flv's ladder.")
    var cardsDir: String?

    @Flag(help: "Also cut one clip per card interval (HLS and MP4), named after the product.")
    var clips = false

    @OptionGroup var ladder: LadderOptions

    @OptionGroup var encoding: EncodingOptions

    @Flag(help: "Put files that failed in an earlier run back in the queue.")
    var retryFailed = false

    @Option(help: "A shared queue: postgres://user:password@host:port/database (default: SQLite in the output folder).")
    var queue: String?

    @Option(help: "Name of the batch inside the queue database.")
    var queueName: String = "batch"

    @Option(help: "Seconds a worker holds a job without renewing it; a dead worker's job is taken over after this.")
    var lease: Double = 30

    @Option(help: "MiB of memory each file's job process may use (default: three quarters of the machine's memory shared by --jobs).")
    var jobMemory: Int?

    @Flag(help: "One JSON object per line on stdout instead of the progress display and table.")
    var json = false

    func run() throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        FFmpegLog.quiet()
        let terminal = isatty(STDERR_FILENO) == 1
        var logger = Logger(label: "vitrine.batch")
        logger.logLevel = json || terminal ? .warning : .notice
        do {
            let (records, root) = try plan()
            var options = BatchOptions.sized(jobs: jobs)
            options.queue = queueName
            options.lease = lease
            options.retryFailed = retryFailed
            // Each file in a job process of its own: a file that crashes FFmpeg or us fails alone.
            // VITRINE_IN_PROCESS_JOBS=1 is the benchmarks' reference only (Benchmarks/chaos.sh).
            let inProcess = ProcessInfo.processInfo.environment["VITRINE_IN_PROCESS_JOBS"] == "1"
            options.launcher = inProcess ? .inProcess : .process(JobProcessOptions(
                executable: JobProcessOptions.thisExecutable(),
                memoryLimitBytes: jobMemory.map { UInt64($0) << 20 } ?? JobProcessOptions.defaultMemoryLimit(concurrentJobs: options.jobs)))
            let progress = BatchProgress(mode: json ? .json : (terminal ? .terminal : .quiet))
            let (url, logger, base) = (queue, logger, options)
            let finals = try blocking {
                let queue = try await BatchQueue.open(url: url, outputRoot: root, logger: logger)
                var options = base
                options.reclaimRunning = queue.isLocal
                let runner = BatchRunner(store: queue.store, options: options, progress: progress, logger: logger)
                do {
                    let finals = try await runner.run(records: records)
                    await queue.close()
                    return finals
                } catch {
                    await queue.close()
                    throw error
                }
            }
            let summary = BatchSummary(jobs: finals)
            FileHandle.standardOutput.write(Data((json ? summary.jsonLine() : summary.table()).utf8))
            if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
        } catch let error as TranscodeError {
            FileHandle.standardError.write(Data("vitrine: error: \(error.description)\n".utf8))
            throw ExitCode(error.exitCode)
        } catch let error as JobStoreError {
            FileHandle.standardError.write(Data("vitrine: error: \(error.description)\n".utf8))
            throw ExitCode(70)
        }
    }

    /// The job records and the output root (where the SQLite queue lives).
    private func plan() throws -> ([JobRecord], String?) {
        let checked = try encoding.validated()
        guard (1...64).contains(jobs ?? 1) else { throw TranscodeError.invalidArgument("--jobs \(jobs!): expected 1 to 64") }
        if let jobMemory, !(256...(1 << 20)).contains(jobMemory) {
            throw TranscodeError.invalidArgument("--job-memory \(jobMemory): expected 256 MiB to 1 TiB")
        }
        guard lease.isFinite, (3...3600).contains(lease) else { throw TranscodeError.invalidArgument("--lease \(lease): expected 3 to 3600 seconds") }
        _ = try ladder.rungs()
        _ = try ladder.format()
        try BatchQueue.validate(url: queue)
        var defaults = BatchDefaults(outputRoot: output ?? ".")
        defaults.ladder = ladder.ladder
        defaults.cardsDirectory = cardsDir
        defaults.clips = clips
        defaults.segmentDuration = checked.segmentDuration
        defaults.preset = checked.preset
        defaults.threads = checked.threads
        defaults.segmentFormat = ladder.segmentFormat
        if let cardsDir, !FileManager.default.fileExists(atPath: cardsDir) {
            throw TranscodeError.invalidArgument("--cards-dir \(cardsDir): folder not found")
        }
        if let manifest {
            guard inputs.isEmpty else { throw TranscodeError.invalidArgument("give either input files or --manifest, not both") }
            let planned = try BatchManifest.specs(path: manifest, defaults: defaults, outputGiven: output != nil)
            return (BatchPlan.records(planned.specs, queue: queueName), planned.outputRoot)
        }
        if inputs.isEmpty {
            // A worker joining a shared queue: it runs what others queued.
            guard queue != nil else { throw TranscodeError.invalidArgument("no input files (give recordings, --manifest, or --queue to join a shared queue)") }
            return ([], output)
        }
        guard output != nil else { throw TranscodeError.invalidArgument("-o/--output is required with input files") }
        let specs = try BatchPlan.specs(inputs: inputs, defaults: defaults)
        for spec in specs { try spec.validate() }
        return (BatchPlan.records(specs, queue: queueName), output)
    }
}
