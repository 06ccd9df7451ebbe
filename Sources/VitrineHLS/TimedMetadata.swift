// TimedMetadata.swift - in-band timed metadata for players that surface ID3 but not DATERANGE
// (Android's Media3/ExoPlayer, some hls.js paths): an ID3v2.4 tag with one TXXX frame holding a
// small JSON object, carried in TS as a timed ID3 stream (stream type 0x15, as Apple's HLS
// timed-metadata spec) and in fMP4 as an `emsg` box (ISO/IEC 23009-1 5.10.3.3, version 1) with
// the AOM ID3-in-CMAF scheme.

/// One event at `seconds` on the rendition's timeline, with its ID3 payload text (JSON).
public struct TimedMetadataEvent: Sendable, Equatable {
    public var seconds: Double
    public var text: String

    public init(seconds: Double, text: String) {
        self.seconds = seconds
        self.text = text
    }
}

public enum ID3Tag {
    /// The TXXX description players match on.
    public static let description = "com.vitrine.card"
    /// A payload is a small JSON object; anything longer is a bug upstream, cut rather than sent.
    public static let maxTextBytes = 4096

    /// An ID3v2.4 tag: header, then one TXXX frame (UTF-8 description and value).
    public static func txxx(_ text: String, description: String = ID3Tag.description) -> [UInt8] {
        var body: [UInt8] = [0x03]  // UTF-8
        body += Array(description.utf8) + [0]
        body += Array(text.utf8.prefix(maxTextBytes))
        let frame = Array("TXXX".utf8) + syncsafe(body.count) + [0, 0] + body
        return Array("ID3".utf8) + [0x04, 0x00, 0x00] + syncsafe(frame.count) + frame
    }

    /// 28 bits in four bytes of 7 (ID3v2.4 sizes never hold a 0xFF that looks like MPEG sync).
    static func syncsafe(_ value: Int) -> [UInt8] {
        [UInt8((value >> 21) & 0x7F), UInt8((value >> 14) & 0x7F), UInt8((value >> 7) & 0x7F), UInt8(value & 0x7F)]
    }
}

public enum EventMessageBox {
    /// AOM "Carriage of ID3 Timed Metadata in CMAF": players route these to their ID3 handling.
    public static let scheme = "https://aomedia.org/emsg/ID3"
    public static let timescale: UInt32 = 90_000

    /// An `emsg` v1 box: the event's presentation time is absolute on the track's timeline (not
    /// relative to the fragment), so it marks the exact instant wherever the box sits.
    public static func id3(_ event: TimedMetadataEvent, id: UInt32) -> [UInt8] {
        let time = UInt64(max(0, (event.seconds * Double(timescale)).rounded()))
        var payload: [UInt8] = [1, 0, 0, 0]  // version 1, flags 0
        payload += bigEndian(UInt64(timescale), bytes: 4)
        payload += bigEndian(time, bytes: 8)
        payload += bigEndian(0xFFFF_FFFF, bytes: 4)  // duration unknown
        payload += bigEndian(UInt64(id), bytes: 4)
        payload += Array(scheme.utf8) + [0]
        payload += [0]  // value: empty
        payload += ID3Tag.txxx(event.text)
        return bigEndian(UInt64(payload.count + 8), bytes: 4) + Array("emsg".utf8) + payload
    }

    private static func bigEndian(_ value: UInt64, bytes: Int) -> [UInt8] {
        (0..<bytes).reversed().map { UInt8((value >> (8 * UInt64($0))) & 0xFF) }
    }
}
