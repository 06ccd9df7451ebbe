// What one frame of the job protocol holds (docs/job-protocol.md). Its first byte tells: `{` opens
// a JSON message (ToJob or FromJob); 0x01 is a live access unit (supervisor to job), 0x02 a change
// to the memory-served HLS (job to supervisor). The two binary kinds carry media, which JSON would
// bloat by a third and cost a copy to escape.
//
//   0x01 track(0 video, 1 audio) codec(0 H.264, 1 AAC) flags(1 sequence header, 2 keyframe,
//        4 discontinuity) dts(Int64 BE) pts(Int64 BE) arrival(UInt64 BE: CLOCK_MONOTONIC ns when
//        serve received it, so latency counts from there) payload...
//   0x02 op(0 put, 1 remove, 2 drop segments) pathLength(UInt16 BE) path(UTF-8) bytes...
import Foundation
import VitrinePipeline
import VitrineRTMP

public enum JobFrame: Sendable {
    case message(Data)
    case accessUnit(AccessUnit, arrival: UInt64)
    case hls(LiveHLSMemory.Change)

    static let accessUnitKind: UInt8 = 0x01
    static let hlsKind: UInt8 = 0x02
    static let unitHeaderBytes = 1 + 3 + 24

    public static func parse(_ frame: Data) throws -> JobFrame {
        guard let kind = frame.first else { throw JobWireError.malformed("empty frame") }
        // JSON goes to its decoder as it came; only media frames are read as bytes.
        if kind == UInt8(ascii: "{") { return .message(frame) }
        let bytes = [UInt8](frame)
        switch kind {
        case accessUnitKind:
            guard bytes.count >= unitHeaderBytes, bytes[1] <= 1, bytes[2] <= 1, bytes[3] & ~7 == 0 else {
                throw JobWireError.malformed("access unit header")
            }
            let track: AccessUnit.Track = bytes[1] == 0 ? .video : .audio
            let codec: AccessUnit.Codec = bytes[2] == 0 ? .h264 : .aac
            return .accessUnit(AccessUnit(
                track: track, codec: codec, isSequenceHeader: bytes[3] & 1 != 0, isKeyframe: bytes[3] & 2 != 0,
                dts: int64(bytes, at: 4), pts: int64(bytes, at: 12), discontinuity: bytes[3] & 4 != 0,
                payload: Array(bytes[unitHeaderBytes...])), arrival: UInt64(bitPattern: int64(bytes, at: 20)))
        case hlsKind:
            guard bytes.count >= 4, bytes[1] <= 2 else { throw JobWireError.malformed("hls change header") }
            let length = Int(bytes[2]) << 8 | Int(bytes[3])
            guard bytes.count >= 4 + length, let path = String(bytes: bytes[4..<(4 + length)], encoding: .utf8),
                  !path.contains(".."), !path.hasPrefix("/") else { throw JobWireError.malformed("hls change path") }
            switch bytes[1] {
            case 0: return .hls(.put(path, Array(bytes[(4 + length)...])))
            case 1: return .hls(.remove(path))
            default: return .hls(.dropSegments(path))
            }
        default:
            throw JobWireError.malformed("unknown frame kind \(kind)")
        }
    }

    public static func encode(_ unit: AccessUnit, arrival: UInt64) -> Data {
        var out = [UInt8](repeating: 0, count: unitHeaderBytes)
        out[0] = accessUnitKind
        out[1] = unit.track == .video ? 0 : 1
        out[2] = unit.codec == .h264 ? 0 : 1
        out[3] = (unit.isSequenceHeader ? 1 : 0) | (unit.isKeyframe ? 2 : 0) | (unit.discontinuity ? 4 : 0)
        put(unit.dts, into: &out, at: 4)
        put(unit.pts, into: &out, at: 12)
        put(Int64(bitPattern: arrival), into: &out, at: 20)
        out.append(contentsOf: unit.payload)
        return Data(out)
    }

    public static func encode(_ change: LiveHLSMemory.Change) -> Data {
        let (op, path, bytes): (UInt8, String, [UInt8])
        switch change {
        case let .put(p, b): (op, path, bytes) = (0, p, b)
        case let .remove(p): (op, path, bytes) = (1, p, [])
        case let .dropSegments(p): (op, path, bytes) = (2, p, [])
        }
        let name = Array(path.utf8.prefix(Int(UInt16.max)))
        var out: [UInt8] = [hlsKind, op, UInt8(name.count >> 8), UInt8(name.count & 0xff)]
        out += name
        out += bytes
        return Data(out)
    }

    private static func int64(_ bytes: [UInt8], at offset: Int) -> Int64 {
        var value: UInt64 = 0
        for i in 0..<8 { value = value << 8 | UInt64(bytes[offset + i]) }
        return Int64(bitPattern: value)
    }

    private static func put(_ value: Int64, into bytes: inout [UInt8], at offset: Int) {
        let bits = UInt64(bitPattern: value)
        for i in 0..<8 { bytes[offset + i] = UInt8(truncatingIfNeeded: bits >> (56 - 8 * i)) }
    }
}
