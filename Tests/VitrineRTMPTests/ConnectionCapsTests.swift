// The RTMP connection caps: a global one and one per address, each slot given back on close.
import Testing
@testable import VitrineRTMP

@Suite struct ConnectionCapsTests {
    @Test func perAddressAndGlobalCapsRefuseAndGiveBack() {
        var caps = ConnectionCaps(maxConnections: 3, maxPerAddress: 2)
        #expect(caps.admit("10.0.0.1") == nil)
        #expect(caps.admit("10.0.0.1") == nil)
        #expect(caps.admit("10.0.0.1") == .perAddress(2))
        #expect(caps.admit("10.0.0.2") == nil)
        #expect(caps.admit("10.0.0.3") == .total(3))
        caps.release("10.0.0.1")
        #expect(caps.openConnections == 2)
        #expect(caps.admit("10.0.0.3") == nil)
        caps.release("10.0.0.9")
        #expect(caps.openConnections == 3, "releasing an address that holds nothing changes nothing")
    }
}
