import AgentSchedulerCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// `POST /github/webhook`: GitHub's deliveries, authenticated by their signature rather than the
/// server's token (``AccessGuard`` lets them through), and handed to a ``WebhookReceiver`` on the
/// workspace as it is now.
struct WebhookRoute: Sendable {
    static let path = "/github/webhook"
    let resources: ServerResources
    let logger = Logger(label: "agentsched.webhook")

    func register(on router: Router<BasicRequestContext>) {
        router.post(RouterPath(Self.path)) { request, _ in
            let receiver = WebhookReceiver(
                workspace: await resources.workspaces.workspace(), environment: resources.environment,
                ledger: resources.ledger, forges: resources.forges, clock: resources.clock, logger: logger)
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: WebhookReceiver.maximumBodySize)
            } catch {
                throw APIError(
                    .contentTooLarge, code: "too-large",
                    message: "the delivery is larger than \(WebhookReceiver.maximumBodySize) bytes")
            }
            let answer = await receiver.receive(
                WebhookDelivery(
                    event: request.headers[.githubEvent],
                    id: request.headers[.githubDelivery],
                    signature: request.headers[.hubSignature256], body: Data(buffer: body)))
            return Response(
                status: HTTPResponse.Status(code: answer.status),
                headers: [.contentType: WebhookAnswer.contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.json)))
        }
    }
}
