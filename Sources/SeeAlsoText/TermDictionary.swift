import CPrefetch
import Foundation
import SeeAlsoSupport

/// A hash table from byte strings (UTF-8 terms) to dense ids 0, 1, 2, … in insertion order, each
/// with an optional 32-bit payload (the analyzer stores a token's term id there).
///
/// Hand-written because it is the hottest structure of vectorizing (one probe per token):
/// open addressing with linear probing and 32-byte slots (two per cache line) holding the id and
/// payload, the key's first 16 bytes and its length and arena offset. Keys of up to 16 bytes —
/// nearly every token — are compared inside the slot, so a probe touches one cache line; longer
/// keys compare the rest in the arena straight from the slot's offset. Load factor ≤ 0.5; lookup
/// and insert O(key length) expected. Keys must not contain NUL bytes. For batches of keys,
/// `signature(_:)` then `prefetch(_:)` on every key before probing lets the processor fetch the
/// slots' cache lines in parallel (see `Analyzer`).
package struct TermDictionary: Sendable {
    private var arena: [UInt8] = []
    private var offsets: [Int] = [0]
    /// Four words per slot: payload << 32 | (id + 1) (0 when empty); key bytes 0..<8 and 8..<16
    /// (little-endian, zero-padded); min(length, 0xFFFF) << 48 | arena offset.
    private var slots: SlotStorage
    private var mask: Int

    /// What a probe compares: the key's hash, its first 16 bytes and its length.
    package struct Signature {
        package var hash: UInt64
        package var first: UInt64
        package var second: UInt64
        package var length: Int
    }

    /// An empty dictionary with room for about `expectedCount` keys before it grows.
    package init(expectedCount: Int = 512) {
        var capacity = 1024
        while capacity < expectedCount * 2 { capacity *= 2 }
        slots = SlotStorage(slotCount: capacity)
        mask = capacity - 1
    }

    package var count: Int { offsets.count - 1 }

    /// An empty dictionary shared by whoever needs a value to swap in while a dictionary is moved out
    /// (copying it only retains its storage); never mutated.
    package static let placeholder = TermDictionary(expectedCount: 0)

    /// The id of `key`, or nil. Read-only, so callers can probe without copy-on-write checks.
    @inline(__always)
    package func find(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        find(key, TermDictionary.signature(key)).map { Int32(truncatingIfNeeded: $0 & 0xFFFF_FFFF) - 1 }
    }

    /// The payload stored with `key` (see `insert(_:payload:)`), or nil when `key` is absent.
    @inline(__always)
    package func payload(of key: UnsafeBufferPointer<UInt8>, signature: Signature) -> Int32? {
        find(key, signature).map { Int32(truncatingIfNeeded: $0 >> 32) }
    }

    /// Starts fetching the cache line of the slot `signature` hashes to, without waiting for it.
    @inline(__always)
    package func prefetch(_ signature: Signature) {
        seealso_prefetch(slots.words + 4 * (Int(truncatingIfNeeded: signature.hash) & mask))
    }

    /// The id of `key`, inserting it when new.
    @inline(__always)
    package mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> (id: Int32, inserted: Bool) {
        insert(key, signature: TermDictionary.signature(key), payload: 0)
    }

    /// The id of `key`, inserting it with `payload` when new (an existing key keeps its payload).
    package mutating func insert(_ key: UnsafeBufferPointer<UInt8>, signature: Signature, payload: Int32) -> (id: Int32, inserted: Bool) {
        if !isKnownUniquelyReferenced(&slots) { slots = slots.copy() }
        let table = slots.words
        var index = Int(truncatingIfNeeded: signature.hash) & mask
        while true {
            let meta = table[4 * index]
            if meta == 0 { break }
            if matches(slot: index, key, signature) { return (Int32(truncatingIfNeeded: meta & 0xFFFF_FFFF) - 1, false) }
            index = (index + 1) & mask
        }
        let id = count
        let start = arena.count
        arena.append(contentsOf: key)
        offsets.append(arena.count)
        table[4 * index] = UInt64(UInt32(bitPattern: payload)) << 32 | UInt64(id + 1)
        table[4 * index + 1] = signature.first
        table[4 * index + 2] = signature.second
        table[4 * index + 3] = UInt64(min(key.count, 0xFFFF)) << 48 | UInt64(start)
        if count * 2 > mask + 1 { grow() }
        return (Int32(id), true)
    }

    /// The first word of `key`'s slot (payload << 32 | id + 1), or nil.
    @inline(__always)
    private func find(_ key: UnsafeBufferPointer<UInt8>, _ signature: Signature) -> UInt64? {
        var index = Int(truncatingIfNeeded: signature.hash) & mask
        while true {
            let meta = slots.words[4 * index]
            if meta == 0 { return nil }
            if matches(slot: index, key, signature) { return meta }
            index = (index + 1) & mask
        }
    }

    /// Whether the occupied slot `index` holds `key`.
    @inline(__always)
    private func matches(slot index: Int, _ key: UnsafeBufferPointer<UInt8>, _ signature: Signature) -> Bool {
        let slots = self.slots.words
        guard slots[4 * index + 1] == signature.first, slots[4 * index + 2] == signature.second else { return false }
        let lengthAndStart = slots[4 * index + 3]
        let storedLength = Int(lengthAndStart >> 48)
        guard storedLength == min(signature.length, 0xFFFF) else { return false }
        if signature.length <= 16 { return true }
        let id = Int(slots[4 * index] & 0xFFFF_FFFF) - 1
        let start = Int(lengthAndStart & 0xFFFF_FFFF_FFFF)
        guard offsets[id + 1] - start == key.count else { return false }
        return arena.withUnsafeBufferPointer { stored in
            TermDictionary.bytesEqual(stored.baseAddress! + start + 16, key.baseAddress! + 16, key.count - 16)
        }
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

    private mutating func grow() {
        let capacity = 2 * (mask + 1)
        let fresh = SlotStorage(slotCount: capacity)
        let newMask = capacity - 1
        let (old, new) = (slots.words, fresh.words)
        arena.withUnsafeBufferPointer { arena in
            for index in 0...mask where old[4 * index] != 0 {
                let length = Int(old[4 * index + 3] >> 48)
                let hash: UInt64
                if length <= 16 {
                    hash = TermDictionary.shortHash(first: old[4 * index + 1], second: old[4 * index + 2], length: length)
                } else {
                    let id = Int(old[4 * index] & 0xFFFF_FFFF) - 1
                    hash = TermDictionary.signature(UnsafeBufferPointer(rebasing: arena[offsets[id]..<offsets[id + 1]])).hash
                }
                var target = Int(truncatingIfNeeded: hash) & newMask
                while new[4 * target] != 0 { target = (target + 1) & newMask }
                for word in 0..<4 { new[4 * target + word] = old[4 * index + word] }
            }
        }
        slots = fresh
        mask = newMask
    }

    /// The signature of a key: its first 16 bytes as two little-endian words (zero-padded), its
    /// length, and a 64-bit hash of all its bytes (multiply-xorshift mixing, 8 bytes per step).
    @inline(__always)
    package static func signature(_ key: UnsafeBufferPointer<UInt8>) -> Signature {
        let count = key.count
        guard let base = key.baseAddress, count > 0 else { return Signature(hash: 0x5851_F42D_4C95_7F2D, first: 0, second: 0, length: 0) }
        let raw = UnsafeRawPointer(base)
        var first: UInt64 = 0
        var second: UInt64 = 0
        if count >= 16 {
            first = raw.loadUnaligned(as: UInt64.self)
            second = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        } else if count >= 8 {
            first = raw.loadUnaligned(as: UInt64.self)
            // The last 8 bytes, shifted so that only those past byte 8 remain (no read past the key).
            second = count == 8 ? 0 : raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) >> UInt64(8 * (16 - count))
        } else if count >= 4 {
            // Two overlapping 4-byte reads cover 4...7 bytes; the overlap holds the same bytes.
            let low = UInt64(raw.loadUnaligned(as: UInt32.self))
            let high = UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
            first = low | high << UInt64(8 * (count - 4))
        } else {
            for index in 0..<count { first |= UInt64(base[index]) << UInt64(8 * index) }
        }
        var hash = shortHash(first: first, second: second, length: count)
        if count > 16 {
            var index = 16
            while index + 8 <= count {
                hash = (hash ^ (hash >> 29) ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* multiplier
                index += 8
            }
            if index < count {
                let last = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) >> UInt64(8 * (8 - (count - index)))
                hash = (hash ^ (hash >> 29) ^ last) &* multiplier
            }
            hash ^= hash >> 32
        }
        return Signature(hash: hash, first: first, second: second, length: count)
    }

    /// `signature(_:)` of a key followed by at least 16 readable, initialized bytes (a `TokenBuffer`
    /// token): keys of up to 16 bytes are read with two unconditional loads and masked to their length,
    /// with no branch on the length (tokens' lengths vary too much for the processor to predict them).
    @inline(__always)
    package static func signature(paddedKey key: UnsafeBufferPointer<UInt8>) -> Signature {
        let count = key.count
        guard count <= 16, let base = key.baseAddress else { return signature(key) }
        let raw = UnsafeRawPointer(base)
        let firstMask: UInt64 = count >= 8 ? .max : (1 &<< UInt64(8 * count)) &- 1
        let secondMask: UInt64 = count <= 8 ? 0 : count == 16 ? .max : (1 &<< UInt64(8 * (count - 8))) &- 1
        let first = raw.loadUnaligned(as: UInt64.self) & firstMask
        let second = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self) & secondMask
        return Signature(hash: shortHash(first: first, second: second, length: count), first: first, second: second, length: count)
    }

    private static let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The hash of a key of at most 16 bytes from its signature words alone (so growing the table
    /// rehashes short keys without reading the arena); longer keys mix their remaining bytes into it.
    @inline(__always)
    private static func shortHash(first: UInt64, second: UInt64, length: Int) -> UInt64 {
        var hash = (first ^ UInt64(length) << 58) &* multiplier
        hash = (hash ^ (hash >> 29) ^ second) &* 0xD6E8_FEB8_6659_FD93
        return hash ^ (hash >> 32)
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

/// The slots of a `TermDictionary`: zeroed memory mapped for the table alone, so that tables of 4 MiB
/// and more can live on huge pages (`System.mapZeroedMemory`) without that advice outliving them in
/// the allocator's heap; pages are touched only as keys land in them. Shared by copies of a
/// dictionary until one of them inserts (copy on write).
private final class SlotStorage: @unchecked Sendable {
    let words: UnsafeMutablePointer<UInt64>
    let slotCount: Int

    init(slotCount: Int) {
        self.slotCount = slotCount
        let bytes = 32 * slotCount
        words = System.mapZeroedMemory(bytes: bytes, hugePages: bytes >= 4 << 20).bindMemory(to: UInt64.self, capacity: 4 * slotCount)
    }

    deinit { System.unmapZeroedMemory(UnsafeMutableRawPointer(words), bytes: 32 * slotCount) }

    func copy() -> SlotStorage {
        let copy = SlotStorage(slotCount: slotCount)
        copy.words.update(from: words, count: 4 * slotCount)
        return copy
    }
}
