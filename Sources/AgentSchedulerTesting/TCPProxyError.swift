/// Why a ``TCPProxy`` could not start.
public struct TCPProxyError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
