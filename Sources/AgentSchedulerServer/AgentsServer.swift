import AgentScheduler
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// `agentsched serve`: the HTTP API, the Agents page and the GitHub webhook, on Hummingbird.
///
/// A service of the process's group, beside the ``EventFeed`` that its live streams read and,
/// with `serve --run`, the scheduler. `onRunning` hears the bound port (useful with port 0).
public struct AgentsServer: Service {
    public var configuration: ServerConfiguration
    public var resources: ServerResources
    let onRunning: @Sendable (Int) async -> Void
    let logger: Logger

    public init(
        configuration: ServerConfiguration, resources: ServerResources,
        logger: Logger = Logger(label: "agentsched.serve"),
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.resources = resources
        self.logger = logger
        self.onRunning = onRunning
    }

    /// The routes, behind the security headers and the access guard.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: SecurityHeaders())
        router.add(middleware: ErrorAnswers(logger: logger))
        router.add(middleware: AccessGuard(access: ServerAccess(token: configuration.token)))
        APIRoutes(resources: resources).register(on: router)
        PageRoutes(resources: resources).register(on: router)
        WebhookRoute(resources: resources).register(on: router)
        LoginRoutes(access: ServerAccess(token: configuration.token)).register(on: router)
        // Whatever matched nothing is a 404 in the API's shape, behind the same guard.
        for method in [HTTPRequest.Method.get, .post, .put, .delete, .patch] {
            router.on("**", method: method) { request, _ -> Response in
                let message = "no route \(request.method.rawValue) \(request.uri.path)"
                guard request.uri.path.hasPrefix("/api/") else {
                    return PageRoutes.html(AgentsPages.error(status: 404, message: message), status: .notFound)
                }
                throw APIError.notFound(message)
            }
        }
        return router
    }

    /// The application, for tests that drive it in-process.
    public func application() -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }

    public func run() async throws {
        try await application().runService()
    }
}
