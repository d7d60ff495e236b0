import Hummingbird

/// What a page's form did, named in the redirect's query (`?done=steered`) and shown as a fixed
/// notice: text from a request never comes back through a URL.
enum Done: String, CaseIterable {
    case steered, cancelled, alreadyFinal = "already-final", followedUp = "followed-up"
    case cancelRequested = "cancel-requested"

    var notice: String {
        switch self {
        case .steered: "Message queued: the session reads it after its current tool call."
        case .cancelled: "Session cancelled."
        case .cancelRequested: "Cancel requested: the session stops at its next safe point."
        case .alreadyFinal: "The session had already finished; nothing to cancel."
        case .followedUp: "Follow-up queued: it continues the session's branch."
        }
    }

    static func messages(_ request: Request) -> [PageMessage] {
        request.uri.queryParameters.get("done").flatMap(Done.init(rawValue:)).map { [.notice($0.notice)] } ?? []
    }
}
