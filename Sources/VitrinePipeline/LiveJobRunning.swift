// What serve's live side (LiveIngest, LiveStream, the job supervisor, metrics) needs of a live job,
// wherever its media work runs: here (LiveJob, which is also what a job process runs) or in a job
// process of its own (LiveJobProcess in VitrineJobs), so a crash decoding one publisher's stream
// ends that job process only.
import Dispatch
import Foundation
import Logging
import VitrineRTMP

/// One restart of a live job's process after it crashed.
public struct LiveRestart: Sendable, Equatable, Codable {
    /// When the crash was noticed (the process's output ended).
    public var at: Date
    public var reason: String
    /// Seconds from the crash to the new process being ready for units (it then takes them
    /// from the next video keyframe).
    public var restartedAfter: Double?
    /// Seconds from the crash to the first picture the new process decoded.
    public var recoveredAfter: Double?

    public init(at: Date, reason: String) {
        self.at = at
        self.reason = reason
    }
}

public protocol LiveJobRunning: AnyObject, Sendable {
    /// Unique across restarts: the job's id in the store and the API.
    var id: String { get }
    var connectionID: UInt64 { get }
    var playbackID: String { get }
    var startedAt: Date { get }
    var logger: Logger { get }
    /// The operator's card commands on this publish.
    var cardCommands: any CardCommands { get }
    /// Told each card change's measured delay to the pictures, in milliseconds (metrics).
    var onCardApplied: (@Sendable (Double) -> Void)? { get set }
    /// Told once when the job fails for good: its publisher must be told and cut off.
    var onFailure: (@Sendable (any LiveJobRunning, String) -> Void)? { get set }
    /// Left when the job has flushed its last segments (or failed).
    var finished: DispatchGroup { get }
    /// The error that ended the job, if one did.
    var error: Error? { get }
    var droppedUnits: Int { get }
    var degraded: Bool { get }
    /// Pictures decoded so far.
    var framesIn: Int { get }
    /// Restarts of the job's process after crashes, oldest first.
    var restarts: [LiveRestart] { get }
    func renditionProgress() -> [RenditionProgress]

    // Called on the connection's event loop: hand over and return at once.
    func enqueue(_ unit: AccessUnit)
    func metadata(_ properties: [AMF0Property])
    /// The publisher left: flush everything into the playlists.
    func end(reason: String)
}

/// What a stream gives a job it starts (a job process needs all of it in its order).
public struct LiveJobContext: Sendable {
    public var jobID: String
    public var connectionID: UInt64
    public var playbackID: String
    public var settings: LiveSettings
    /// Cards file text of the cards a key-bound job starts with (times count from the publish).
    public var bindingCards: String?
    /// The ladder an earlier publish on this key fixed; nil: the first picture decides.
    public var fixedLadder: LiveLadder?
    /// The previous publish on this key: it flushes its last segments before this one starts.
    public var previous: (any LiveJobRunning)?
    public var logger: Logger
    /// The job tells its stream the ladder it fixed, and when it has finished.
    public var ladderFixed: @Sendable (LiveLadder) -> Void
    public var didFinish: @Sendable (any LiveJobRunning) -> Void
}

/// A stream key's renditions, fixed by its first publish.
public struct LiveLadder: Sendable, Equatable, Codable {
    /// Empty for an audio-only stream (one rendition, "audio").
    public var specs: [RenditionSpec]

    public init(specs: [RenditionSpec]) { self.specs = specs }

    public var audioOnly: Bool { specs.isEmpty }
    public var renditionNames: [String] { audioOnly ? ["audio"] : specs.map(\.name) }
}
