/// The Snowball German stemmer (the `german` algorithm of Snowball 3), e.g.
/// "aufeinanderfolgenden" → "aufeinanderfolg", "häuser" → "haus".
///
/// Follows https://snowballstem.org/algorithms/german/stemmer.html, including its folding of
/// "ß", "ae", "oe" and "ue"; umlauts are removed from the stem at the end.
package struct GermanStemmer: Stemmer {
    package init() {}

    package func stem(_ word: String) -> String {
        var run = GermanRun(word)
        run.step1()
        run.step2()
        run.step3()
        run.removeApostropheSuffix()
        return run.finish()
    }
}

/// One word going through the German algorithm, with its regions R1 and R2.
private struct GermanRun {
    static let vowels = LetterSet("aeiouyäöü")
    static let sEndings = LetterSet("bdfghklmnrt")
    static let stEndings = LetterSet("bdfghklmnt")
    static let etEndings = LetterSet("Udfgklmnrstzä")

    enum Step1Rule: Sendable {
        /// "em", kept after "syst".
        case em
        /// Removed.
        case delete
        /// Removed, then the final "s" of "niss".
        case e
        /// "s", removed after a valid s-ending.
        case s
        /// "ln"/"lns", replaced by "l".
        case ln
    }

    static let step1Suffixes = SuffixTable<Step1Rule>([
        "em": .em, "ern": .delete, "er": .delete, "erin": .delete, "erinnen": .delete,
        "e": .e, "en": .e, "es": .e, "s": .s, "ln": .ln, "lns": .ln,
    ])

    enum Step2Rule: Sendable {
        /// Removed.
        case delete
        /// "st", removed after a valid st-ending that follows at least 3 letters.
        case st
        /// "et", removed after a valid et-ending unless the word then ends in an exception.
        case et
    }

    static let step2Suffixes = SuffixTable<Step2Rule>(["en": .delete, "er": .delete, "est": .delete, "st": .st, "et": .et])

    /// Endings before "et" that keep it.
    static let etKeepers = SuffixTable(["tick", "plan", "geordn", "intern", "tr"])

    enum Step3Rule: Sendable {
        /// "end"/"ung", removed, then "ig" (not after "e") in R2.
        case ung
        /// "ig"/"ik"/"isch", removed unless after "e".
        case ig
        /// "lich"/"heit", removed, then "er" or "en" in R1.
        case heit
        /// "keit", removed, then "lich" or "ig" in R2.
        case keit
    }

    static let step3Suffixes = SuffixTable<Step3Rule>([
        "end": .ung, "ung": .ung, "ig": .ig, "ik": .ig, "isch": .ig, "lich": .heit, "heit": .heit,
        "keit": .keit,
    ])

    static let keitPrefixes = SuffixTable(["ig", "lich"])

    static let apostropheSuffixes = SuffixTable(["'", "'s", "'sch"])

    private var word: SnowballWord
    private var r1: Int
    private var r2: Int

    /// Runs the prelude (consonant "u"/"y" between vowels marked "U"/"Y"; "ß" → "ss"; "ae", "oe",
    /// "ue" → "ä", "ö", "ü" except after "q") and marks the regions.
    init(_ word: String) {
        var marked = SnowballWord(word)
        if marked.count >= 3 {
            for index in 1..<(marked.count - 1)
            where Self.vowels.contains(marked[index - 1]) && Self.vowels.contains(marked[index + 1]) {
                if marked[index] == "u" {
                    marked[index] = "U"
                } else if marked[index] == "y" {
                    marked[index] = "Y"
                }
            }
        }
        var folded: [Unicode.Scalar] = []
        folded.reserveCapacity(marked.count + 2)
        var index = 0
        while index < marked.count {
            let scalar = marked[index]
            let next: Unicode.Scalar? = index + 1 < marked.count ? marked[index + 1] : nil
            switch (scalar, next) {
            case ("ß", _):
                folded += ["s", "s"]
                index += 1
            case ("a", "e"):
                folded.append("ä")
                index += 2
            case ("o", "e"):
                folded.append("ö")
                index += 2
            case ("u", "e"):
                folded.append("ü")
                index += 2
            case ("q", "u"):
                folded += ["q", "u"]
                index += 2
            default:
                folded.append(scalar)
                index += 1
            }
        }
        self.word = SnowballWord(scalars: folded)

        // R1 starts no earlier than the fourth letter; R2 is searched from where R1 would be
        // without that adjustment.
        let unadjusted = self.word.regionStart(from: 0, vowels: Self.vowels)
        if self.word.count >= 3 {
            r1 = max(unadjusted, 3)
            r2 = self.word.regionStart(from: unadjusted, vowels: Self.vowels)
        } else {
            r1 = self.word.count
            r2 = self.word.count
        }
    }

    mutating func step1() {
        guard case let (start, rule)? = Self.step1Suffixes.longestMatch(in: word), start >= r1 else { return }
        switch rule {
        case .em:
            if !word.hasSuffix("syst", endingAt: start) { word.truncate(at: start) }
        case .delete:
            word.truncate(at: start)
        case .e:
            word.truncate(at: start)
            if word.hasSuffix("niss") { word.truncate(at: word.count - 1) }
        case .s:
            if word.letter(at: start - 1, isIn: Self.sEndings) { word.truncate(at: start) }
        case .ln:
            word.replaceSuffix(from: start, with: "l")
        }
    }

    mutating func step2() {
        guard case let (start, rule)? = Self.step2Suffixes.longestMatch(in: word), start >= r1 else { return }
        switch rule {
        case .delete:
            word.truncate(at: start)
        case .st:
            if start >= 4, Self.stEndings.contains(word[start - 1]) { word.truncate(at: start) }
        case .et:
            if word.letter(at: start - 1, isIn: Self.etEndings),
               Self.etKeepers.longestMatch(in: word, endingAt: start) == nil {
                word.truncate(at: start)
            }
        }
    }

    mutating func step3() {
        guard case let (start, rule)? = Self.step3Suffixes.longestMatch(in: word), start >= r2 else { return }
        switch rule {
        case .ung:
            word.truncate(at: start)
            if word.hasSuffix("ig"), !word.hasSuffix("eig") { word.removeSuffix("ig", inRegionFrom: r2) }
        case .ig:
            if start == 0 || word[start - 1] != "e" { word.truncate(at: start) }
        case .heit:
            word.truncate(at: start)
            if !word.removeSuffix("er", inRegionFrom: r1) { word.removeSuffix("en", inRegionFrom: r1) }
        case .keit:
            word.truncate(at: start)
            if let before = Self.keitPrefixes.longestMatch(in: word), before.start >= r2 {
                word.truncate(at: before.start)
            }
        }
    }

    /// Removes a final "'", "'s" or "'sch" after at least two letters.
    mutating func removeApostropheSuffix() {
        if let suffix = Self.apostropheSuffixes.longestMatch(in: word), suffix.start >= 2 {
            word.truncate(at: suffix.start)
        }
    }

    /// The postlude: "Y" and "U" back to lowercase, umlauts removed; returns the stem.
    mutating func finish() -> String {
        for index in word.scalars.indices {
            switch word[index] {
            case "Y": word[index] = "y"
            case "U", "ü": word[index] = "u"
            case "ä": word[index] = "a"
            case "ö": word[index] = "o"
            default: break
            }
        }
        return word.string
    }
}
