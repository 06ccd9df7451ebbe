// The per-address HTTP connection cap's table, the address key it counts by, and the caps fitted
// to the open-file limit (#20). The end-to-end side is in HTTPLimitsTests.
import Logging
import NIOCore
import Testing
@testable import VitrineServer

struct HTTPAddressCapTests {
    @Test func anIPv6ClientIsItsSlash64AndAMappedIPv4ClientItsAddress() throws {
        #expect(ClientAddress.key(try SocketAddress(ipAddress: "10.1.2.3", port: 1)) == "10.1.2.3")
        #expect(ClientAddress.key(try SocketAddress(ipAddress: "2001:db8:0:7:1:2:3:4", port: 1)) == "2001:db8:0:7::/64")
        #expect(ClientAddress.key(try SocketAddress(ipAddress: "2001:db8:0:7:ffff::9", port: 1)) == "2001:db8:0:7::/64")
        #expect(ClientAddress.key(try SocketAddress(ipAddress: "2001:db8:0:8::1", port: 1)) == "2001:db8:0:8::/64")
        #expect(ClientAddress.key(try SocketAddress(ipAddress: "::ffff:10.1.2.3", port: 1)) == "10.1.2.3")
        #expect(ClientAddress.key(nil) == "?")
    }

    @Test func eachAddressHasItsOwnSlots() {
        let cap = HTTPAddressCap(limit: 2, logger: Logger(label: "test"))
        #expect(cap.admit("a") && cap.admit("a"))
        #expect(!cap.admit("a"), "a third connection from one address")
        #expect(cap.admit("b"), "another address is refused for the first one's connections")
        cap.release("a")
        #expect(cap.admit("a"), "a closed connection's slot is not given back")
    }

    @Test func capsAreLoweredToTheOpenFileLimitNeverRaised() {
        var c = ServeConfiguration()
        #expect(OpenFileLimit.fit(c, descriptors: 1 << 20) == c)
        let fitted = OpenFileLimit.fit(c, descriptors: 1024)
        #expect(fitted.httpMaxConnections + fitted.rtmpMaxConnections + OpenFileLimit.reserve <= 1024)
        #expect(fitted.httpMaxConnections > 0 && fitted.rtmpMaxConnections > 0)
        #expect(fitted.httpMaxConnectionsPerAddress <= fitted.httpMaxConnections)
        #expect(fitted.rtmpMaxConnectionsPerAddress <= fitted.rtmpMaxConnections)
        #expect((try? fitted.validate()) != nil, "the fitted caps are a valid configuration")
        c.httpMaxConnections = 100
        c.rtmpMaxConnections = 100
        #expect(OpenFileLimit.fit(c, descriptors: 1024) == c)
    }
}
