/// The Snowball French stemmer (the `french` algorithm of Snowball 3), e.g.
/// "continuellement" → "continuel", "l'homme" → "homm".
///
/// Follows https://snowballstem.org/algorithms/french/stemmer.html, including elisions ("l'",
/// "qu'") and the marking of consonant "u", "i", "y" and of "ë", "ï" while stemming.
package struct FrenchStemmer: Stemmer {
    package init() {}

    package func stem(_ word: String) -> String {
        var run = FrenchRun(word)
        if run.removeStandardSuffix() || run.removeIVerbSuffix() || run.removeVerbSuffix() {
            run.normalizeFinalLetter()
        } else {
            run.removeResidualSuffix()
        }
        run.undouble()
        run.unaccent()
        return run.finish()
    }
}

/// One word going through the French algorithm, with its regions RV, R1 and R2.
private struct FrenchRun {
    static let vowels = LetterSet("aeiouyàâèéêëîïôùû")
    static let ouxEndings = LetterSet("bhjlnp")
    static let elisionLetters = LetterSet("cdjlmnst")
    static let keepWithS = LetterSet("aiosuè")

    enum StandardRule: Sendable {
        /// Removed when in R2.
        case delete
        /// Removed when in R2, then a preceding "ic" (removed in R2, else made "iqU").
        case ation
        /// Replaced by "log" when in R2.
        case logie
        /// Replaced by "u" when in R2.
        case usion
        /// Replaced by "ent" when in R2.
        case ence
        /// Removed when in RV, then "iv"/"ativ", "eus", "abl"/"iqU" or "ièr" as their regions allow.
        case ement
        /// Removed when in R2, then "abil", "ic" or "iv".
        case ite
        /// Removed when in R2, then "at" and "ic" before it.
        case ive
        /// Replaced by "eau".
        case eaux
        /// Replaced by "al" when in R1.
        case aux
        /// Replaced by "ou" after b, h, j, l, n or p.
        case oux
        /// Removed when in R2, else replaced by "eux" when in R1.
        case euse
        /// Removed when in R1 after a non-vowel.
        case issement
        /// Replaced by "ant" when in RV; then the verb steps still run.
        case amment
        /// Replaced by "ent" when in RV; then the verb steps still run.
        case emment
        /// Removed after a vowel in RV; then the verb steps still run.
        case ment
    }

    static let standardSuffixes = SuffixTable<StandardRule>([
        "ance": .delete, "iqUe": .delete, "isme": .delete, "able": .delete, "iste": .delete,
        "eux": .delete, "ances": .delete, "iqUes": .delete, "ismes": .delete, "ables": .delete,
        "istes": .delete,
        "atrice": .ation, "ateur": .ation, "ation": .ation, "atrices": .ation, "ateurs": .ation,
        "ations": .ation,
        "logie": .logie, "logies": .logie,
        "usion": .usion, "ution": .usion, "usions": .usion, "utions": .usion,
        "ence": .ence, "ences": .ence,
        "ement": .ement, "ements": .ement,
        "ité": .ite, "ités": .ite,
        "if": .ive, "ive": .ive, "ifs": .ive, "ives": .ive,
        "eaux": .eaux,
        "aux": .aux,
        "oux": .oux,
        "euse": .euse, "euses": .euse,
        "issement": .issement, "issements": .issement,
        "amment": .amment,
        "emment": .emment,
        "ment": .ment, "ments": .ment,
    ])

    enum EmentRule: Sendable { case iv, eus, ablIqU, ier }

    static let ementPrefixes = SuffixTable<EmentRule>([
        "iv": .iv, "eus": .eus, "abl": .ablIqU, "iqU": .ablIqU, "ièr": .ier, "Ièr": .ier,
    ])

    enum ItePrefix: Sendable { case abil, ic, iv }

    static let itePrefixes = SuffixTable<ItePrefix>(["abil": .abil, "ic": .ic, "iv": .iv])

