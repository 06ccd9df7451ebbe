// Which client a connection or request counts against, for the caps that bound what one client
// may take (connections, viewer tokens). An IPv4 client is its address; an IPv6 client is its
// /64, since one host is routinely handed a whole /64 and could otherwise pick a fresh address
// for every connection. An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 address.
import NIOCore

enum ClientAddress {
    /// The key a peer is counted under; "?" when the channel has no IP peer (a test channel).
    static func key(_ address: SocketAddress?) -> String {
        switch address {
        case let .v4(v4)?:
            return ipv4(withUnsafeBytes(of: v4.address.sin_addr) { Array($0) })
        case let .v6(v6)?:
            let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
                return ipv4(Array(bytes[12..<16]))
            }
            return prefix64(bytes)
        default:
            return "?"
        }
    }

    static func ipv4(_ bytes: [UInt8]) -> String {
        bytes.map(String.init).joined(separator: ".")
    }

    /// The first 64 bits in the usual group notation, e.g. "2001:db8:0:7::/64".
    static func prefix64(_ bytes: [UInt8]) -> String {
        let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
        return groups.joined(separator: ":") + "::/64"
    }
}
