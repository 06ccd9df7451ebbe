// What `vitrine serve` asks of every live job: where to write, the ladder, the live window.
import CFFmpeg
import VitrineOverlay
import Foundation

@dynamicMemberLookup
public struct LiveSettings: Sendable, EncodingSettingsCarrier {
    /// DIR: keys.json, hls/{playbackId}/..., recordings/.
    public var dataDirectory: String
    /// Rungs (fixed by the stream's first publish), segments, x264: read as `settings.preset`.
    public var encoding = EncodingSettings()
    /// Segments in each live playlist.
    public var listSize = 6
    /// Seconds a dropped publisher has to come back before the playlist gets EXT-X-ENDLIST.
    public var graceSeconds: Double = 10
    /// Keep each publish's source as received (FLV).
    public var record = false
    /// Access units waiting for a job before whole GOPs are dropped (about 3 s of A/V).
    public var inboxCapacity = 240
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
