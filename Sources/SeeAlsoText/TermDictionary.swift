import Foundation

/// A hash table from byte strings (UTF-8 terms) to dense ids 0, 1, 2, … in insertion order.
///
/// Hand-written because it is the hottest structure of vectorizing (one probe per token):
/// open addressing with linear probing and 16-byte slots holding 32 bits of hash (which also
/// choose the slot, so growing never rehashes keys), the id, and a "prefix word" that encodes a
/// key of up to 7 bytes completely (bytes plus length). Most tokens are that short, so a probe
/// usually touches one cache line and never the key arena. Load factor ≤ 0.5; lookup and
/// insert O(key length) expected. Keys must not contain NUL bytes.
package struct TermDictionary: Sendable {
    private var arena: [UInt8] = []
    private var offsets: [Int] = [0]
    /// Pairs (meta, prefix word); meta = tag << 32 | (id + 1), 0 when empty.
    private var slots: [UInt64]
    private var mask: Int

    /// An empty dictionary with room for about `expectedCount` keys before it grows.
    package init(expectedCount: Int = 512) {
        var capacity = 1024
        while capacity < expectedCount * 2 { capacity *= 2 }
        slots = Array(repeating: 0, count: 2 * capacity)
        mask = capacity - 1
    }

    package var count: Int { offsets.count - 1 }

    /// The id of `key`, or nil. Read-only, so callers can probe without copy-on-write checks.
    @inline(__always)
    package func find(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        let (tag, word) = TermDictionary.signature(key)
        return slots.withUnsafeBufferPointer { slots in
            var index = Int(tag) & mask
            while true {
                let meta = slots[2 * index]
                if meta == 0 { return nil }
                if meta >> 32 == tag && slots[2 * index + 1] == word {
                    let id = Int(meta & 0xFFFF_FFFF) - 1
                    if key.count <= 7 || storedKeyEquals(id, key) { return Int32(id) }
                }
                index = (index + 1) & mask
            }
        }
    }

    /// The id of `key`, inserting it when new.
    @inline(__always)
    package mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> (id: Int32, inserted: Bool) {
        let (tag, word) = TermDictionary.signature(key)
        var index = Int(tag) & mask
        while true {
            let meta = slots[2 * index]
            if meta == 0 { break }
            if meta >> 32 == tag && slots[2 * index + 1] == word {
                let id = Int(meta & 0xFFFF_FFFF) - 1
                if key.count <= 7 || storedKeyEquals(id, key) { return (Int32(id), false) }
            }
            index = (index + 1) & mask
        }
        let id = count
        arena.append(contentsOf: key)
        offsets.append(arena.count)
        slots[2 * index] = tag << 32 | UInt64(id + 1)
        slots[2 * index + 1] = word
        if count * 2 > mask + 1 { grow() }
        return (Int32(id), true)
    }

    /// The id of `string`, or nil.
    package func find(_ string: String) -> Int32? {
        var copy = string
        return copy.withUTF8 { find($0) }
    }

    /// The id of `string`, inserting it when new.
    package mutating func insert(_ string: String) -> Int32 {
        var copy = string
        return copy.withUTF8 { insert($0).id }
    }

    /// The key of `id` as a string.
    package func string(_ id: Int) -> String {
        String(decoding: arena[offsets[id]..<offsets[id + 1]], as: UTF8.self)
    }

    /// Calls `body` with the key bytes of `id`.
    package func withBytes<R>(of id: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try arena.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[offsets[id]..<offsets[id + 1]])) }
    }

    /// Appends the key bytes of `id` to `bytes`.
    package func appendBytes(of id: Int, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: arena[offsets[id]..<offsets[id + 1]])
    }

    /// Orders two keys by their bytes (= Unicode code point order for UTF-8).
    package func precedes(_ first: Int, _ second: Int) -> Bool {
        arena.withUnsafeBufferPointer { arena in
            let (start1, end1) = (offsets[first], offsets[first + 1])
            let (start2, end2) = (offsets[second], offsets[second + 1])
            let common = min(end1 - start1, end2 - start2)
            let order = common == 0 ? 0 : memcmp(arena.baseAddress! + start1, arena.baseAddress! + start2, common)
            return order != 0 ? order < 0 : end1 - start1 < end2 - start2
        }
    }

    /// `ids` sorted by their keys' bytes. Compares 8-byte big-endian prefixes as integers and
    /// falls back to the full keys only on equal prefixes.
    package func sortedByBytes(_ ids: [Int]) -> [Int] {
        var keyed: [(prefix: UInt64, id: Int)] = arena.withUnsafeBufferPointer { arena in
            ids.map { id in
                var prefix: UInt64 = 0
                let start = offsets[id]
                let length = min(8, offsets[id + 1] - start)
                for index in 0..<length { prefix |= UInt64(arena[start + index]) << (8 * UInt64(7 - index)) }
                return (prefix, id)
            }
        }
        keyed.sort { a, b in a.prefix != b.prefix ? a.prefix < b.prefix : precedes(a.id, b.id) }
        return keyed.map(\.id)
    }

    private func storedKeyEquals(_ id: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = offsets[id]
        guard offsets[id + 1] - start == key.count else { return false }
        return arena.withUnsafeBufferPointer { stored in
            TermDictionary.bytesEqual(stored.baseAddress! + start, key.baseAddress, key.count)
        }
    }

    private mutating func grow() {
        let capacity = 2 * (mask + 1)
        var fresh = [UInt64](repeating: 0, count: 2 * capacity)
        let newMask = capacity - 1
        for index in 0...mask where slots[2 * index] != 0 {
            let meta = slots[2 * index]
            var target = Int(meta >> 32) & newMask
            while fresh[2 * target] != 0 { target = (target + 1) & newMask }
            fresh[2 * target] = meta
            fresh[2 * target + 1] = slots[2 * index + 1]
        }
        slots = fresh
        mask = newMask
    }

    /// The 32-bit hash tag and the prefix word of a key: up to 7 bytes little-endian plus the
    /// length in the top byte, or the first 7 bytes plus 0xFF for longer keys.
    @inline(__always)
    static func signature(_ key: UnsafeBufferPointer<UInt8>) -> (tag: UInt64, word: UInt64) {
        let count = key.count
        var word: UInt64 = 0
        let head = min(count, 7)
        for index in 0..<head { word |= UInt64(key[index]) << (8 * UInt64(index)) }
        word |= (count <= 7 ? UInt64(count) : 0xFF) << 56
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var hash = word &* multiplier
        if count > 7 {
            let raw = UnsafeRawPointer(key.baseAddress!)
            var index = 7
            while index + 8 <= count {
                hash = (hash ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* multiplier
                hash ^= hash >> 29
                index += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while index < count {
                tail |= UInt64(key[index]) << shift
                shift += 8
                index += 1
            }
            hash = (hash ^ tail ^ UInt64(count)) &* multiplier
        }
        hash = (hash ^ (hash >> 32)) &* 0xD6E8_FEB8_6659_FD93
        return ((hash ^ (hash >> 29)) >> 32, word)
    }

    /// Whether `count` bytes at `a` and `b` are equal; 8 bytes at a time, no library call.
    @inline(__always)
    static func bytesEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>?, _ count: Int) -> Bool {
        guard count > 0, let b else { return true }
        let left = UnsafeRawPointer(a)
        let right = UnsafeRawPointer(b)
        var index = 0
        while index + 8 <= count {
            if left.loadUnaligned(fromByteOffset: index, as: UInt64.self) != right.loadUnaligned(fromByteOffset: index, as: UInt64.self) {
                return false
            }
            index += 8
        }
        while index < count {
            if a[index] != b[index] { return false }
            index += 1
        }
        return true
    }
}
