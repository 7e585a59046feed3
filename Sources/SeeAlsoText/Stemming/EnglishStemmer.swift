/// The Snowball English stemmer ("Porter2", the `english` algorithm of Snowball 3), e.g.
/// "generously" → "generous", "connections" → "connect", "skies" → "sky".
///
/// Follows https://snowballstem.org/algorithms/english/stemmer.html, including its exceptional
/// forms, the special R1 prefixes ("gener", "commun", "arsen", …) and the y/Y handling.
package struct EnglishStemmer: Stemmer {
    package init() {}

    package func stem(_ word: String) -> String {
        var run = EnglishRun(word)
        if let exception = EnglishRun.exceptions[run.word.scalars] { return exception }
        guard run.word.count >= 3 else { return word }
        run.markRegions()
        run.step1a()
        run.step1b()
        run.step1c()
        run.step2()
        run.step3()
        run.step4()
        run.step5()
        return run.finish()
    }
}

/// One word going through the English algorithm: the word, its regions and whether the prelude
/// turned some "y" into a consonant "Y".
private struct EnglishRun {
    static let vowels = LetterSet("aeiouy")
    static let vowelsWXY = LetterSet("aeiouywxY")
    static let validLiEndings = LetterSet("cdeghkmnrt")
    static let shortDoublePrefixes = LetterSet("aeo")

    /// Whole words with a fixed stem (the words mapped to themselves are left as they are).
    static let exceptions: [[Unicode.Scalar]: String] = Dictionary(uniqueKeysWithValues: [
        ("skis", "ski"), ("skies", "sky"), ("idly", "idl"), ("gently", "gentl"), ("ugly", "ugli"),
        ("early", "earli"), ("only", "onli"), ("singly", "singl"), ("sky", "sky"), ("news", "news"),
        ("howe", "howe"), ("atlas", "atlas"), ("cosmos", "cosmos"), ("bias", "bias"),
        ("andes", "andes"),
    ].map { (Array($0.0.unicodeScalars), $0.1) })

    /// Words starting with one of these have R1 right after it.
    static let regionPrefixes = ["arsen", "commun", "emerg", "gener", "inter", "later", "organ", "past", "univers"]

    /// Words that keep "eed"/"eedly" in Step 1b.
    static let eedKeepers = ["succ", "proc", "exc"]

    /// Words that keep "ing" in Step 1b.
    static let ingKeepers = ["even", "cann", "inn", "earr", "herr", "out"]

    enum Step1bRule: Sendable { case eed, ing, delete }

    static let step1bSuffixes = SuffixTable<Step1bRule>([
        "eed": .eed, "eedly": .eed, "ed": .delete, "edly": .delete, "ing": .ing, "ingly": .delete,
    ])

    enum Step2Rule: Sendable {
        case replace(String)
        /// "ogi" → "og" after "l".
        case logi
        /// "li" is removed after a valid li-ending.
        case li
    }

    static let step2Suffixes = SuffixTable<Step2Rule>([
        "tional": .replace("tion"), "enci": .replace("ence"), "anci": .replace("ance"),
        "abli": .replace("able"), "entli": .replace("ent"), "izer": .replace("ize"),
        "ization": .replace("ize"), "ational": .replace("ate"), "ation": .replace("ate"),
        "ator": .replace("ate"), "alism": .replace("al"), "aliti": .replace("al"),
        "alli": .replace("al"), "fulness": .replace("ful"), "fulli": .replace("ful"),
        "ousli": .replace("ous"), "ousness": .replace("ous"), "iveness": .replace("ive"),
        "iviti": .replace("ive"), "biliti": .replace("ble"), "bli": .replace("ble"),
        "ogist": .replace("og"), "lessli": .replace("less"), "ogi": .logi, "li": .li,
    ])

    enum Step3Rule: Sendable {
        case replace(String)
        /// "ative" is removed when in R2.
        case ative
    }

    static let step3Suffixes = SuffixTable<Step3Rule>([
        "tional": .replace("tion"), "ational": .replace("ate"), "alize": .replace("al"),
        "icate": .replace("ic"), "iciti": .replace("ic"), "ical": .replace("ic"),
        "ful": .replace(""), "ness": .replace(""), "ative": .ative,
    ])

    enum Step4Rule: Sendable {
        case delete
        /// "ion" is removed after "s" or "t".
        case ion
    }

    static let step4Suffixes = SuffixTable<Step4Rule>([
        "al": .delete, "ance": .delete, "ence": .delete, "er": .delete, "ic": .delete,
        "able": .delete, "ible": .delete, "ant": .delete, "ement": .delete, "ment": .delete,
        "ent": .delete, "ism": .delete, "ate": .delete, "iti": .delete, "ous": .delete,
        "ive": .delete, "ize": .delete, "ion": .ion,
    ])

    static let doubles = ["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"]

    var word: SnowballWord
    private var foundY = false
    private var r1 = 0
    private var r2 = 0

    init(_ word: String) {
        self.word = SnowballWord(word)
    }

    /// The postlude: turns the consonant "Y"s back into "y" and returns the stem.
    mutating func finish() -> String {
        if foundY {
            for index in word.scalars.indices where word[index] == "Y" { word[index] = "y" }
        }
        return word.string
    }

