// Shared building blocks for the Snowball stemmers: letter groupings, the word being edited,
// region starts (R1, R2) and longest-suffix lookup (Snowball's `among`).

/// A set of letters, such as a language's vowels (a Snowball "grouping"), with constant-time
/// membership tests.
///
/// Members must lie in Latin-1 (U+0000–U+00FF), which covers every grouping of the Latin-script
/// algorithms; any other scalar is a non-member.
struct LetterSet: Sendable {
    private var bits: [UInt64] = [0, 0, 0, 0]

    init(_ letters: String) {
        for letter in letters.unicodeScalars {
            precondition(letter.value < 256, "LetterSet members must be Latin-1 letters")
            bits[Int(letter.value >> 6)] |= 1 << UInt64(letter.value & 63)
        }
    }

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 256 && bits[Int(value >> 6)] & (1 << UInt64(value & 63)) != 0
    }
}

/// A word being stemmed, held as Unicode scalars.
///
/// Snowball counts positions in Unicode code points, so working on scalars (never on Characters)
/// keeps regions and suffix matches identical to the reference implementations for any input,
/// including combining marks.
struct SnowballWord {
    var scalars: [Unicode.Scalar]

    init(_ word: String) {
        scalars = Array(word.unicodeScalars)
    }

    init(scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    var count: Int { scalars.count }

    var string: String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    subscript(index: Int) -> Unicode.Scalar {
        get { scalars[index] }
        set { scalars[index] = newValue }
    }

    /// Whether `suffix` occurs just before position `end` (default: the end of the word).
    func hasSuffix(_ suffix: String, endingAt end: Int? = nil) -> Bool {
        var index = end ?? count
        for letter in suffix.unicodeScalars.reversed() {
            index -= 1
            if index < 0 || scalars[index] != letter { return false }
        }
        return true
    }

    func hasPrefix(_ prefix: String) -> Bool {
        var index = 0
        for letter in prefix.unicodeScalars {
            if index == count || scalars[index] != letter { return false }
            index += 1
        }
        return true
    }

    /// Whether the scalar at `index` exists and belongs to `set`.
    func letter(at index: Int, isIn set: LetterSet) -> Bool {
        index >= 0 && index < count && set.contains(scalars[index])
    }

    /// The first position at or after `start` holding a member of `set`, or nil.
    func firstIndex(from start: Int, in set: LetterSet) -> Int? {
        var index = start
        while index < count {
            if set.contains(scalars[index]) { return index }
            index += 1
        }
        return nil
    }

    /// The first position at or after `start` holding a non-member of `set`, or nil.
    func firstIndex(from start: Int, notIn set: LetterSet) -> Int? {
        var index = start
        while index < count {
            if !set.contains(scalars[index]) { return index }
            index += 1
        }
        return nil
    }

    /// Whether some member of `set` lies in `range`.
    func contains(_ set: LetterSet, in range: Range<Int>) -> Bool {
        range.contains { set.contains(scalars[$0]) }
    }

    /// The standard region start searched from `start`: the position after the first non-vowel
    /// that follows a vowel, or the word's length if there is none. R1 is `regionStart(from: 0)`,
    /// R2 is `regionStart(from: r1)`.
    func regionStart(from start: Int, vowels: LetterSet) -> Int {
        guard let vowel = firstIndex(from: start, in: vowels),
              let consonant = firstIndex(from: vowel + 1, notIn: vowels) else { return count }
        return consonant + 1
    }

    /// RV as defined for Italian, Spanish and Portuguese: if the word starts vowel-consonant, the
    /// position after the next vowel; vowel-vowel, after the next consonant; consonant-consonant,
    /// after the next vowel; consonant-vowel, after the third letter. The word's length if there
    /// is no such position.
    func romanceRVStart(vowels: LetterSet) -> Int {
        guard count >= 2 else { return count }
        let secondIsVowel = vowels.contains(scalars[1])
        if vowels.contains(scalars[0]) {
            let next = secondIsVowel ? firstIndex(from: 2, notIn: vowels) : firstIndex(from: 2, in: vowels)
            return next.map { $0 + 1 } ?? count
        }
        if !secondIsVowel {
            return firstIndex(from: 2, in: vowels).map { $0 + 1 } ?? count
        }
        return count >= 3 ? 3 : count
    }

    /// Removes `suffix` if the word ends with it and it starts at or after `regionStart`; returns
    /// whether it did.
    @discardableResult
    mutating func removeSuffix(_ suffix: String, inRegionFrom regionStart: Int) -> Bool {
        let start = count - suffix.unicodeScalars.count
        guard start >= regionStart, hasSuffix(suffix) else { return false }
        truncate(at: start)
        return true
    }

    /// Replaces everything from `start` to the end of the word with `replacement`.
    mutating func replaceSuffix(from start: Int, with replacement: String) {
        scalars.replaceSubrange(start..., with: replacement.unicodeScalars)
    }

    /// Removes everything from `start` to the end of the word.
    mutating func truncate(at start: Int) {
        scalars.removeSubrange(start...)
    }
}

/// The suffixes one stemming step looks for, each with the rule that step applies to it.
///
/// `longestMatch` finds the longest listed suffix the word ends with, as Snowball's `among` does:
/// shorter suffixes are not tried when the longest one's conditions fail.
struct SuffixTable<Rule: Sendable>: Sendable {
    private struct Entry: Sendable {
        let suffix: [Unicode.Scalar]
        let rule: Rule
    }

    /// Longest suffixes first, so the first match is the longest.
    private let entries: [Entry]

    init(_ pairs: KeyValuePairs<String, Rule>) {
        entries = pairs
            .map { Entry(suffix: Array($0.key.unicodeScalars), rule: $0.value) }
            .sorted { $0.suffix.count > $1.suffix.count }
    }

    /// A table of bare suffixes, for steps that treat them all alike.
    init(_ suffixes: [String]) where Rule == Void {
        entries = suffixes
            .map { Entry(suffix: Array($0.unicodeScalars), rule: ()) }
            .sorted { $0.suffix.count > $1.suffix.count }
    }

    /// The longest suffix of `word[floor..<end]` (default: the whole word) in the table: where
    /// it starts and its rule.
    func longestMatch(in word: SnowballWord, endingAt end: Int? = nil,
                      notBefore floor: Int = 0) -> (start: Int, rule: Rule)? {
        let end = end ?? word.count
        for entry in entries where entry.suffix.count <= end - floor {
            let start = end - entry.suffix.count
            if word.scalars[start..<end].elementsEqual(entry.suffix) {
                return (start, entry.rule)
            }
        }
        return nil
    }
}
