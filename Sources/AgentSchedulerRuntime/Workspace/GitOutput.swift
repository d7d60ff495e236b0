import Foundation

/// What a git command printed, and its status.
public struct GitOutput: Sendable {
    public var status: Int32
    public var standardOutput: [UInt8]

    /// Standard output without its trailing newline.
    public var text: String {
        String(decoding: standardOutput, as: UTF8.self).trimmingCharacters(in: .newlines)
    }
}
