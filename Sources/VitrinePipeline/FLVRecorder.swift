// Records a publish's source as received, without re-encoding: the access units written back as
// FLV tags (Adobe FLV spec 10.1, annex E: header, then tag + PreviousTagSize), AAC and H.264 with
// their sequence headers, so the show can be re-encoded as a replay later. Writes happen on the
// recorder's own queue, bounded, so a slow disk costs the recording, never the live job.
import Dispatch
import Foundation
import Logging
import VitrineRTMP

final class FLVRecorder: @unchecked Sendable {
    let path: String
    private let fd: Int32
    private let queue: DispatchQueue
    private let lock = NSLock()
    private var pending = 0
    private var pendingBytes = 0
    private var dropped = 0
    private var failed = false
    private var origin: Int64?
    private var logger: Logger
    /// Units waiting for the disk before the recorder drops (a few seconds of A/V).
    private let capacity = 1_000
    /// And in bytes: a unit may be up to the RTMP message cap, 10 MiB.
    private let capacityBytes = 32 << 20

    init(path: String, logger: Logger) throws {
        self.path = path
        self.logger = logger
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw TranscodeError.unwritableOutput("cannot create recording \(path): \(String(cString: strerror(errno)))")
        }
        queue = DispatchQueue(label: "vitrine.record.\((path as NSString).lastPathComponent)", qos: .utility)
        // "FLV", version 1, audio + video present, header size 9, then PreviousTagSize0 = 0.
        write([0x46, 0x4C, 0x56, 0x01, 0x05, 0, 0, 0, 9, 0, 0, 0, 0])
    }

    deinit { close(fd) }

    /// Called on the event loop: queues the unit and returns.
    func enqueue(_ unit: AccessUnit) {
        let bytes = unit.payload.count
        let admitted = lock.withLock { () -> Bool in
            guard pending < capacity, pendingBytes + bytes <= capacityBytes, !failed else {
                dropped += 1
                return false
            }
            pending += 1
            pendingBytes += bytes
            return true
        }
        guard admitted else { return }
        queue.async { [self] in
            write(Self.tag(for: unit, timestamp: timestamp(of: unit)))
            lock.withLock {
                pending -= 1
                pendingBytes -= bytes
            }
        }
    }

    /// Writes what is queued and closes the file; returns once it is on disk.
    func finish() {
        queue.sync {
            if fsync(fd) != 0 { logger.warning("recording not synced", metadata: ["error": "\(String(cString: strerror(errno)))"]) }
        }
        let lost = lock.withLock { dropped }
        logger.info("recording closed", metadata: ["path": "\(path)", "droppedUnits": "\(lost)"])
    }

    /// Milliseconds from the first unit, clamped to FLV's 32-bit field.
    private func timestamp(of unit: AccessUnit) -> UInt32 {
        if origin == nil { origin = unit.dts }
        return UInt32(clamping: max(0, unit.dts - (origin ?? 0)))
    }

    static func tag(for unit: AccessUnit, timestamp: UInt32) -> [UInt8] {
        var body: [UInt8]
        switch unit.track {
        case .video:
            // FrameType (1 key, 2 inter) | CodecID 7, AVCPacketType, SI24 composition time.
            let cts = Int32(clamping: unit.pts - unit.dts)
            body = [(unit.isKeyframe || unit.isSequenceHeader ? 0x10 : 0x20) | 0x07, unit.isSequenceHeader ? 0 : 1,
                    UInt8(truncatingIfNeeded: cts >> 16), UInt8(truncatingIfNeeded: cts >> 8), UInt8(truncatingIfNeeded: cts)]
        case .audio:
            // SoundFormat 10 (AAC) with the fixed 44 kHz/16-bit/stereo bits FLV requires for AAC.
            body = [0xAF, unit.isSequenceHeader ? 0 : 1]
        }
        body += unit.payload
        let size = UInt32(body.count)
        var tag: [UInt8] = [unit.track == .video ? 9 : 8,
                            UInt8(truncatingIfNeeded: size >> 16), UInt8(truncatingIfNeeded: size >> 8), UInt8(truncatingIfNeeded: size),
                            UInt8(truncatingIfNeeded: timestamp >> 16), UInt8(truncatingIfNeeded: timestamp >> 8),
                            UInt8(truncatingIfNeeded: timestamp), UInt8(truncatingIfNeeded: timestamp >> 24), 0, 0, 0]
        tag += body
        let previous = UInt32(tag.count)
        tag += [UInt8(truncatingIfNeeded: previous >> 24), UInt8(truncatingIfNeeded: previous >> 16),
                UInt8(truncatingIfNeeded: previous >> 8), UInt8(truncatingIfNeeded: previous)]
        return tag
    }

    private func write(_ bytes: [UInt8]) {
        guard !lock.withLock({ failed }) else { return }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                lock.withLock { failed = true }
                logger.error("recording stopped: write failed", metadata: ["path": "\(path)", "error": "\(String(cString: strerror(code)))"])
                return
            }
            offset += n
        }
    }
}
