import Foundation
import SeeAlsoSupport
import Testing
import SeeAlsoText

/// 10 000 distinct random byte strings of length 1…40 (no NUL bytes, as the dictionary requires),
/// a quarter of them sharing 7- or 8-byte prefixes with others so that the prefix word alone cannot
/// tell them apart.
private func randomKeys(count: Int = 10_000, seed: UInt64) -> [[UInt8]] {
    var rng = SplitMix64(seed: seed)  // seeded: the same keys on every run
    var seen = Set<[UInt8]>()
    var keys: [[UInt8]] = []
    let sharedPrefixes: [[UInt8]] = (0..<20).map { index in
        (0..<(index % 2 == 0 ? 7 : 8)).map { _ in UInt8.random(in: 1...255, using: &rng) }
    }
    while keys.count < count {
        var key: [UInt8]
        switch Int.random(in: 0..<4, using: &rng) {
        case 0:
            // A shared prefix plus 0…12 more bytes (0 gives the prefix itself, 7 or 8 bytes long).
            key = sharedPrefixes.randomElement(using: &rng)!
            key += (0..<Int.random(in: 0...12, using: &rng)).map { _ in UInt8.random(in: 1...255, using: &rng) }
        case 1:
            // Mostly ASCII letters, like real tokens.
            key = (0..<Int.random(in: 1...12, using: &rng)).map { _ in UInt8.random(in: 97...122, using: &rng) }
        default:
            key = (0..<Int.random(in: 1...40, using: &rng)).map { _ in UInt8.random(in: 1...255, using: &rng) }
        }
        if seen.insert(key).inserted { keys.append(key) }
    }
    return keys
}

private extension TermDictionary {
    mutating func insert(bytes: [UInt8]) -> (id: Int32, inserted: Bool) {
        bytes.withUnsafeBufferPointer { insert($0) }
    }

    func find(bytes: [UInt8]) -> Int32? {
        bytes.withUnsafeBufferPointer { find($0) }
    }

    func bytes(of id: Int) -> [UInt8] {
        withBytes(of: id) { Array($0) }
    }
}

@Suite struct TermDictionaryTests {
    @Test func insertAndFindRoundTripWithDenseIds() {
        let keys = randomKeys(seed: 2024)
        #expect(keys.contains { $0.count == 40 } && keys.contains { $0.count == 1 })
        var dictionary = TermDictionary(expectedCount: 16) // small, so it grows many times
        for (index, key) in keys.enumerated() {
            let result = dictionary.insert(bytes: key)
            #expect(result.inserted, "key \(index)")
            #expect(result.id == Int32(index))
        }
        #expect(dictionary.count == keys.count)
        var mismatches = 0
        for (index, key) in keys.enumerated() {
            if dictionary.find(bytes: key) != Int32(index) { mismatches += 1 }
            if dictionary.bytes(of: index) != key { mismatches += 1 }
            // Re-inserting finds the existing id.
            let again = dictionary.insert(bytes: key)
            if again.inserted || again.id != Int32(index) { mismatches += 1 }
        }
        #expect(mismatches == 0)
        #expect(dictionary.count == keys.count)
    }

    @Test func absentKeysAreNotFound() {
        let keys = randomKeys(seed: 7)
        var dictionary = TermDictionary()
        for key in keys.prefix(5000) { _ = dictionary.insert(bytes: key) }
        var wrong = 0
        for key in keys.suffix(5000) where dictionary.find(bytes: key) != nil { wrong += 1 }
        #expect(wrong == 0)
        // Prefixes and extensions of stored keys are different keys.
        for key in keys.prefix(500) {
            var longer = key
            longer.append(0x41)
            if !keys.contains(longer) && dictionary.find(bytes: longer) != nil { wrong += 1 }
            if key.count > 1, !keys.contains(Array(key.dropLast())), dictionary.find(bytes: Array(key.dropLast())) != nil { wrong += 1 }
        }
        #expect(wrong == 0)
    }

    @Test func keysSharingASevenBytePrefix() {
        var dictionary = TermDictionary()
        let keys = ["abcdefg", "abcdefgh", "abcdefgi", "abcdefghijklmnop", "abcdefghijklmnoq", "abcdefgh ijklmnop", "abcdef", "abcdefgg"]
        for (index, key) in keys.enumerated() {
            #expect(dictionary.insert(key) == Int32(index))
        }
        for (index, key) in keys.enumerated() {
            #expect(dictionary.find(key) == Int32(index))
            #expect(dictionary.string(index) == key)
        }
        #expect(dictionary.find("abcdefghijklmno") == nil)
        #expect(dictionary.find("abcdefgj") == nil)
    }

