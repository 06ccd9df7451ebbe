// The `vitrine` command: a thin shell over the pipeline.
import ArgumentParser

@main
struct Vitrine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vitrine",
        abstract: "Live-commerce ingest and transcoding: HLS ABR ladders with product cards.",
        subcommands: [TranscodeCommand.self, BatchCommand.self, ServeCommand.self, ReportCommand.self, JobProcessCommand.self]
    )
}
