// The request context of every route `vitrine serve` answers: Hummingbird's basic one plus the
// peer's address, which the origin counts new viewer tokens against (ViewerSessions).
import Hummingbird
import NIOCore

public struct OriginRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection's peer (a proxy's, when one fronts the origin).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