    /// Endings of "-ir" verbs, removed when in RV after a non-vowel other than "H".
    static let iVerbSuffixes = SuffixTable([
        "îmes", "îtes", "ît", "ie", "ies", "ir", "ira", "irai", "iraIent", "irais", "irait",
        "iras", "irent", "irez", "iriez", "irions", "irons", "iront", "i", "is", "issaIent",
        "issais", "issait", "issant", "issante", "issantes", "issants", "isse", "issent",
        "isses", "issez", "issiez", "issions", "issons", "it",
    ])

    enum VerbRule: Sendable {
        /// "ions", removed when in R2.
        case ions
        /// Removed.
        case delete
        /// Removed, with a preceding "e" in RV.
        case ante
        /// "ais"/"aise"/"aises", removed except after "épl", "auv" or a one-letter-then-"al" start.
        case ais
    }

    static let verbSuffixes = SuffixTable<VerbRule>([
        "ions": .ions,
        "é": .delete, "ée": .delete, "ées": .delete, "és": .delete, "èrent": .delete,
        "er": .delete, "era": .delete, "erai": .delete, "eraIent": .delete, "erais": .delete,
        "erait": .delete, "eras": .delete, "erez": .delete, "eriez": .delete,
        "erions": .delete, "erons": .delete, "eront": .delete, "ez": .delete, "iez": .delete,
        "eais": .delete,
        "âmes": .ante, "ât": .ante, "âtes": .ante, "a": .ante, "ai": .ante, "aIent": .ante,
        "ait": .ante, "ant": .ante, "ante": .ante, "antes": .ante, "ants": .ante, "as": .ante,
        "asse": .ante, "assent": .ante, "asses": .ante, "assiez": .ante, "assions": .ante,
        "ais": .ais, "aise": .ais, "aises": .ais,
    ])

    /// What may precede "ais": true for "al".
    static let aisPrefixes = SuffixTable<Bool>(["al": true, "épl": false, "auv": false])

    enum ResidualRule: Sendable { case ion, ier, e }

    static let residualSuffixes = SuffixTable<ResidualRule>([
        "ion": .ion, "ier": .ier, "ière": .ier, "Ier": .ier, "Ière": .ier, "e": .e,
    ])

    static let doubledEndings = SuffixTable(["enn", "onn", "ett", "ell", "eill"])

    private var word: SnowballWord
    private var rv = 0
    private var r1 = 0
    private var r2 = 0

    /// Removes an elision, runs the prelude and marks the regions.
    init(_ word: String) {
        self.word = SnowballWord(word)
        removeElision()
        var index = 0
        while index < self.word.count {
            if !markLetter(at: index) { index += 1 }
        }
        rv = startOfRV()
        r1 = self.word.regionStart(from: 0, vowels: Self.vowels)
        r2 = self.word.regionStart(from: r1, vowels: Self.vowels)
    }

    /// Drops "l'", "qu'" and the like from the start, unless nothing follows.
    private mutating func removeElision() {
        let length: Int
        if word.letter(at: 0, isIn: Self.elisionLetters) {
            length = 2
        } else if word.hasPrefix("qu") {
            length = 3
        } else {
            return
        }
        if word.count > length, word[length - 1] == "'" {
            word.scalars.removeFirst(length)
        }
    }

    private func isVowel(at index: Int) -> Bool {
        word.letter(at: index, isIn: Self.vowels)
    }

    /// Applies the first prelude rule that fits at `index`, returning whether one did: "u" or "i"
    /// between vowels and "y" after a vowel become "U", "I", "Y"; "ë" and "ï" become "He", "Hi";
    /// "y" before a vowel becomes "Y"; "u" after "q" becomes "U".
    private mutating func markLetter(at index: Int) -> Bool {
        let letter = word[index]
        if Self.vowels.contains(letter), index + 1 < word.count {
            switch word[index + 1] {
            case "u" where isVowel(at: index + 2):
                word[index + 1] = "U"
                return true
            case "i" where isVowel(at: index + 2):
                word[index + 1] = "I"
                return true
            case "y":
                word[index + 1] = "Y"
                return true
            default:
                break
            }
        }
        switch letter {
        case "ë":
            word.scalars.replaceSubrange(index...index, with: ["H", "e"])
        case "ï":
            word.scalars.replaceSubrange(index...index, with: ["H", "i"])
        case "y" where isVowel(at: index + 1):
            word[index] = "Y"
        case "q" where index + 1 < word.count && word[index + 1] == "u":
            word[index + 1] = "U"
        default:
            return false
        }
        return true
    }

