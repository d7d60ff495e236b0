import Foundation

/// Where `agentsched demo` takes its team, policies and `examples/demo/` from.
public enum DemoSource: Sendable, Equatable, CustomStringConvertible {
    /// The copy compiled into the binary (`DemoContent.embedded`): works from any folder.
    case embedded
    /// A folder holding `agents/`, `policies/` and `examples/demo/` (`--workspace DIR`), for
    /// content other than the built-in one.
    case folder(URL)

    /// Where the content comes from, for the demo's report.
    public var description: String {
        switch self {
        case .embedded: "the demo built into agentsched"
        case .folder(let examples): examples.path
        }
    }
}
