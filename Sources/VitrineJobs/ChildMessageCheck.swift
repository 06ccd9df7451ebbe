// Everything a job process says is untrusted: hostile media may one day run code in it. Each
// message is checked here, at the boundary, before the supervisor keeps a figure, sums one or
// builds a path from one: counts and seconds in range, text bounded, names in the shapes Vitrine
// writes, and only the messages of the job's own kind. A message that fails a check kills the
// child, and the supervisor counts a crash whose reason says "protocol violation: ...".
import Foundation
import Logging
import VitrinePipeline

/// A job process broke the protocol: what it said, and why that cannot be.
public struct ProtocolViolation: Error, CustomStringConvertible, Equatable {
    public var reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { "protocol violation: \(reason)" }
}

/// What the supervisor accepts from a child, whatever it claims.
public enum ChildBounds {
    /// Frames, units, segments: 2^40 is centuries of 240 fps; sums of a few never overflow.
    public static let maxCount = 1 << 40
    /// Seconds of media or of work: about four months.
    public static let maxSeconds = 1e7
    public static let maxRenditions = 16
    public static let maxLogBytes = 16_384
    public static let maxLogMetadata = 32
    public static let maxShortText = 256
    public static let maxCards = 1_000
    public static let maxClips = 1_000
}

/// A job process's kind: each speaks its own message set.
public enum JobKind: String, Sendable { case file, live }

extension FromJob {
    /// Throws what is wrong with this message from a `kind` job process.
    public func check(kind: JobKind) throws(ProtocolViolation) {
        switch (self, kind) {
        case let (.started(version, pid), _):
            guard version == JobProtocol.version else { throw ProtocolViolation("speaks job protocol \(version), not \(JobProtocol.version)") }
            guard pid > 0 else { throw ProtocolViolation("started with pid \(pid)") }
        case let (.log(line), _):
            try line.check()
        case let (.cardReply(reply), _):
            guard reply.sequence >= 0 else { throw ProtocolViolation("card reply sequence \(reply.sequence)") }
        case let (.failed(report), _):
            try Check.text(report.message, "failure message", max: ChildBounds.maxLogBytes)
        case let (.progress(progress), .file):
            try progress.check()
        case let (.phase(name), .file):
            try Check.text(name, "phase", max: ChildBounds.maxShortText)
        case let (.finished(outcome), .file):
            try outcome.check()
        case let (.liveProgress(figures), .live):
            try figures.check()
        case let (.cardApplied(milliseconds), .live):
            try Check.seconds(milliseconds / 1000, "card applied delay")
        case (.liveFinished, .live), (.ladderFixed, .live):
            // The ladder is checked against the rungs serve asked for (LiveLadder.conformance).
            break
        case let (.cardsState(state), .live):
            guard state.cards.count <= ChildBounds.maxCards, state.current.count <= ChildBounds.maxCards,
                  state.revisions.count <= ChildBounds.maxCards else { throw ProtocolViolation("cards state of \(state.cards.count) cards") }
        default:
            throw ProtocolViolation("a \(kind.rawValue) job process sent \(name)")
        }
    }

    /// The message's case name, for errors.
    var name: String { String(describing: self).split(separator: "(").first.map(String.init) ?? "?" }
}

/// The range checks every message shares.
enum Check {
    static func count(_ value: Int, _ what: String) throws(ProtocolViolation) {
        guard (0...ChildBounds.maxCount).contains(value) else { throw ProtocolViolation("\(what) \(value) is out of range") }
    }

    static func seconds(_ value: Double, _ what: String) throws(ProtocolViolation) {
        guard value.isFinite, (0...ChildBounds.maxSeconds).contains(value) else { throw ProtocolViolation("\(what) \(value) is out of range") }
    }

    static func text(_ value: String, _ what: String, max: Int) throws(ProtocolViolation) {
        guard value.utf8.count <= max else { throw ProtocolViolation("\(what) of \(value.utf8.count) bytes is over \(max)") }
    }

    static func renditions(_ list: [RenditionProgress]) throws(ProtocolViolation) {
        guard list.count <= ChildBounds.maxRenditions else { throw ProtocolViolation("\(list.count) renditions") }
        for rendition in list {
            guard HLSFileNames.isRenditionName(rendition.name) else { throw ProtocolViolation("rendition name \(rendition.name.debugDescription)") }
            try count(rendition.framesEncoded, "frames encoded")
            try count(rendition.framesDropped, "frames dropped")
            try seconds(rendition.busySeconds, "busy seconds")
        }
    }
}

extension JobLogLine {
    func check() throws(ProtocolViolation) {
        guard Logger.Level(rawValue: level) != nil else { throw ProtocolViolation("log level \(level.prefix(32).debugDescription)") }
        try Check.text(message, "log line", max: ChildBounds.maxLogBytes)
        guard metadata.count <= ChildBounds.maxLogMetadata else { throw ProtocolViolation("log line with \(metadata.count) metadata") }
        for (key, value) in metadata {
            try Check.text(key, "log metadata key", max: ChildBounds.maxShortText)
            try Check.text(value, "log metadata value", max: ChildBounds.maxLogBytes)
        }
    }
}

extension JobProcessProgress {
    func check() throws(ProtocolViolation) {
        try Check.seconds(processedSeconds, "processed seconds")
        if let totalSeconds { try Check.seconds(totalSeconds, "total seconds") }
        try Check.count(framesEncoded, "frames encoded")
        try Check.seconds(elapsedSeconds, "elapsed seconds")
        try Check.renditions(renditions)
    }
}

extension LiveJobFigures {
    func check() throws(ProtocolViolation) {
        for (value, what) in [(framesIn, "frames in"), (handledUnits, "handled units"), (droppedUnits, "dropped units"), (droppedGOPs, "dropped GOPs")] {
            try Check.count(value, what)
        }
        try Check.renditions(renditions)
    }
}

extension FileJobOutcome {
    func check() throws(ProtocolViolation) {
        try Check.seconds(durationSeconds, "duration")
        try Check.seconds(elapsedSeconds, "elapsed seconds")
        try Check.count(decodeErrors, "decode errors")
        guard renditions.count <= ChildBounds.maxRenditions else { throw ProtocolViolation("\(renditions.count) renditions") }
        for rendition in renditions {
            guard HLSFileNames.isRenditionName(rendition.name) else { throw ProtocolViolation("rendition name \(rendition.name.debugDescription)") }
            for (value, what) in [(rendition.segments, "segments"), (rendition.averageBitrate, "average bitrate"), (rendition.peakBitrate, "peak bitrate"),
                                  (rendition.width ?? 0, "width"), (rendition.height ?? 0, "height")] {
                try Check.count(value, what)
            }
        }
        guard (clips ?? []).count <= ChildBounds.maxClips else { throw ProtocolViolation("\(clips?.count ?? 0) clips") }
    }

    /// The outcome with every path it names confined to `output`: the master is the job's own,
    /// and each clip's files lie in the output folder's clips.
    func confined(to output: String) throws(ProtocolViolation) -> FileJobOutcome {
        let root = (output as NSString).standardizingPath
        func inside(_ path: String, _ what: String) throws(ProtocolViolation) {
            let resolved = (path as NSString).standardizingPath
            guard resolved.hasPrefix(root + "/") else {
                throw ProtocolViolation("\(what) \(path.prefix(200).debugDescription) is outside the job's folder")
            }
        }
        try inside(masterPlaylist, "master playlist")
        for clip in clips ?? [] {
            try inside(clip.master, "clip master")
            try inside(clip.mp4, "clip MP4")
        }
        return self
    }
}
