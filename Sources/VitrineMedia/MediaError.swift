// Errors from FFmpeg calls, with av_strerror's text, and the one function every call goes through.
import CFFmpeg

/// A failed FFmpeg call or an unsupported media property, named after what was being done.
public enum MediaError: Error, CustomStringConvertible, Equatable {
    /// An FFmpeg function returned a negative code.
    case ffmpeg(operation: String, code: Int32, message: String)
    /// No decoder or encoder is available for a codec.
    case codecNotFound(String)
    /// The media has a property Vitrine refuses (a picture too large, no usable stream, ...).
    case unsupported(String)
    /// An allocation inside FFmpeg returned NULL.
    case outOfMemory(String)

    public var description: String {
        switch self {
        case let .ffmpeg(operation, _, message): return "\(operation): \(message)"
        case let .codecNotFound(name): return "no codec available for \(name)"
        case let .unsupported(what): return what
        case let .outOfMemory(what): return "out of memory while \(what)"
        }
    }

    /// The FFmpeg error code, when there is one.
    public var code: Int32? {
        if case let .ffmpeg(_, code, _) = self { return code }
        return nil
    }
}

/// The text FFmpeg gives for an error code.
public func ffmpegErrorText(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    if av_strerror(code, &buffer, buffer.count) < 0 {
        return "unknown error \(code)"
    }
    return String(cString: buffer)
}

/// FFmpeg codes that are control flow rather than failures.
public enum AVStatus {
    public static let again = vitrine_averror_eagain()
    public static let endOfFile = vitrine_averror_eof()
    public static func posix(_ errno: Int32) -> Int32 { vitrine_averror(errno) }
}

/// Turns a negative FFmpeg return code into a thrown `MediaError`; passes other values through.
@discardableResult
public func check(_ code: Int32, _ operation: @autoclosure () -> String) throws -> Int32 {
    if code < 0 {
        throw MediaError.ffmpeg(operation: operation(), code: code, message: ffmpegErrorText(code))
    }
    return code
}

/// Unwraps a pointer FFmpeg returned, throwing `outOfMemory` for NULL.
public func allocated<T>(_ pointer: T?, _ what: @autoclosure () -> String) throws -> T {
    guard let pointer else { throw MediaError.outOfMemory(what()) }
    return pointer
}

/// A size or count for a C `int` field: one that does not fit is refused, never trapped on.
public func cInt(_ value: Int, _ what: @autoclosure () -> String) throws -> Int32 {
    guard let converted = Int32(exactly: value) else { throw MediaError.unsupported("\(what()) \(value) is out of range") }
    return converted
}
