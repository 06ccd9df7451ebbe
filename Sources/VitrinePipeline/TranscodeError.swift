// Job failures, each with a one-line message naming what is wrong and where, and the process
// exit code the CLI maps it to (sysexits.h values, documented in the README).
import VitrineHLS

public enum TranscodeError: Error, CustomStringConvertible, Equatable {
    /// A command-line value does not parse (a ladder string, a duration).
    case invalidArgument(String)
    /// The input is missing, unreadable or not media.
    case unreadableInput(String)
    /// The input is media but truncated or too damaged to finish.
    case damagedInput(String)
    /// The output folder cannot be created or written.
    case unwritableOutput(String)
    /// A write failed for lack of space.
    case diskFull(String)
    /// A failure inside Vitrine or FFmpeg that is none of the above.
    case internalFailure(String)
    /// Stopped on request (an operator's DELETE, a shutdown); what it wrote is removed.
    case cancelled(String)

    public var description: String {
        switch self {
        case let .invalidArgument(m), let .unreadableInput(m), let .damagedInput(m),
             let .unwritableOutput(m), let .diskFull(m), let .internalFailure(m), let .cancelled(m):
            return m
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .invalidArgument: return 64   // EX_USAGE
        case .damagedInput: return 65      // EX_DATAERR
        case .unreadableInput: return 66   // EX_NOINPUT
        case .internalFailure: return 70   // EX_SOFTWARE
        case .unwritableOutput: return 73  // EX_CANTCREAT
        case .diskFull: return 74          // EX_IOERR
        case .cancelled: return 75         // EX_TEMPFAIL
        }
    }
}

extension TranscodeError {
    /// A failed output write: disk full (exit 74) or not writable (exit 73), naming the file.
    public init(_ error: FileWriteError) {
        self = error.isNoSpace ? .diskFull("disk full: \(error)") : .unwritableOutput(error.description)
    }
}
