/// What a child process wrote on one stream: its first bytes and its last bytes, and how many were
/// dropped between them.
///
/// Memory stays bounded however much the program writes.
struct CapturedOutput: Sendable, Hashable {
    /// The first bytes, up to the head limit.
    private(set) var head: [UInt8] = []
    /// The last bytes, up to the tail limit.
    private(set) var tail: [UInt8] = []
    /// Every byte written, kept or not.
    private(set) var totalBytes = 0
    let headLimit: Int
    let tailLimit: Int

    init(headLimit: Int, tailLimit: Int) {
        self.headLimit = max(0, headLimit)
        self.tailLimit = max(0, tailLimit)
    }

    /// Bytes written but kept in neither part.
    var droppedBytes: Int { totalBytes - head.count - tail.count }

    /// Head and tail together (they are adjacent when nothing was dropped).
    var bytes: [UInt8] { head + tail }

    /// The output as text, invalid UTF-8 replaced.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func append(_ chunk: UnsafeBufferPointer<UInt8>) {
        totalBytes += chunk.count
        var rest = chunk[...]
        if head.count < headLimit {
            let taken = rest.prefix(headLimit - head.count)
            head.append(contentsOf: taken)
            rest = rest.dropFirst(taken.count)
        }
        guard !rest.isEmpty, tailLimit > 0 else { return }
        tail.append(contentsOf: rest.suffix(tailLimit))
        // Trim in batches, so that a stream of small writes costs amortised constant time.
        if tail.count >= 2 * tailLimit { tail.removeFirst(tail.count - tailLimit) }
    }

    /// Drops the tail's surplus; call once the stream has ended.
    mutating func finish() {
        if tail.count > tailLimit { tail.removeFirst(tail.count - tailLimit) }
    }
}
