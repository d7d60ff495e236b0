/// Gives each distinct byte string (an org, user, model name, …) a small number, without creating a
/// Swift `String` per row: usage reports group a million charges by five text columns.
struct ByteInterner: Sendable {
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private var storage: [UInt8] = []

    init() {
        slots = Array(repeating: -1, count: 1024)
    }

    var count: Int { hashes.count }

    /// The number of `bytes[0..<length]`, assigning the next one on first sight.
    mutating func intern(_ bytes: UnsafePointer<UInt8>?, length: Int) -> Int32 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for index in 0..<length {
            hash = (hash ^ UInt64(bytes![index])) &* 0x0000_0100_0000_01b3
        }
        var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while true {
            let id = slots[slot]
            if id < 0 { break }
            if hashes[Int(id)] == hash, lengths[Int(id)] == length, equal(Int(id), bytes, length) { return id }
            slot = (slot + 1) & (slots.count - 1)
        }
        let id = Int32(hashes.count)
        hashes.append(hash)
        starts.append(storage.count)
        lengths.append(length)
        if length > 0 { storage.append(contentsOf: UnsafeBufferPointer(start: bytes, count: length)) }
        slots[slot] = id
        if hashes.count * 2 > slots.count { grow() }
        return id
    }

    /// The number of `text`, assigning the next one on first sight.
    mutating func intern(_ text: String) -> Int32 {
        var text = text
        return text.withUTF8 { intern($0.baseAddress, length: $0.count) }
    }

    /// The text of a number `intern` gave.
    func string(_ id: Int32) -> String {
        let start = starts[Int(id)]
        return String(decoding: storage[start..<(start + lengths[Int(id)])], as: UTF8.self)
    }

    private func equal(_ id: Int, _ bytes: UnsafePointer<UInt8>?, _ length: Int) -> Bool {
        let start = starts[id]
        for index in 0..<length where storage[start + index] != bytes![index] { return false }
        return true
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        for id in hashes.indices {
            var slot = Int(truncatingIfNeeded: hashes[id]) & (slots.count - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = Int32(id)
        }
    }
}