    /// RV: after the third letter if the word starts with two vowels or with "par", "col", "tap"
    /// or "ni" and a vowel; otherwise after the first vowel that is not the first letter.
    private func startOfRV() -> Int {
        if word.count >= 3, isVowel(at: 0), isVowel(at: 1) { return 3 }
        if word.hasPrefix("par") || word.hasPrefix("col") || word.hasPrefix("tap") { return 3 }
        if word.hasPrefix("ni"), isVowel(at: 2) { return 3 }
        return word.firstIndex(from: 1, in: Self.vowels).map { $0 + 1 } ?? word.count
    }

    /// Step 1. Returns whether a suffix was removed for good; "-amment", "-emment" and "-ment"
    /// are rewritten but still return false, so the verb steps run on the result.
    mutating func removeStandardSuffix() -> Bool {
        guard case let (start, rule)? = Self.standardSuffixes.longestMatch(in: word) else { return false }
        switch rule {
        case .delete:
            guard start >= r2 else { return false }
            word.truncate(at: start)
        case .ation:
            guard start >= r2 else { return false }
            word.truncate(at: start)
            removeIC()
        case .logie:
            guard start >= r2 else { return false }
            word.replaceSuffix(from: start, with: "log")
        case .usion:
            guard start >= r2 else { return false }
            word.replaceSuffix(from: start, with: "u")
        case .ence:
            guard start >= r2 else { return false }
            word.replaceSuffix(from: start, with: "ent")
        case .ite:
            guard start >= r2 else { return false }
            word.truncate(at: start)
            removeItePrefix()
        case .ive:
            guard start >= r2 else { return false }
            word.truncate(at: start)
            if word.removeSuffix("at", inRegionFrom: r2) { removeIC() }
        case .ement:
            guard start >= rv else { return false }
            word.truncate(at: start)
            removeEmentPrefix()
        case .eaux:
            word.replaceSuffix(from: start, with: "eau")
        case .aux:
            guard start >= r1 else { return false }
            word.replaceSuffix(from: start, with: "al")
        case .oux:
            guard word.letter(at: start - 1, isIn: Self.ouxEndings) else { return false }
            word.replaceSuffix(from: start, with: "ou")
        case .euse:
            if start >= r2 {
                word.truncate(at: start)
            } else if start >= r1 {
                word.replaceSuffix(from: start, with: "eux")
            } else {
                return false
            }
        case .issement:
            guard start >= r1, start >= 1, !Self.vowels.contains(word[start - 1]) else { return false }
            word.truncate(at: start)
        case .amment:
            if start >= rv { word.replaceSuffix(from: start, with: "ant") }
            return false
        case .emment:
            if start >= rv { word.replaceSuffix(from: start, with: "ent") }
            return false
        case .ment:
            if start - 1 >= rv, isVowel(at: start - 1) { word.truncate(at: start) }
            return false
        }
        return true
    }

    /// A final "ic": removed when in R2, else replaced by "iqU".
    private mutating func removeIC() {
        guard word.hasSuffix("ic") else { return }
        let start = word.count - 2
        if start >= r2 {
            word.truncate(at: start)
        } else {
            word.replaceSuffix(from: start, with: "iqU")
        }
    }

    private mutating func removeEmentPrefix() {
        guard case let (start, rule)? = Self.ementPrefixes.longestMatch(in: word) else { return }
        switch rule {
        case .iv:
            if start >= r2 {
                word.truncate(at: start)
                word.removeSuffix("at", inRegionFrom: r2)
            }
        case .eus:
            if start >= r2 {
                word.truncate(at: start)
            } else if start >= r1 {
                word.replaceSuffix(from: start, with: "eux")
            }
        case .ablIqU:
            if start >= r2 { word.truncate(at: start) }
        case .ier:
            if start >= rv { word.replaceSuffix(from: start, with: "i") }
        }
    }

