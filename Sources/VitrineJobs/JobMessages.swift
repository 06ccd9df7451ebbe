// The messages of the job protocol (docs/job-protocol.md), version 1. The supervisor sends a
// job process one `start`, then card requests and at most one `stop`; the job process answers
// with `started`, then progress, phases, log lines and card replies, and ends with exactly one
// `finished` or `failed` before it exits. Anything else (a signal, an exit without a result, a
// malformed frame) is a crash, counted by the supervisor.
import Foundation
import Logging
import VitrinePipeline

public enum JobProtocol {
    /// Bumped on any change a peer of the previous version would misread.
    public static let version = 1
}

/// Supervisor to job process.
public enum ToJob: Codable, Sendable {
    case start(version: Int, order: FileJobOrder)
    /// A live publish's media work; access units follow as binary frames (JobFrame).
    case startLive(version: Int, order: LiveJobOrder)
    /// The publisher's declared frame rate (onMetaData).
    case frameRate(Double)
    case card(CardRequest)
    /// Wind down: `keepOutput` false removes what the job wrote (a cancel), true leaves it (the
    /// job's lease was lost and another worker writes the same folder now).
    case stop(reason: String, keepOutput: Bool)
}

/// Job process to supervisor.
public enum FromJob: Codable, Sendable {
    case started(version: Int, pid: Int32)
    case progress(JobProcessProgress)
    /// A stage with no frame progress of its own (writing playlists, cutting clips): it resets the
    /// no-progress watchdog once.
    case phase(String)
    case log(JobLogLine)
    case cardReply(CardReply)
    case finished(FileJobOutcome)
    case failed(JobFailureReport)
    /// A live job's figures, about twice a second.
    case liveProgress(LiveJobFigures)
    /// The renditions the first picture fixed for this stream key.
    case ladderFixed(LiveLadder)
    /// A card change reached the pictures of every rendition after this long.
    case cardApplied(milliseconds: Double)
    /// A live job flushed its last segments after its publisher left; it exits 0 next.
    case liveFinished
    /// A live job's cards after an operator changed them: a restarted process starts from them.
    case cardsState(CardControl.State)
}

public struct LiveJobFigures: Codable, Sendable, Equatable {
    public var framesIn: Int
    public var handledUnits: Int
    public var droppedUnits: Int
    public var droppedGOPs: Int
    public var renditions: [RenditionProgress]
    /// When the publish's cards clock read zero (monotonic and wall clock); nil before its first picture.
    public var cardClockStart: CardClockStart?
}

/// What a running job has done so far.
public struct JobProcessProgress: Codable, Sendable, Equatable {
    public var processedSeconds: Double
    public var totalSeconds: Double?
    public var framesEncoded: Int
    public var elapsedSeconds: Double
    public var renditions: [RenditionProgress]

    public init(_ progress: JobProgress, renditions: [RenditionProgress]) {
        processedSeconds = progress.processedSeconds
        totalSeconds = progress.totalSeconds
        framesEncoded = progress.framesEncoded
        elapsedSeconds = progress.elapsedSeconds
        self.renditions = renditions
    }

    public var jobProgress: JobProgress {
        JobProgress(processedSeconds: processedSeconds, totalSeconds: totalSeconds, framesEncoded: framesEncoded, elapsedSeconds: elapsedSeconds)
    }
}

public struct JobLogLine: Codable, Sendable, Equatable {
    public var level: String
    public var message: String
    public var metadata: [String: String]

    public init(level: Logger.Level, message: String, metadata: [String: String]) {
        self.level = level.rawValue
        self.message = message
        self.metadata = metadata
    }
}

/// One rendition of a finished ladder.
public struct RenditionSummary: Codable, Sendable, Equatable {
    public var name: String
    public var width: Int?
    public var height: Int?
    public var segments: Int
    public var averageBitrate: Int
    public var peakBitrate: Int
}

/// What a finished file job produced.
public struct FileJobOutcome: Codable, Sendable, Equatable {
    public var masterPlaylist: String
    public var durationSeconds: Double
    public var elapsedSeconds: Double
    public var decodeErrors: Int
    public var renditions: [RenditionSummary]
    public var clips: [ClipReport]?
}

/// A job that ended with a clear error: the TranscodeError, carried by its exit code.
public struct JobFailureReport: Codable, Sendable, Equatable {
    public var exitCode: Int32
    public var message: String

    public init(_ error: TranscodeError) {
        exitCode = error.exitCode
        message = error.description
    }

    public var error: TranscodeError {
        switch exitCode {
        case 64: return .invalidArgument(message)
        case 65: return .damagedInput(message)
        case 66: return .unreadableInput(message)
        case 73: return .unwritableOutput(message)
        case 74: return .diskFull(message)
        case 75: return .cancelled(message)
        default: return .internalFailure(message)
        }
    }
}
