/// An insert-only hash set of integer vectors that numbers its keys in insertion order.
///
/// `Dictionary` hashes with SipHash, which over a million 64-byte keys cost more than reading the
/// rows; report grouping needs no protection against chosen collisions, so a multiplicative hash
/// over the lanes does.
struct IntegerKeyTable<Key: SIMD> where Key.Scalar == Int64 {
    private var slots: [Int32]
    private(set) var keys: [Key] = []

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
    }

    var count: Int { keys.count }

    /// The number of `key`, and whether this call added it.
    mutating func insert(_ key: Key) -> (index: Int, inserted: Bool) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: Self.hash(key)) & mask
        while true {
            let index = slots[slot]
            if index < 0 { break }
            if keys[Int(index)] == key { return (Int(index), false) }
            slot = (slot + 1) & mask
        }
        let index = keys.count
        keys.append(key)
        slots[slot] = Int32(index)
        if keys.count * 2 > slots.count { grow() }
        return (index, true)
    }

    private static func hash(_ key: Key) -> UInt64 {
        var hash: UInt64 = 0x243F_6A88_85A3_08D3
        for lane in key.indices {
            hash = (hash ^ UInt64(bitPattern: key[lane])) &* 0x9E37_79B9_7F4A_7C15
            hash ^= hash >> 29
        }
        return hash
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, key) in keys.enumerated() {
            var slot = Int(truncatingIfNeeded: Self.hash(key)) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }
}
