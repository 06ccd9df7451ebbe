// What `vitrine serve` asks of every live job: where to write, the ladder, the live window.
import CFFmpeg
import VitrineOverlay
import Foundation

public struct LiveSettings: Sendable {
    /// DIR: keys.json, hls/{playbackId}/..., recordings/.
    public var dataDirectory: String
    /// nil: chosen from the first publish's picture size, then fixed for the stream key.
    public var rungs: [Rung]?
    public var segmentDuration: Double = 2
    /// Segments in each live playlist.
    public var listSize = 6
    /// Seconds a dropped publisher has to come back before the playlist gets EXT-X-ENDLIST.
    public var graceSeconds: Double = 10
    /// Keep each publish's source as received (FLV).
    public var record = false
    public var preset = "veryfast"
    /// x264 threads per rendition; nil: shared out by each rung's share of the pixels.
    public var encoderThreads: Int?
    /// Frames a lane may fall behind the decoder before the job's queue waits for it.
    public var laneQueueDepth = 8
    /// Access units waiting for a job before whole GOPs are dropped (about 3 s of A/V).
    public var inboxCapacity = 240
    public var scalerFlags: Int32 = SWS_BICUBIC
    /// Cards burned into every live job, their times counted from the start of each publish.
    public var cards: Timeline?
    /// Live playlists and segments for the HTTP origin to serve from memory.
    public var memory: LiveHLSMemory?
    /// Told every listed segment's arrival-to-listed seconds, for metrics.
    public var segmentLatency: (@Sendable (Double) -> Void)?
    /// The cards file behind `cards`, for a job process to load the same cards.
    public var cardsFile: String?
    /// Makes each publish's job; nil runs it here (LiveJob). serve gives every job a process.
    public var jobFactory: (@Sendable (LiveJobContext) -> any LiveJobRunning)?

    public init(dataDirectory: String) {
        self.dataDirectory = dataDirectory
    }

    public var hlsDirectory: String { (dataDirectory as NSString).appendingPathComponent("hls") }
    /// Where card images pushed through the API are kept (and relative image paths resolve).
    public var cardImagesDirectory: String { (dataDirectory as NSString).appendingPathComponent("images") }
    public var recordingsDirectory: String { (dataDirectory as NSString).appendingPathComponent("recordings") }
}
