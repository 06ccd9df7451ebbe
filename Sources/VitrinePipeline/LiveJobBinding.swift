// A job created through the API for a stream key before its publish starts (POST /v1/jobs with
// streamKey): the next publish on that key runs under this job's id, with its ladder, segment
// duration and starting cards instead of the worker's defaults.
import Foundation
import VitrineMedia
import VitrineOverlay

public struct LiveJobBinding: Sendable {
    public var jobID: String
    public var rungs: [Rung]?
    public var segmentDuration: Double?
    /// The encoder latency profile for this job; nil: the worker's.
    public var latency: EncoderLatency?
    /// Cards on the job's timeline from its first frame (times count from the publish's start).
    public var cards: [ResolvedCard]
    /// The same cards as a cards file's JSON text, for a job process to load.
    public var cardsFile: String?

    public init(jobID: String, rungs: [Rung]?, segmentDuration: Double?, cards: [ResolvedCard], cardsFile: String? = nil) {
        self.jobID = jobID
        self.rungs = rungs
        self.segmentDuration = segmentDuration
        self.cards = cards
        self.cardsFile = cardsFile
    }
}
