import Foundation

/// What a git command printed, and its status.
struct GitOutput: Sendable {
    var status: Int32
    var standardOutput: [UInt8]

    /// Standard output without its trailing newline.
    var text: String {
        String(decoding: standardOutput, as: UTF8.self).trimmingCharacters(in: .newlines)
    }
}
