// An owning wrapper over AVFrame. Frames are shared between lanes by reference (av_frame_ref),
// never written after being handed on.
import CFFmpeg

public final class Frame {
    public let pointer: UnsafeMutablePointer<AVFrame>

    public init() throws {
        pointer = try allocated(av_frame_alloc(), "allocating a frame")
    }

    deinit {
        var p: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&p)
    }

    /// A video frame with its own buffers, ready to be written into.
    public static func video(width: Int, height: Int, format: AVPixelFormat) throws -> Frame {
        let frame = try Frame()
        frame.pointer.pointee.width = try cInt(width, "picture width")
        frame.pointer.pointee.height = try cInt(height, "picture height")
        frame.pointer.pointee.format = format.rawValue
        try check(av_frame_get_buffer(frame.pointer, 0), "allocating a \(width)x\(height) picture")
        return frame
    }

    /// A new frame referencing the same buffers (no pixel copy).
    public func reference() throws -> Frame {
        let copy = try Frame()
        try check(av_frame_ref(copy.pointer, pointer), "referencing a frame")
        return copy
    }

    public func unref() { av_frame_unref(pointer) }

    public var width: Int { Int(pointer.pointee.width) }
    public var height: Int { Int(pointer.pointee.height) }
    public var format: Int32 { pointer.pointee.format }
    public var pixelFormat: AVPixelFormat { AVPixelFormat(rawValue: pointer.pointee.format) }
    public var sampleCount: Int { Int(pointer.pointee.nb_samples) }
    public var pts: Int64 {
        get { pointer.pointee.pts }
        set { pointer.pointee.pts = newValue }
    }
    /// The decoder's best guess of the presentation time (handles missing or reordered pts).
    public var bestEffortTimestamp: Int64 { pointer.pointee.best_effort_timestamp }
    public var sampleAspectRatio: AVRational { pointer.pointee.sample_aspect_ratio }
    public var hasDecodeErrors: Bool { pointer.pointee.decode_error_flags != 0 || pointer.pointee.flags & AV_FRAME_FLAG_CORRUPT != 0 }

    /// Asks the encoder to make this frame a keyframe (an IDR with x264's forced-idr).
    public func forceKeyframe(_ force: Bool) {
        pointer.pointee.pict_type = force ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE
    }

    public func plane(_ index: Int) -> UnsafeMutablePointer<UInt8>? {
        withUnsafeMutablePointer(to: &pointer.pointee.data) { tuple in
            tuple.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 8) { $0[index] }
        }
    }

    public func linesize(_ index: Int) -> Int {
        withUnsafeMutablePointer(to: &pointer.pointee.linesize) { tuple in
            tuple.withMemoryRebound(to: Int32.self, capacity: 8) { Int($0[index]) }
        }
    }

    /// Makes the buffers writable, copying only if another reference shares them.
    public func makeWritable() throws {
        try check(av_frame_make_writable(pointer), "making a frame writable")
    }
}
