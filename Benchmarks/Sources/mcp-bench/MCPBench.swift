import AgentSchedulerCore
import AgentSchedulerRuntime
import AgentSchedulerTesting
import Foundation

@main
struct MCPBench {
    static func main() async throws {
        print(MCPPeer.python ?? "none")
    }
}