    /// Keys around the slot's 16 inline bytes and past its 16-bit length field, sharing 16-byte
    /// prefixes, each with a payload: every key finds its own id and payload, growth included.
    @Test func payloadsAndKeysAroundTheInlineBytes() {
        var rng = SplitMix64(seed: 99)
        let prefix = (0..<16).map { _ in UInt8.random(in: 97...122, using: &rng) }
        var keys: [[UInt8]] = []
        for length in 1...40 { keys.append(Array(prefix.prefix(length)) + Array(repeating: 0x5A, count: max(0, length - 16))) }
        for length in 17...40 { keys.append(prefix + Array(repeating: 0x59, count: length - 16)) }
        let huge = (0..<70_000).map { UInt8(65 + $0 % 26) }
        keys += [huge, huge + [0x41], Array(huge.dropLast()), Array(huge.dropLast()) + [0x42]]
        keys = Array(Set(keys)).sorted { $0.lexicographicallyPrecedes($1) }
        var dictionary = TermDictionary(expectedCount: 4)
        for (index, key) in keys.enumerated() {
            let result = key.withUnsafeBufferPointer {
                dictionary.insert($0, signature: TermDictionary.signature($0), payload: Int32(-index - 7))
            }
            #expect(result.id == Int32(index) && result.inserted)
        }
        var wrong = 0
        for (index, key) in keys.enumerated() {
            key.withUnsafeBufferPointer { bytes in
                if dictionary.find(bytes) != Int32(index) { wrong += 1 }
                if dictionary.payload(of: bytes, signature: TermDictionary.signature(bytes)) != Int32(-index - 7) { wrong += 1 }
                // Inserting again keeps the id and the first payload.
                let again = dictionary.insert(bytes, signature: TermDictionary.signature(bytes), payload: 1)
                if again.inserted || again.id != Int32(index) { wrong += 1 }
                if dictionary.payload(of: bytes, signature: TermDictionary.signature(bytes)) != Int32(-index - 7) { wrong += 1 }
            }
        }
        #expect(wrong == 0)
        let absent = prefix + [0x58]
        #expect(dictionary.find(bytes: absent) == nil)
        #expect(dictionary.find(bytes: huge + [0x42]) == nil)
    }

    @Test func stringAPIUsesUTF8Bytes() {
        var dictionary = TermDictionary()
        let nfc = "caf\u{E9}"
        let nfd = "cafe\u{301}"
        #expect(nfc == nfd) // Swift String equality is canonical…
        #expect(dictionary.insert(nfc) == 0)
        #expect(dictionary.insert(nfd) == 1) // …but the dictionary keeps both byte strings.
        #expect(dictionary.find(nfd) == 1)
        #expect(Array(dictionary.string(1).utf8) == Array(nfd.utf8))
        var appended: [UInt8] = [0x5B]
        dictionary.appendBytes(of: 0, to: &appended)
        #expect(appended == [0x5B] + Array(nfc.utf8))
    }

    @Test func emptyKey() {
        var dictionary = TermDictionary()
        #expect(dictionary.find("") == nil)
        #expect(dictionary.insert("") == 0)
        #expect(dictionary.insert("a") == 1)
        #expect(dictionary.find("") == 0)
        #expect(dictionary.string(0) == "")
    }

    @Test func precedesAgreesWithLexicographicByteOrder() {
        let keys = randomKeys(count: 3000, seed: 99)
        var dictionary = TermDictionary()
        for key in keys { _ = dictionary.insert(bytes: key) }
        var rng = SplitMix64(seed: 5)
        var disagreements = 0
        for _ in 0..<50_000 {
            let a = Int.random(in: 0..<keys.count, using: &rng)
            let b = Int.random(in: 0..<keys.count, using: &rng)
            if dictionary.precedes(a, b) != keys[a].lexicographicallyPrecedes(keys[b]) { disagreements += 1 }
        }
        for a in 0..<keys.count where dictionary.precedes(a, a) { disagreements += 1 }
        // Sorting with `precedes` gives byte order, neighbours included.
        let sorted = (0..<keys.count).sorted { dictionary.precedes($0, $1) }
        #expect(sorted.map { keys[$0] } == keys.sorted { $0.lexicographicallyPrecedes($1) })
        #expect(disagreements == 0)
    }

    @Test func sortedByBytesAgreesWithLexicographicByteOrder() {
        let keys = randomKeys(count: 5000, seed: 31)
        var dictionary = TermDictionary()
        for key in keys { _ = dictionary.insert(bytes: key) }
        let all = Array(0..<keys.count)
        let expected = keys.sorted { $0.lexicographicallyPrecedes($1) }
        #expect(dictionary.sortedByBytes(all).map { keys[$0] } == expected)
        let subset = all.filter { $0 % 3 != 0 }.reversed()
        #expect(dictionary.sortedByBytes(Array(subset)).map { keys[$0] }
                    == subset.map { keys[$0] }.sorted { $0.lexicographicallyPrecedes($1) })
        #expect(dictionary.sortedByBytes([]) == [])
    }

    /// The length-masked signature of tokens in a `TokenBuffer` equals the general one for every length
    /// (keys up to 16 bytes take the masked path), for the buffer's last token too.
    @Test func paddedSignatureOfTokensEqualsTheSignature() {
        var rng = SplitMix64(seed: 23)
        let words = (0..<2_000).map { _ in
            String((0..<Int.random(in: 2...40, using: &rng)).map { _ in Character(Unicode.Scalar(UInt8.random(in: 97...122, using: &rng))) })
        }
        var tokenizer = Tokenizer()
        var tokens = TokenBuffer()
        tokenizer.tokenize(words.joined(separator: " "), into: &tokens)
        #expect(tokens.count == words.count)
        for index in 0..<tokens.count {
            let token = tokens.token(index)
            let padded = TermDictionary.signature(paddedKey: token)
            let general = TermDictionary.signature(token)
            #expect(padded.hash == general.hash && padded.first == general.first && padded.second == general.second
                    && padded.length == general.length, "token \(index), \(token.count) bytes")
        }
    }

    @Test func copiesAreIndependent() {
        var original = TermDictionary()
        _ = original.insert("alpha")
        var copy = original
        _ = copy.insert("beta")
        #expect(original.count == 1)
        #expect(original.find("beta") == nil)
        #expect(copy.count == 2)
        #expect(copy.find("alpha") == 0)
    }
}
