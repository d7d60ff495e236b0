import AgentSchedulerRuntime
import ServiceLifecycle

/// Keeps the model clients' and forges' connections open while the group runs, and closes them
/// when it shuts down: it is the group's first service, so the last to stop, after the scheduler
/// has stopped its sessions.
struct ConnectionsService: Service {
    let clients: ModelClients
    let forges: ForgeDirectory

    func run() async throws {
        // Returns on graceful shutdown, throws on cancellation: both end the connections.
        try? await gracefulShutdown()
        await forges.shutdown()
        try await clients.shutdown()
    }
}
