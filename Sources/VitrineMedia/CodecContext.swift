// One AVCodecContext, owned by exactly one Swift object and freed once, in its deinit. Encoder and
// Decoder hold one: when their initializer throws, Swift releases this object (and so frees the
// context) whether or not the outer object was fully initialized, and no catch block frees it too.
import CFFmpeg

public final class CodecContext {
    public let pointer: UnsafeMutablePointer<AVCodecContext>
    /// What the context's `opaque` points at; released only after the context is freed.
    private let opaqueOwner: AnyObject?

    init(_ codec: UnsafePointer<AVCodec>, _ what: @autoclosure () -> String, opaque: DecodeErrorCounter? = nil) throws {
        pointer = try allocated(avcodec_alloc_context3(codec), what())
        opaqueOwner = opaque
        if let opaque { pointer.pointee.opaque = opaque.pointer }
    }

    deinit {
        var p: UnsafeMutablePointer<AVCodecContext>? = pointer
        avcodec_free_context(&p)
    }
}
