// Everything one transcode job is asked to do.
import Foundation
import VitrineHLS
import VitrineOverlay
import CFFmpeg

@dynamicMemberLookup
public struct TranscodeSettings: EncodingSettingsCarrier {
    public var input: String
    public var outputDirectory: String
    /// Rungs, segments, x264: read as `settings.preset` and so on.
    public var encoding = EncodingSettings()
    /// Draws cards into each rung's pictures, when the job has any. nil with `cards` set: a
    /// CardPainter per lane.
    public var painterFactory: FramePainterFactory?
    /// Product cards burned into every rendition and announced as EXT-X-DATERANGEs. Shared and
    /// locked, so cards can change while the job runs.
    public var cards: Timeline?
    /// Date of second 0 on the job timeline (EXT-X-PROGRAM-DATE-TIME). nil: the input's
    /// `creation_time`, else the time the job starts. Give the same date to the card Timeline.
    public var wallClockOrigin: Date?

    public static var presets: [String] { EncodingSettings.presets }

    public init(input: String, outputDirectory: String) {
        self.input = input
        self.outputDirectory = outputDirectory
    }
}

/// Live figures for a progress bar.
public struct JobProgress: Sendable {
    public var processedSeconds: Double
    public var totalSeconds: Double?
    public var framesEncoded: Int
    public var elapsedSeconds: Double

    public init(processedSeconds: Double, totalSeconds: Double?, framesEncoded: Int, elapsedSeconds: Double) {
        self.processedSeconds = processedSeconds
        self.totalSeconds = totalSeconds
        self.framesEncoded = framesEncoded
        self.elapsedSeconds = elapsedSeconds
    }

    public var fraction: Double? {
        guard let total = totalSeconds, total > 0 else { return nil }
        return min(1, processedSeconds / total)
    }
    public var speed: Double { elapsedSeconds > 0 ? processedSeconds / elapsedSeconds : 0 }
    public var framesPerSecond: Double { elapsedSeconds > 0 ? Double(framesEncoded) / elapsedSeconds : 0 }
    public var etaSeconds: Double? {
        guard let total = totalSeconds, speed > 0 else { return nil }
        return max(0, (total - processedSeconds) / speed)
    }
}

/// What a finished job produced.
public struct JobReport: Sendable {
    public var masterPlaylist: String
    public var renditions: [RenditionReport]
    public var durationSeconds: Double
    public var decodeErrors: Int
    public var elapsedSeconds: Double
}
