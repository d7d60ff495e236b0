/// Why a completed session's pull request could not be opened: one line, without secrets.
struct PublishFailure: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
