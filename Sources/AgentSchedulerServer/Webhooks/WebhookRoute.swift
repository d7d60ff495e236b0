/// `POST /github/webhook`: GitHub's deliveries, checked by their signature, not the token.
enum WebhookRoute {
    static let path = "/github/webhook"
}
