/// An insert-only hash table from integer vectors to dense indices, in insertion order.
///
/// `Dictionary` hashes with SipHash, which over a million 64-byte keys cost more than reading the
/// rows; report grouping needs no protection against chosen collisions, so a multiplicative hash
/// over the lanes does. Each slot keeps the upper half of its key's hash beside the index, so a
/// probe touches the stored key only when the hashes agree.
struct IntegerKeyTable<Key: SIMD & Sendable>: Sendable where Key.Scalar == Int64 {
    /// `hash >> 32 << 32 | (index + 1)`; 0 is empty.
    private var slots: [UInt64]
    private(set) var keys: [Key] = []

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
    }

    var count: Int { keys.count }

    /// The number of `key`, and whether this call added it.
    mutating func insert(_ key: Key) -> (index: Int, inserted: Bool) {
        let hash = Self.hash(key)
        let tag = hash & 0xFFFF_FFFF_0000_0000
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            if entry & 0xFFFF_FFFF_0000_0000 == tag {
                let index = Int(entry & 0xFFFF_FFFF) - 1
                if keys[index] == key { return (index, false) }
            }
            slot = (slot + 1) & mask
        }
        let index = keys.count
        keys.append(key)
        slots[slot] = tag | UInt64(index + 1)
        if keys.count * 2 > slots.count { grow() }
        return (index, true)
    }

    static func hash(_ key: Key) -> UInt64 {
        var hash: UInt64 = 0x243F_6A88_85A3_08D3
        for lane in key.indices {
            hash = (hash ^ UInt64(bitPattern: key[lane])) &* 0x9E37_79B9_7F4A_7C15
            hash ^= hash >> 29
        }
        return hash
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, key) in keys.enumerated() {
            let hash = Self.hash(key)
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(index + 1)
        }
    }
}

/// An insert-only set of 64-bit words, stored in its slots: one memory access per insert.
struct WordSet: Sendable {
    /// `word + 1`; 0 is empty (so the word `UInt64.max` cannot be stored).
    private var slots: [UInt64]
    private(set) var count = 0

    init(capacity: Int = 1 << 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
    }

    /// Whether `word` was new.
    mutating func insert(_ word: UInt64) -> Bool {
        let stored = word &+ 1
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: (word &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
        while true {
            let entry = slots[slot]
            if entry == stored { return false }
            if entry == 0 { break }
            slot = (slot + 1) & mask
        }
        slots[slot] = stored
        count += 1
        if count * 2 > slots.count { grow() }
        return true
    }

    /// Every word in the set, in no particular order.
    var words: some Sequence<UInt64> {
        slots.lazy.filter { $0 != 0 }.map { $0 &- 1 }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: old.count * 2)
        let mask = slots.count - 1
        for entry in old where entry != 0 {
            var slot = Int(truncatingIfNeeded: ((entry &- 1) &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
    }
}
