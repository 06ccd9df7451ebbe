// An owning wrapper over AVPacket: allocated once, freed once.
import CFFmpeg

/// A compressed packet. Reference-counted data inside FFmpeg; `clone()` shares the payload.
public final class Packet {
    public let pointer: UnsafeMutablePointer<AVPacket>

    public init() throws {
        pointer = try allocated(av_packet_alloc(), "allocating a packet")
    }

    deinit {
        var p: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&p)
    }

    /// A packet holding a copy of `bytes` (FFmpeg pads the buffer as decoders require).
    public convenience init(copying bytes: [UInt8], pts: Int64, dts: Int64, keyframe: Bool) throws {
        try self.init()
        try check(av_new_packet(pointer, try cInt(bytes.count, "packet size")), "allocating a \(bytes.count)-byte packet")
        if !bytes.isEmpty {
            bytes.withUnsafeBufferPointer { pointer.pointee.data.update(from: $0.baseAddress!, count: bytes.count) }
        }
        pointer.pointee.pts = pts
        pointer.pointee.dts = dts
        if keyframe { pointer.pointee.flags |= AV_PKT_FLAG_KEY }
    }

    /// A new packet referencing the same payload (no copy of the data).
    public func clone() throws -> Packet {
        let copy = try Packet()
        try check(av_packet_ref(copy.pointer, pointer), "referencing a packet")
        return copy
    }

    public var streamIndex: Int { Int(pointer.pointee.stream_index) }
    public var pts: Int64 {
        get { pointer.pointee.pts }
        set { pointer.pointee.pts = newValue }
    }
    public var dts: Int64 {
        get { pointer.pointee.dts }
        set { pointer.pointee.dts = newValue }
    }
    public var duration: Int64 {
        get { pointer.pointee.duration }
        set { pointer.pointee.duration = newValue }
    }
    public var size: Int { Int(pointer.pointee.size) }
    public var isKeyframe: Bool { pointer.pointee.flags & AV_PKT_FLAG_KEY != 0 }
    public var isCorrupt: Bool { pointer.pointee.flags & AV_PKT_FLAG_CORRUPT != 0 }

    /// The payload bytes, valid while the packet lives.
    public var data: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: pointer.pointee.data, count: size)
    }

    public func rescaleTimestamps(from: TimeBase, to: TimeBase) {
        av_packet_rescale_ts(pointer, from.rational, to.rational)
    }

    public func unref() { av_packet_unref(pointer) }
}
