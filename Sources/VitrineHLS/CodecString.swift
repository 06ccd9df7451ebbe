// RFC 6381 codec strings for the master playlist's CODECS attribute, read from what the
// encoder really produced (its SPS), not from what we asked for.
public enum CodecString {
    public static let aacLC = "mp4a.40.2"

    /// `avc1.PPCCLL` from an SPS found in Annex B data (TS packets) or an avcC record (extradata).
    public static func avc1(fromH264 data: [UInt8]) -> String? {
        if data.first == 1, data.count >= 4 {
            return format(profile: data[1], constraints: data[2], level: data[3])
        }
        var i = 0
        while i + 4 < data.count {
            // Look for a 3-byte start code; a 4-byte one contains it.
            if data[i] == 0, data[i + 1] == 0, data[i + 2] == 1 {
                let header = data[i + 3]
                if header & 0x1F == 7, i + 6 < data.count {
                    return format(profile: data[i + 4], constraints: data[i + 5], level: data[i + 6])
                }
                i += 3
            } else {
                i += 1
            }
        }
        return nil
    }

    private static func format(profile: UInt8, constraints: UInt8, level: UInt8) -> String {
        "avc1." + [profile, constraints, level].map { hex($0) }.joined()
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
