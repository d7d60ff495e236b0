import AgentSchedulerCore
import Foundation
import HTTPTypes
import Hummingbird

/// JSON answers: the same documents the command line's `--format json` prints, sorted keys.
enum JSONAnswer {
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        try response(json: StructuredOutput.json(value), status: status)
    }

    /// A document already encoded as JSON text.
    static func response(json: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: json + "\n")))
    }
}
