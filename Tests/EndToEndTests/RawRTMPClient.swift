// A raw TCP client for hostile-peer tests: sends exactly the bytes a test chooses to the real
// server and reports whether, and how soon, the server hangs up. Loopback only.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

final class RawClient {
    private let fd: Int32

    /// - Parameter receiveBuffer: SO_RCVBUF in bytes, set before connecting (a peer that reads
    ///   nothing fills a small one fast).
    /// - Parameter source: the local address to connect from; Linux loopback takes any of 127/8,
    ///   so one machine can be several clients.
    init(port: Int, receiveBuffer: Int32? = nil, source: String = "127.0.0.1") throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EBADF) }
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        func withAddress(_ host: String, port: Int, _ call: (UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32 {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr(host)
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { call($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        let bound = withAddress(source, port: 0) { bind(fd, $0, $1) }
        let result = bound == 0 ? withAddress("127.0.0.1", port: port) { connect(fd, $0, $1) } : bound
        guard result == 0 else {
            close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .ECONNREFUSED)
        }
    }

    deinit { close(fd) }

    /// Sends bytes; false once the server has closed (EPIPE/ECONNRESET).
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }

    enum Attempt: Equatable { case sent(Int), wouldBlock, closed }

    /// One send that does not wait: how much the socket took, or whether it is full or closed.
    func trySend(_ bytes: [UInt8]) -> Attempt {
        let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress!, bytes.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        if n >= 0 { return .sent(n) }
        return errno == EAGAIN || errno == EWOULDBLOCK ? .wouldBlock : .closed
    }

    /// Reads exactly `count` bytes, or nil if the connection ends or `seconds` pass first.
    func read(_ count: Int, seconds: Double = 5) -> [UInt8]? {
        var buffer = [UInt8]()
        let deadline = Date().addingTimeInterval(seconds)
        while buffer.count < count && Date() < deadline {
            guard waitReadable(until: deadline) else { return nil }
            var chunk = [UInt8](repeating: 0, count: count - buffer.count)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n <= 0 { return nil }
            buffer += chunk.prefix(n)
        }
        return buffer.count == count ? buffer : nil
    }

    /// True when the server closes the connection within `seconds` (whatever it sends first).
    func closedByServer(within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var scratch = [UInt8](repeating: 0, count: 65_536)
        while Date() < deadline {
            guard waitReadable(until: deadline) else { return false }
            let n = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n <= 0 { return true }
        }
        return false
    }

    private func waitReadable(until deadline: Date) -> Bool {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ms = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
        return poll(&poller, 1, ms) > 0
    }

    /// Completes the plain RTMP handshake (C0/C1, read S0/S1/S2, echo S1 as C2).
    func handshake() -> Bool {
        var c1 = [UInt8](repeating: 0, count: 1536)
        for i in 8..<1536 { c1[i] = UInt8.random(in: 0...255) }
        guard send([3] + c1), let reply = read(1 + 1536 + 1536), reply[0] == 3 else { return false }
        return send(Array(reply[1...1536]))
    }
}

/// Type-0 chunk header on chunk stream `csid` (< 64) for a message of `length` bytes.
func chunkHeader(csid: UInt8, type: UInt8, length: Int, streamID: UInt32 = 0, fmt: UInt8 = 0) -> [UInt8] {
    let basic = fmt << 6 | csid
    switch fmt {
    case 0:
        return [basic, 0, 0, 0, UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), type,
                UInt8(streamID & 0xFF), UInt8(streamID >> 8 & 0xFF), UInt8(streamID >> 16 & 0xFF), UInt8(streamID >> 24)]
    case 1:
        return [basic, 0, 0, 0, UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), type]
    default:
        return [basic]
    }
}

/// A whole message on chunk stream `csid`, split at the default 128-byte chunk size with
/// type-3 continuation headers, as a well-behaved peer would send it.
func chunked(csid: UInt8, type: UInt8, body: [UInt8], streamID: UInt32 = 0) -> [UInt8] {
    var bytes = chunkHeader(csid: csid, type: type, length: body.count, streamID: streamID)
    for (i, start) in stride(from: 0, to: body.count, by: 128).enumerated() {
        if i > 0 { bytes.append(0xC0 | csid) }
        bytes += body[start ..< min(body.count, start + 128)]
    }
    return bytes
}

/// connect to app "live", createStream and publish `key`, as ffmpeg sends them.
func rtmpConnect() -> [UInt8] {
    chunked(csid: 3, type: 20, body: amf0String("connect") + amf0One + [3, 0, 3] + Array("app".utf8) + amf0String("live") + [0, 0, 9])
}

func rtmpCreateStream() -> [UInt8] {
    chunked(csid: 3, type: 20, body: amf0String("createStream") + [0, 0x40, 0, 0, 0, 0, 0, 0, 0, 5])
}

func rtmpPublish(_ key: String) -> [UInt8] {
    chunked(csid: 4, type: 20, body: amf0String("publish") + [0, 0x40, 0x08, 0, 0, 0, 0, 0, 0, 5] + amf0String(key) + amf0String("live"), streamID: 1)
}

/// AMF0 number 1.0 (a transaction id).
let amf0One: [UInt8] = [0, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0]

/// User Control Ping Request (spec 7.1.7, event 6): the server must answer each one.
func rtmpPing(_ timestamp: UInt32) -> [UInt8] {
    chunkHeader(csid: 2, type: 4, length: 6) + [0, 6, UInt8(timestamp >> 24), UInt8(timestamp >> 16 & 0xFF), UInt8(timestamp >> 8 & 0xFF), UInt8(timestamp & 0xFF)]
}

/// AMF0 string value.
func amf0String(_ text: String) -> [UInt8] {
    let bytes = Array(text.utf8)
    return [2, UInt8(bytes.count >> 8), UInt8(bytes.count & 0xFF)] + bytes
}
