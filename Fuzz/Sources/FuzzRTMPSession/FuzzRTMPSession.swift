// The whole RTMP receive path: handshake, chunk decoder, protocol control, AMF0 commands and
// FLV media (Adobe RTMP spec 1.0 sections 5-7), through RTMPSession as the server drives it.
//
// Input: byte 0 is a mode. Bit 0 set: the harness sends a valid plain handshake first, so the
// fuzzer spends its time on chunks and commands. Bits 1-7: the size of the pieces the rest is
// fed in (0 = all at once). The oracle is the session's own promise: what it does must not
// depend on how the bytes were split, so each input is replayed whole and in pieces (with the
// same handshake filler and clock) and both transcripts must match. Every publish request is
// accepted, as a known key would be; a closed session must stay silent.
import VitrineRTMP

let filler = [UInt8](repeating: 0x5A, count: 3072)
let clientHandshake: [UInt8] = [3] + [UInt8](repeating: 0, count: 8) + [UInt8](repeating: 0x21, count: 1528)
    + [UInt8](repeating: 0x5A, count: 1536)

/// Sends flattened into one byte run, other actions in order.
struct Transcript: Equatable {
    var sent: [UInt8] = []
    var events: [String] = []

    mutating func record(_ actions: [RTMPAction], session: inout RTMPSession, now: RTMPInstant) {
        for action in actions {
            switch action {
            case .send(let bytes): sent += bytes
            case .publishRequested:
                events.append("\(action)")
                record(session.acceptPublish(), session: &session, now: now)
            default: events.append("\(action)")
            }
        }
    }
}

func replay(_ stream: [UInt8], piece: Int) -> Transcript {
    let start = RTMPInstant(milliseconds: 1_000)
    var session = RTMPSession(now: start, random: filler)
    var transcript = Transcript()
    var offset = 0
    while offset < stream.count {
        let end = piece == 0 ? stream.count : min(stream.count, offset + piece)
        transcript.record(session.receive(Array(stream[offset..<end]), now: start), session: &session, now: start)
        offset = end
    }
    transcript.record(session.tick(now: start.adding(milliseconds: 20_000)), session: &session, now: start)
    if session.isClosed, !session.receive([3, 0, 0], now: start).isEmpty { fatalError("a closed session answered") }
    return transcript
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRTMPSession(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let rest = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let stream = (data[0] & 1 == 1 ? clientHandshake : []) + rest
    let piece = Int(data[0] >> 1)
    let whole = replay(stream, piece: 0)
    if piece > 0 {
        let pieces = replay(stream, piece: piece)
        if pieces != whole {
            fatalError("split into \(piece)-byte pieces the session did otherwise:\n\(pieces.events)\nvs whole:\n\(whole.events)")
        }
    }
    return 0
}
