// How many RTMP connections may be open at once, in all and from one address: a peer (or a
// botnet of them) that opens connections without end cannot exhaust the server's descriptors and
// memory, and one address cannot take every slot from the publishers of other shows. A value the
// server keeps behind a lock; every refusal is logged by the caller with the cap that was hit.
public struct ConnectionCaps: Sendable, Equatable {
    public var maxConnections: Int
    public var maxPerAddress: Int
    private var open: [String: Int] = [:]
    private var total = 0

    public init(maxConnections: Int = 1000, maxPerAddress: Int = 32) {
        self.maxConnections = maxConnections
        self.maxPerAddress = maxPerAddress
    }

    public enum Refusal: Equatable, Sendable, CustomStringConvertible {
        case total(Int)
        case perAddress(Int)

        public var description: String {
            switch self {
            case let .total(cap): return "the server already has \(cap) connections (the global cap)"
            case let .perAddress(cap): return "this address already has \(cap) connections (the per-address cap)"
            }
        }
    }

    /// Takes a slot for a connection from `address`, or says which cap refuses it.
    public mutating func admit(_ address: String) -> Refusal? {
        if total >= maxConnections { return .total(maxConnections) }
        if open[address, default: 0] >= maxPerAddress { return .perAddress(maxPerAddress) }
        open[address, default: 0] += 1
        total += 1
        return nil
    }

    /// The connection from `address` closed.
    public mutating func release(_ address: String) {
        guard let count = open[address] else { return }
        total -= 1
        open[address] = count > 1 ? count - 1 : nil
    }

    public var openConnections: Int { total }
}
