// CardError.swift - every way a card (or a cards file) can be refused, with one clear message each.
//
// Paths use the JSON spelling (`cards[2].price.amount`) so an operator can find the offending value;
// live updates use `card "id"` as the root instead of `cards[i]`.

import Foundation

/// Why a card or a cards file was refused. Raised when cards are pushed, never per frame.
public enum CardError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The bytes are not JSON at all (syntax error), with the position of the first bad byte.
    case malformedJSON(line: Int?, column: Int?)
    /// A required field is absent; `line` is the line of the object that lacks it.
    case missingField(path: String, line: Int?)
    /// A field holds the wrong JSON type (or null).
    case wrongType(path: String, expected: String, line: Int?)
    /// A field has the right type but a value we cannot accept (bad colour, unknown anchor, ...).
    case invalidValue(path: String, reason: String, line: Int?)
    case invalidAmount(path: String, amount: String, reason: String)
    case unknownCurrency(path: String, code: String)
    case unknownLocale(path: String, identifier: String)
    case image(path: String, file: String, reason: ImageError)
    case endBeforeStart(path: String, start: Double, end: Double)
    case negativeStart(path: String, start: Double)
    case marginOutsideFrame(path: String, value: Double)
    case widthOutOfRange(path: String, value: Double)
    case cornerRadiusOutOfRange(path: String, value: Double)
    case invalidDuration(path: String, milliseconds: Int)
    case emptyText(path: String)
    case textTooLong(path: String, length: Int, limit: Int)
    case duplicateID(String)
    case unknownCardID(String)
    case countdownNeedsWallClock(path: String)
    /// A job's timeline holds at most `limit` cards (every revision of a changed card counts).
    case tooManyCards(limit: Int)

    public var description: String {
        switch self {
        case let .malformedJSON(line, column):
            if let line, let column { return "cards file is not valid JSON: syntax error at line \(line), column \(column)" }
            return "cards file is not valid JSON"
        case let .missingField(path, line):
            return "missing required field \(path)\(Self.at(line))"
        case let .wrongType(path, expected, line):
            return "field \(path)\(Self.at(line)) has the wrong type: expected \(expected)"
        case let .invalidValue(path, reason, line):
            return "field \(path)\(Self.at(line)) is invalid: \(reason)"
        case let .invalidAmount(path, amount, reason):
            return "field \(path): amount \"\(amount)\" is invalid: \(reason)"
        case let .unknownCurrency(path, code):
            return "field \(path): unknown currency \"\(code)\" (not an ISO 4217 code we can format)"
        case let .unknownLocale(path, identifier):
            return "field \(path): unknown locale \"\(identifier)\" (no number format known for it)"
        case let .image(path, file, reason):
            return "field \(path): image \"\(file)\" rejected: \(reason)"
        case let .endBeforeStart(path, start, end):
            return "field \(path).end: end \(end) s is not after start \(start) s"
        case let .negativeStart(path, start):
            return "field \(path).start: start \(start) s is negative"
        case let .marginOutsideFrame(path, value):
            return "field \(path): margin \(value) puts the card outside the frame (allowed 0...1)"
        case let .widthOutOfRange(path, value):
            return "field \(path): width fraction \(value) is outside (0, 1]"
        case let .cornerRadiusOutOfRange(path, value):
            return "field \(path): corner radius \(value) is outside 0...0.5 of the card height"
        case let .invalidDuration(path, milliseconds):
            return "field \(path): duration \(milliseconds) ms is outside 0...10000"
        case let .emptyText(path):
            return "field \(path) is empty"
        case let .textTooLong(path, length, limit):
            return "field \(path) is \(length) characters long (limit \(limit))"
        case let .duplicateID(id):
            return "card id \"\(id)\" is used more than once"
        case let .unknownCardID(id):
            return "no card with id \"\(id)\" on the timeline"
        case let .countdownNeedsWallClock(path):
            return "field \(path).endsAt: a date target needs the timeline's wall-clock origin, and none was set"
        case let .tooManyCards(limit):
            return "this job already has \(limit) cards (each price or stock change counts one): no more can be added"
        }
    }

    private static func at(_ line: Int?) -> String {
        line.map { " (line \($0))" } ?? ""
    }

    /// The field a validation error is about, for finding its line in a cards file: validation
    /// works on decoded values, so unlike shape errors these carry a path but no line.
    public var unlocatedFieldPath: String? {
        switch self {
        case let .invalidValue(path, _, nil): return path
        case let .invalidAmount(path, _, _), let .unknownCurrency(path, _), let .unknownLocale(path, _),
             let .image(path, _, _), let .marginOutsideFrame(path, _), let .widthOutOfRange(path, _),
             let .cornerRadiusOutOfRange(path, _), let .invalidDuration(path, _), let .emptyText(path),
             let .textTooLong(path, _, _):
            return path
        case let .endBeforeStart(path, _, _): return path + ".end"
        case let .negativeStart(path, _): return path + ".start"
        case let .countdownNeedsWallClock(path): return path + ".endsAt"
        default: return nil
        }
    }
}

/// Why an overlay image could not be used.
public enum ImageError: Error, CustomStringConvertible, Equatable, Sendable {
    case missing
    /// An FFmpeg call failed; `message` is av_strerror's text.
    case ffmpeg(call: String, code: Int32, message: String)
    case noVideoStream
    case noDecoder(codec: String)
    case noFrame
    case oversized(width: Int, height: Int)
    case tooManyBytes(bytes: Int)
    /// The path leaves the images folder (absolute, `..`, or a link pointing out).
    case outsideFolder

    public var description: String {
        switch self {
        case .missing: return "file not found"
        case .outsideFolder: return "not inside the images folder (no absolute path, no .., no link out)"
        case let .ffmpeg(call, code, message): return "\(call) failed (\(code)): \(message)"
        case .noVideoStream: return "no picture stream in the file"
        case let .noDecoder(codec): return "no decoder for codec \(codec)"
        case .noFrame: return "the file holds no decodable picture"
        case let .oversized(width, height):
            return "picture is \(width)x\(height), larger than \(ImageLimits.maxSide)x\(ImageLimits.maxSide)"
        case let .tooManyBytes(bytes):
            return "decoded picture needs \(bytes) bytes, more than \(ImageLimits.maxDecodedBytes) (16 MiB)"
        }
    }
}

/// Limits from design.md: an overlay image is at most 4096x4096 and 16 MiB decoded (BGRA bytes).
public enum ImageLimits {
    public static let maxSide = 4096
    public static let maxDecodedBytes = 16 * 1024 * 1024
    /// Pixels a decoder may allocate for one picture (FFmpeg's max_pixels): 16 MiB of BGRA.
    public static let maxPixels = maxDecodedBytes / 4
}

/// Failures while drawing a card (Cairo reports allocation failures as a status).
public enum RenderError: Error, CustomStringConvertible, Equatable, Sendable {
    case cairo(status: String)
    case frameSizeMismatch(expected: String, got: String)
    case invalidFrameSize(width: Int, height: Int)

    public var description: String {
        switch self {
        case let .cairo(status): return "cairo failed: \(status)"
        case let .frameSizeMismatch(expected, got): return "painter is for \(expected) frames, got \(got)"
        case let .invalidFrameSize(width, height): return "invalid frame size \(width)x\(height)"
        }
    }
}
