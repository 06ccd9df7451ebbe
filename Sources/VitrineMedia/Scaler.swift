// libswscale: converts any decoded picture (any size, bit depth, chroma format) to 8-bit 4:2:0
// at a rung's size. One per lane, so no state is shared between threads.
import CFFmpeg

public final class Scaler {
    private var context: OpaquePointer? = nil
    private var source: (width: Int32, height: Int32, format: Int32) = (0, 0, -1)
    public let width: Int
    public let height: Int
    public let flags: Int32

    public init(width: Int, height: Int, flags: Int32 = SWS_BICUBIC) {
        self.width = width
        self.height = height
        self.flags = flags
    }

    deinit { sws_freeContext(context) }

    /// Scales `frame` into a new yuv420p frame; the context is rebuilt when the source changes
    /// shape mid-stream (a publisher switching resolution).
    public func scale(_ frame: Frame) throws -> Frame {
        let src = frame.pointer.pointee
        if context == nil || source != (src.width, src.height, src.format) {
            sws_freeContext(context)
            context = nil
            let w = try cInt(width, "scaled width"), h = try cInt(height, "scaled height")
            context = sws_getContext(src.width, src.height, AVPixelFormat(rawValue: src.format),
                                     w, h, AV_PIX_FMT_YUV420P, flags, nil, nil, nil)
            guard context != nil else {
                throw MediaError.unsupported("cannot scale \(src.width)x\(src.height) \(pixelFormatName(src.format)) to \(width)x\(height)")
            }
            source = (src.width, src.height, src.format)
        }
        let output = try Frame.video(width: width, height: height, format: AV_PIX_FMT_YUV420P)
        try withUnsafePointer(to: frame.pointer.pointee.data) { srcData in
            try withUnsafePointer(to: frame.pointer.pointee.linesize) { srcLines in
                try withUnsafePointer(to: &output.pointer.pointee.data) { dstData in
                    try withUnsafePointer(to: &output.pointer.pointee.linesize) { dstLines in
                        let s = UnsafeRawPointer(srcData).assumingMemoryBound(to: UnsafePointer<UInt8>?.self)
                        let sl = UnsafeRawPointer(srcLines).assumingMemoryBound(to: Int32.self)
                        let d = UnsafeRawPointer(dstData).assumingMemoryBound(to: UnsafeMutablePointer<UInt8>?.self)
                        let dl = UnsafeRawPointer(dstLines).assumingMemoryBound(to: Int32.self)
                        try check(sws_scale(context, s, sl, 0, src.height, d, dl), "scaling to \(width)x\(height)")
                    }
                }
            }
        }
        output.pts = frame.pts
        return output
    }
}

public func pixelFormatName(_ format: Int32) -> String {
    guard let name = av_get_pix_fmt_name(AVPixelFormat(rawValue: format)) else { return "format \(format)" }
    return String(cString: name)
}
