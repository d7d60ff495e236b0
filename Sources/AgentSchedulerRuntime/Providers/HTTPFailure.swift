import AgentSchedulerCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

/// Classifies HTTP and network failures the same way for every provider.
enum HTTPFailure {
    /// The failure an error status means, with the provider's message from `body` when it has one.
    static func classify(
        status: Int, headers: [String: String], body: Data, apiKeyVariable: String?, attempt: Int
    ) -> ProviderFailure {
        switch status {
        case 429: return ProviderFailure(.rateLimited(retryAfter: retryAfter(headers)), attempt: attempt)
        case 401, 403:
            return ProviderFailure(
                .authentication(status: status, environmentVariable: apiKeyVariable), attempt: attempt)
        case 500...599:
            return ProviderFailure(
                .server(status: status), attempt: attempt, message: body.isEmpty ? nil : message(in: body))
        case 300...399:
            let target = headers["location"].map { "to \(excerpt($0))" } ?? "elsewhere"
            return ProviderFailure(
                .badRequest(
                    status: status, message: "redirected \(target); set the model's base-url to where it points"),
                attempt: attempt)
        default: return ProviderFailure(.badRequest(status: status, message: message(in: body)), attempt: attempt)
        }
    }

    /// The failure an error thrown before a response head means.
    ///
    /// `CancellationError` and `ProviderFailure` pass through; so does anything once the calling task
    /// is cancelled, as `CancellationError`. A shut-down client also means cancellation: the process is
    /// winding down. Every kind of timeout is `.timeout`; a connection that could not be made at all
    /// (refused, unknown host) is `.unreachable` with `endpoint`; any other error is a failed connection.
    static func classify(_ error: any Error, attempt: Int, endpoint: String = "the server") -> any Error {
        if error is CancellationError || Task.isCancelled { return CancellationError() }
        if error is ProviderFailure { return error }
        if let reason = unreachableReason(error) {
            return ProviderFailure(.unreachable(endpoint: endpoint, reason: reason), attempt: attempt)
        }
        if let limit = error as? HTTPStreamClient.LimitExceeded {
            switch limit {
            case .bodySize(let bytes):
                return ProviderFailure(.malformed("the response is longer than \(bytes) bytes"), attempt: attempt)
            case .totalTime: return ProviderFailure(.timeout, attempt: attempt)
            }
        }
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .cancelled, .alreadyShutdown: return CancellationError()
            case .readTimeout, .writeTimeout, .deadlineExceeded, .connectTimeout, .tlsHandshakeTimeout,
                .getConnectionFromPoolTimeout:
                return ProviderFailure(.timeout, attempt: attempt)
            case .remoteConnectionClosed:
                return ProviderFailure(.connection("the server closed the connection"), attempt: attempt)
            default:
                return ProviderFailure(.connection("\(clientError)"), attempt: attempt)
            }
        }
        return ProviderFailure(.connection("\(error)"), attempt: attempt)
    }

    /// The failure an error thrown while reading a 2xx body means: like `classify(_:attempt:)`, except
    /// that a failed connection cut the response off, which makes it malformed.
    static func classifyInBody(_ error: any Error, attempt: Int) -> any Error {
        let classified = classify(error, attempt: attempt)
        if !(error is ProviderFailure), let failure = classified as? ProviderFailure,
            case .connection(let reason) = failure.kind
        {
            return ProviderFailure(.malformed("the response was cut off: \(reason)"), attempt: attempt)
        }
        return classified
    }

    /// When the provider says to try again: `Retry-After` (seconds or an HTTP date), OpenAI's
    /// `x-ratelimit-reset-*` (`1s`, `6m0s`, `20ms`), or Anthropic's `anthropic-ratelimit-*-reset` (RFC 3339).
    static func retryAfter(_ headers: [String: String], now: Date = Date()) -> Duration? {
        if let value = headers["retry-after"] {
            if let seconds = Double(value.trimmingCharacters(in: .whitespaces)) {
                return .milliseconds(Int64(seconds * 1000))
            }
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
            if let date = formatter.date(from: value) {
                return .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000))
            }
        }
        let resets = ["x-ratelimit-reset-requests", "x-ratelimit-reset-tokens"].compactMap { headers[$0] }
            .compactMap(goDuration)
        if let longest = resets.max() { return longest }
        let anthropic = ["anthropic-ratelimit-requests-reset", "anthropic-ratelimit-tokens-reset"].compactMap {
            headers[$0]
        }
        .compactMap { try? Date($0, strategy: .iso8601) }
        if let latest = anthropic.max() { return .milliseconds(Int64(max(0, latest.timeIntervalSince(now)) * 1000)) }
        return nil
    }

    /// Go-style durations as OpenAI writes them: `1s`, `6m0s`, `1h2m3.5s`, `20ms`.
    static func goDuration(_ text: String) -> Duration? {
        var total = 0.0
        var number = ""
        var index = text.startIndex
        var parsedAny = false
        while index < text.endIndex {
            let character = text[index]
            if character.isNumber || character == "." {
                number.append(character)
                index = text.index(after: index)
                continue
            }
            var unit = String(character)
            let next = text.index(after: index)
            if character == "m", next < text.endIndex, text[next] == "s" { unit = "ms" }
            guard let value = Double(number) else { return nil }
            switch unit {
            case "h": total += value * 3600
            case "m": total += value * 60
            case "s": total += value
            case "ms": total += value / 1000
            default: return nil
            }
            parsedAny = true
            number = ""
            index = text.index(index, offsetBy: unit.count)
        }
        guard number.isEmpty, parsedAny else { return nil }
        return .milliseconds(Int64(total * 1000))
    }

    /// Characters of a provider's message kept in reasons and events.
    static let excerptLength = 300

    /// The error message in a provider's JSON error body, or the body's start: an excerpt of at most
    /// `excerptLength` characters on one line.
    static func message(in body: Data) -> String {
        if let json = try? JSONValue(parsing: body), let text = message(in: json) { return excerpt(text) }
        let text = excerpt(String(decoding: body.prefix(4 * excerptLength), as: UTF8.self))
        return text.isEmpty ? "no message" : text
    }

    /// The message of a JSON error (`{"error": {"message": …}}`, `{"error": "…"}`, `{"message": …}`).
    static func message(in json: JSONValue) -> String? {
        if let message = json["error"]?["message"]?.stringValue { return message }
        if let message = json["error"]?.stringValue { return message }
        if let message = json["message"]?.stringValue { return message }
        return nil
    }

    /// `text` on one line (runs of white space become one space), cut to `excerptLength` characters.
    static func excerpt(_ text: String) -> String {
        let words = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return words.count <= excerptLength ? words : String(words.prefix(excerptLength)) + "…"
    }

    /// Where a request to `url` went, for people: the URL without the API's own path
    /// (`/chat/completions`, `/messages`) and query, as the catalog's `base-url` names it.
    static func endpoint(of url: String) -> String {
        var text = url
        if let query = text.firstIndex(of: "?") { text = String(text[..<query]) }
        for suffix in ["/chat/completions", "/messages"] where text.hasSuffix(suffix) {
            text.removeLast(suffix.count)
        }
        return text
    }

    /// "connection refused", "unknown host" or "host unreachable" when `error` says no connection
    /// could be made at all; nil for other errors.
    static func unreachableReason(_ error: any Error) -> String? {
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return "connection refused"
            case EHOSTUNREACH, ENETUNREACH: return "host unreachable"
            default: return nil
            }
        }
        if let error = error as? NIOConnectionError {
            if let reason = error.connectionErrors.lazy.compactMap({ unreachableReason($0.error) }).first {
                return reason
            }
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                return "unknown host"
            }
        }
        return nil
    }
}
