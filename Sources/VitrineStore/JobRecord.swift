// One job as the store keeps it: a file transcode (from `vitrine serve`'s API or a batch), or a
// live publish on a stream key. The store never interprets `spec` or `report`: they are JSON
// that the pipeline writes and reads, so a new job option needs no schema change.
import Foundation

public enum JobKind: String, Codable, Sendable, CaseIterable {
    /// A recorded file made into a VOD ladder (serve's POST /v1/jobs, or one file of a batch).
    case file
    /// A live publish on a stream key; recorded by the process that runs it, never claimed.
    case live
}

public enum JobState: String, Codable, Sendable, CaseIterable {
    /// Waiting for a worker to claim it.
    case queued
    /// Claimed by `worker`, whose lease runs until `leaseExpiresAt`.
    case running
    case succeeded
    case failed
    /// Stopped by an operator (DELETE /v1/jobs/{id}) or ended by a shutdown.
    case cancelled

    public var isFinal: Bool { self == .succeeded || self == .failed || self == .cancelled }
}

public struct JobRecord: Codable, Sendable, Equatable {
    /// Unique in the store. Batch jobs use a stable id derived from input and output, so running
    /// the same batch again finds the same jobs.
    public var id: String
    public var kind: JobKind
    /// Input file path, or for a live job its playback id (never the stream key: that is secret).
    public var source: String
    /// Folder the job writes its HLS into.
    public var outputDirectory: String
    public var playbackID: String?
    /// Queue this job belongs to, so one store can hold several batches and serve's jobs.
    public var queue: String
    /// JSON of the job's settings (ladder, segment format and duration, cards, clips).
    public var spec: String
    public var state: JobState
    /// What went wrong, in words, when `state` is failed or cancelled.
    public var error: String?
    /// How many times a worker has claimed it (a lease that ran out counts as a try).
    public var attempts: Int
    /// How many of those attempts ended with the job process dying without a result.
    public var crashes: Int
    /// Who holds the job while it runs: "host:pid:random".
    public var worker: String?
    public var leaseExpiresAt: Date?
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// JSON summary written at the end (durations, speed, renditions, outputs).
    public var report: String?

    public init(id: String, kind: JobKind, source: String, outputDirectory: String, playbackID: String? = nil,
                queue: String = "default", spec: String = "{}", state: JobState = .queued, createdAt: Date = Date()) {
        self.id = id
        self.kind = kind
        self.source = source
        self.outputDirectory = outputDirectory
        self.playbackID = playbackID
        self.queue = queue
        self.spec = spec
        self.state = state
        self.error = nil
        self.attempts = 0
        self.crashes = 0
        self.worker = nil
        self.leaseExpiresAt = nil
        self.createdAt = createdAt
        self.startedAt = nil
        self.finishedAt = nil
        self.report = nil
    }
}