    private mutating func removeItePrefix() {
        guard case let (start, prefix)? = Self.itePrefixes.longestMatch(in: word) else { return }
        if start >= r2 {
            word.truncate(at: start)
        } else if prefix == .abil {
            word.replaceSuffix(from: start, with: "abl")
        } else if prefix == .ic {
            word.replaceSuffix(from: start, with: "iqU")
        }
    }

    /// Step 2a: "-ir" verb endings in RV, after a non-vowel (not "H") that is also in RV.
    mutating func removeIVerbSuffix() -> Bool {
        guard word.count >= rv, let verb = Self.iVerbSuffixes.longestMatch(in: word, notBefore: rv) else { return false }
        let before = verb.start - 1
        guard before >= rv, word[before] != "H", !Self.vowels.contains(word[before]) else { return false }
        word.truncate(at: verb.start)
        return true
    }

    /// Step 2b: other verb endings in RV.
    mutating func removeVerbSuffix() -> Bool {
        guard word.count >= rv, case let (start, rule)? = Self.verbSuffixes.longestMatch(in: word, notBefore: rv) else {
            return false
        }
        switch rule {
        case .ions:
            guard start >= r2 else { return false }
            word.truncate(at: start)
        case .delete:
            word.truncate(at: start)
        case .ante:
            let withE = start - 1 >= rv && word[start - 1] == "e"
            word.truncate(at: withE ? start - 1 : start)
        case .ais:
            if let before = Self.aisPrefixes.longestMatch(in: word, endingAt: start),
               !before.rule || before.start == 1 {
                return false
            }
            word.truncate(at: start)
        }
        return true
    }

    /// Step 3: a final "Y" becomes "i", a final "ç" becomes "c".
    mutating func normalizeFinalLetter() {
        guard let last = word.scalars.last else { return }
        if last == "Y" {
            word[word.count - 1] = "i"
        } else if last == "ç" {
            word[word.count - 1] = "c"
        }
    }

    /// Step 4, when steps 1 and 2 changed nothing for good: a final "s" (not after a, i, o, u, è
    /// or s, but after "Hi"), then "ion", "ier"/"ière" or "e" in RV.
    mutating func removeResidualSuffix() {
        if word.count >= 2, word.hasSuffix("s"),
           word.hasSuffix("His") || !Self.keepWithS.contains(word[word.count - 2]) {
            word.truncate(at: word.count - 1)
        }
        guard word.count >= rv, case let (start, rule)? = Self.residualSuffixes.longestMatch(in: word, notBefore: rv) else {
            return
        }
        switch rule {
        case .ion:
            if start >= r2, start - 1 >= rv, word[start - 1] == "s" || word[start - 1] == "t" {
                word.truncate(at: start)
            }
        case .ier:
            word.replaceSuffix(from: start, with: "i")
        case .e:
            word.truncate(at: start)
        }
    }

    /// Step 5: "enn", "onn", "ett", "ell", "eill" at the end lose their last letter.
    mutating func undouble() {
        if Self.doubledEndings.longestMatch(in: word) != nil {
            word.truncate(at: word.count - 1)
        }
    }

    /// Step 6: "é" or "è" followed only by non-vowels at the end becomes "e".
    mutating func unaccent() {
        var index = word.count
        while index > 0, !Self.vowels.contains(word[index - 1]) { index -= 1 }
        guard index < word.count, index > 0, word[index - 1] == "é" || word[index - 1] == "è" else { return }
        word[index - 1] = "e"
    }

    /// The postlude: "I", "U", "Y" back to lowercase, "He"/"Hi" back to "ë"/"ï", other "H"
    /// removed; returns the stem.
    func finish() -> String {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(word.count)
        var index = 0
        while index < word.count {
            let scalar = word[index]
            index += 1
            switch scalar {
            case "I": scalars.append("i")
            case "U": scalars.append("u")
            case "Y": scalars.append("y")
            case "H":
                if index < word.count, word[index] == "e" || word[index] == "i" {
                    scalars.append(word[index] == "e" ? "ë" : "ï")
                    index += 1
                }
            default: scalars.append(scalar)
            }
        }
        return SnowballWord(scalars: scalars).string
    }
}
