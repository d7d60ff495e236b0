import HTTPTypes

/// The header names the server reads and writes beyond HTTPTypes' own, spelled once.
extension HTTPField.Name {
    static let lastEventID = Self("Last-Event-ID")!
    static let secFetchSite = Self("Sec-Fetch-Site")!
    static let accelBuffering = Self("X-Accel-Buffering")!
    static let contentTypeOptions = Self("X-Content-Type-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let frameOptions = Self("X-Frame-Options")!
    static let crossOriginOpenerPolicy = Self("Cross-Origin-Opener-Policy")!
    static let githubEvent = Self("X-GitHub-Event")!
    static let githubDelivery = Self("X-GitHub-Delivery")!
    static let hubSignature256 = Self("X-Hub-Signature-256")!
}