    /// The prelude and the regions: drops one leading apostrophe, marks consonant y's as "Y"
    /// (initial, or after a vowel), then sets R1 and R2.
    mutating func markRegions() {
        if word[0] == "'" { word.scalars.removeFirst() }
        if word.count > 0, word[0] == "y" {
            word[0] = "Y"
            foundY = true
        }
        for index in word.scalars.indices.dropFirst() where word[index] == "y" && Self.vowels.contains(word[index - 1]) {
            word[index] = "Y"
            foundY = true
        }
        if let prefix = Self.regionPrefixes.first(where: { word.hasPrefix($0) }) {
            r1 = prefix.unicodeScalars.count
        } else {
            r1 = word.regionStart(from: 0, vowels: Self.vowels)
        }
        r2 = word.regionStart(from: r1, vowels: Self.vowels)
    }

    /// Whether the word up to `end` ends in a short syllable.
    private func endsShortSyllable(at end: Int) -> Bool {
        if end >= 3, !word.letter(at: end - 1, isIn: Self.vowelsWXY),
           word.letter(at: end - 2, isIn: Self.vowels), !word.letter(at: end - 3, isIn: Self.vowels) {
            return true
        }
        if end == 2, !word.letter(at: 1, isIn: Self.vowels), word.letter(at: 0, isIn: Self.vowels) {
            return true
        }
        return word.hasSuffix("past", endingAt: end)
    }

    /// Possessive apostrophes and plural "s" endings.
    mutating func step1a() {
        for suffix in ["'s'", "'s", "'"] where word.hasSuffix(suffix) {
            word.truncate(at: word.count - suffix.unicodeScalars.count)
            break
        }
        if word.hasSuffix("sses") {
            word.truncate(at: word.count - 2)
        } else if word.hasSuffix("ied") || word.hasSuffix("ies") {
            let start = word.count - 3
            word.replaceSuffix(from: start, with: start >= 2 ? "i" : "ie")
        } else if word.hasSuffix("ss") || word.hasSuffix("us") {
            return
        } else if word.hasSuffix("s"), word.count >= 2, word.contains(Self.vowels, in: 0..<(word.count - 2)) {
            word.truncate(at: word.count - 1)
        }
    }

    /// "eed", "ed", "ing" and their "-ly" forms.
    mutating func step1b() {
        guard case let (start, rule)? = Self.step1bSuffixes.longestMatch(in: word) else { return }
        switch rule {
        case .eed:
            let keeps = Self.eedKeepers.contains { $0.unicodeScalars.count == start && word.hasPrefix($0) }
            if start >= r1, !keeps { word.replaceSuffix(from: start, with: "ee") }
            return
        case .ing:
            if start == 2, word[1] == "y", !Self.vowels.contains(word[0]) {
                word.replaceSuffix(from: 1, with: "ie")
                return
            }
            if Self.ingKeepers.contains(where: { $0.unicodeScalars.count == start && word.hasPrefix($0) }) { return }
        case .delete:
            break
        }
        guard word.contains(Self.vowels, in: 0..<start) else { return }
        word.truncate(at: start)
        if word.hasSuffix("at") || word.hasSuffix("bl") || word.hasSuffix("iz") {
            word.scalars.append("e")
        } else if Self.doubles.contains(where: { word.hasSuffix($0) }) {
            if word.count == 3, Self.shortDoublePrefixes.contains(word[0]) { return }
            word.truncate(at: word.count - 1)
        } else if word.count == r1, endsShortSyllable(at: word.count) {
            word.scalars.append("e")
        }
    }

    /// Final "y" after a non-vowel that is not the first letter becomes "i".
    mutating func step1c() {
        let last = word.count - 1
        guard last >= 2, word[last] == "y" || word[last] == "Y", !Self.vowels.contains(word[last - 1]) else { return }
        word[last] = "i"
    }

    mutating func step2() {
        guard case let (start, rule)? = Self.step2Suffixes.longestMatch(in: word), start >= r1 else { return }
        switch rule {
        case .replace(let replacement):
            word.replaceSuffix(from: start, with: replacement)
        case .logi:
            if start >= 1, word[start - 1] == "l" { word.replaceSuffix(from: start, with: "og") }
        case .li:
            if word.letter(at: start - 1, isIn: Self.validLiEndings) { word.truncate(at: start) }
        }
    }

    mutating func step3() {
        guard case let (start, rule)? = Self.step3Suffixes.longestMatch(in: word), start >= r1 else { return }
        switch rule {
        case .replace(let replacement):
            word.replaceSuffix(from: start, with: replacement)
        case .ative:
            if start >= r2 { word.truncate(at: start) }
        }
    }

    mutating func step4() {
        guard case let (start, rule)? = Self.step4Suffixes.longestMatch(in: word), start >= r2 else { return }
        switch rule {
        case .delete:
            word.truncate(at: start)
        case .ion:
            if start >= 1, word[start - 1] == "s" || word[start - 1] == "t" { word.truncate(at: start) }
        }
    }

    /// Final "e" and the second "l" of a final "ll".
    mutating func step5() {
        let last = word.count - 1
        guard last >= 0 else { return }
        if word[last] == "e" {
            if last >= r2 || (last >= r1 && !endsShortSyllable(at: last)) { word.truncate(at: last) }
        } else if word[last] == "l", last >= r2, last >= 1, word[last - 1] == "l" {
            word.truncate(at: last)
        }
    }
}
