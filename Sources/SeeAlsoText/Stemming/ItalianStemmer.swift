/// The Snowball Italian stemmer (the `italian` algorithm of Snowball 3), e.g.
/// "abbandonata" → "abbandon", "l'amicizia" → "amiciz".
///
/// Follows https://snowballstem.org/algorithms/italian/stemmer.html: elided articles are dropped,
/// acute accents become grave, and "u"/"i" between vowels (and "u" after "q") count as consonants.
package struct ItalianStemmer: Stemmer {
    package init() {}

    package func stem(_ word: String) -> String {
        var run = ItalianRun(word)
        run.removeElision()
        run.prelude()
        run.markRegions()
        run.removeAttachedPronoun()
        if !run.removeStandardSuffix() {
            run.removeVerbSuffix()
        }
        run.removeVowelSuffix()
        return run.finish()
    }
}

/// One word going through the Italian algorithm, with its regions RV, R1 and R2.
private struct ItalianRun {
    static let vowels = LetterSet("aeiouàèìòù")
    static let finalVowels = LetterSet("aeioàèìò")
    static let velars = LetterSet("cg")

    /// Elided articles and prepositions removed from the start of a word ("l'", "dell'", …).
    static let elisions = ["all'", "d'", "dall'", "dell'", "gl'", "l'", "m'", "nell'", "quell'",
                           "quest'", "s'", "sull'", "t'", "tutt'", "un'", "v'"]

    static let pronouns = SuffixTable([
        "ci", "gli", "la", "le", "li", "lo", "mi", "ne", "si", "ti", "vi",
        "sene", "gliela", "gliele", "glieli", "glielo", "gliene",
        "mela", "mele", "meli", "melo", "mene", "tela", "tele", "teli", "telo", "tene",
        "cela", "cele", "celi", "celo", "cene", "vela", "vele", "veli", "velo", "vene",
    ])

    /// What precedes an attached pronoun: a gerund (pronoun removed) or an infinitive stem
    /// (pronoun replaced by "e").
    static let pronounHosts = SuffixTable<String>([
        "ando": "", "endo": "", "ar": "e", "er": "e", "ir": "e",
    ])

    enum StandardRule: Sendable {
        /// Removed when in R2.
        case delete
        /// Removed when in R2, then a preceding "ic" too.
        case azione
        /// Replaced by "log" when in R2.
        case logia
        /// Replaced by "u" when in R2.
        case uzione
        /// Replaced by "ente" when in R2.
        case enza
        /// Removed when in RV.
        case amento
        /// Removed when in R1, then one of "ic", "abil", "os", "iv" (and "at" before "iv") in R2.
        case amente
        /// Removed when in R2, then one of "ic", "abil", "iv" in R2.
        case ita
        /// Removed when in R2, then "at" and "ic" before it in R2.
        case ivo
    }

    static let standardSuffixes = SuffixTable<StandardRule>([
        "anza": .delete, "anze": .delete, "ico": .delete, "ici": .delete, "ica": .delete,
        "ice": .delete, "iche": .delete, "ichi": .delete, "ismo": .delete, "ismi": .delete,
        "abile": .delete, "abili": .delete, "ibile": .delete, "ibili": .delete, "ista": .delete,
        "iste": .delete, "isti": .delete, "istà": .delete, "istè": .delete, "istì": .delete,
        "oso": .delete, "osi": .delete, "osa": .delete, "ose": .delete, "mente": .delete,
        "atrice": .delete, "atrici": .delete, "ante": .delete, "anti": .delete,
        "azione": .azione, "azioni": .azione, "atore": .azione, "atori": .azione,
        "logia": .logia, "logie": .logia,
        "uzione": .uzione, "uzioni": .uzione, "usione": .uzione, "usioni": .uzione,
        "enza": .enza, "enze": .enza,
        "amento": .amento, "amenti": .amento, "imento": .amento, "imenti": .amento,
        "amente": .amente,
        "ità": .ita,
        "ivo": .ivo, "ivi": .ivo, "iva": .ivo, "ive": .ivo,
    ])

    /// Suffixes that may precede "amente"; only "iv" is further checked for a preceding "at".
    static let amentePrefixes = SuffixTable<Bool>(["ic": false, "abil": false, "os": false, "iv": true])

    static let itaPrefixes = SuffixTable(["ic", "abil", "iv"])

    /// Verb endings, removed when in RV. "Yamo" is kept as in the reference algorithm, although
    /// lowercased input never contains "Y".
    static let verbSuffixes = SuffixTable([
        "ammo", "ando", "ano", "are", "arono", "asse", "assero", "assi", "assimo", "ata", "ate",
        "ati", "ato", "ava", "avamo", "avano", "avate", "avi", "avo", "emmo", "enda", "ende",
        "endi", "endo", "erà", "erai", "eranno", "ere", "erebbe", "erebbero", "erei", "eremmo",
        "eremo", "ereste", "eresti", "erete", "erò", "erono", "essero", "ete", "eva", "evamo",
        "evano", "evate", "evi", "evo", "Yamo", "iamo", "immo", "irà", "irai", "iranno", "ire",
        "irebbe", "irebbero", "irei", "iremmo", "iremo", "ireste", "iresti", "irete", "irò",
        "irono", "isca", "iscano", "isce", "isci", "isco", "iscono", "issero", "ita", "ite", "iti",
        "ito", "iva", "ivamo", "ivano", "ivate", "ivi", "ivo", "ono", "uta", "ute", "uti", "uto",
        "ar", "ir",
    ])

    private var word: SnowballWord
    private var rv = 0
    private var r1 = 0
    private var r2 = 0

    init(_ word: String) {
        self.word = SnowballWord(word)
    }

    /// Drops an elided article or preposition ("dell'anno" → "anno") unless it is the whole word.
    mutating func removeElision() {
        if let elision = Self.elisions.first(where: { word.hasPrefix($0) }) {
            let length = elision.unicodeScalars.count
            if word.count > length { word.scalars.removeFirst(length) }
        }
    }

    /// Turns acute accents into grave ones and marks consonant "u"/"i" as "U"/"I": the "u" of
    /// "qu", and "u" or "i" between two vowels.
    mutating func prelude() {
        var index = 0
        while index < word.count {
            switch word[index] {
            case "á": word[index] = "à"
            case "é": word[index] = "è"
            case "í": word[index] = "ì"
            case "ó": word[index] = "ò"
            case "ú": word[index] = "ù"
            case "q" where index + 1 < word.count && word[index + 1] == "u":
                word[index + 1] = "U"
                index += 1
            default: break
            }
            index += 1
        }
        guard word.count >= 3 else { return }
        for index in 1..<(word.count - 1)
        where Self.vowels.contains(word[index - 1]) && Self.vowels.contains(word[index + 1]) {
            if word[index] == "u" {
                word[index] = "U"
            } else if word[index] == "i" {
                word[index] = "I"
            }
        }
    }

    /// Sets RV (with the "divan" exception), R1 and R2.
    mutating func markRegions() {
        rv = word.hasPrefix("divan") ? 5 : word.romanceRVStart(vowels: Self.vowels)
        r1 = word.regionStart(from: 0, vowels: Self.vowels)
        r2 = word.regionStart(from: r1, vowels: Self.vowels)
    }

    /// Removes a pronoun attached to a gerund ("-andogli") or replaces one attached to an
    /// infinitive stem by "e" ("-arla" → "-are").
    mutating func removeAttachedPronoun() {
        guard let pronoun = Self.pronouns.longestMatch(in: word),
              let host = Self.pronounHosts.longestMatch(in: word, endingAt: pronoun.start),
              host.start >= rv else { return }
        word.replaceSuffix(from: pronoun.start, with: host.rule)
    }

    /// Step 1; returns whether a suffix was found and its region condition held.
    mutating func removeStandardSuffix() -> Bool {
        guard case let (start, rule)? = Self.standardSuffixes.longestMatch(in: word) else { return false }
        let region = switch rule {
        case .amento: rv
        case .amente: r1
        default: r2
        }
        guard start >= region else { return false }
        switch rule {
        case .delete, .amento:
            word.truncate(at: start)
        case .logia:
            word.replaceSuffix(from: start, with: "log")
        case .uzione:
            word.replaceSuffix(from: start, with: "u")
        case .enza:
            word.replaceSuffix(from: start, with: "ente")
        case .azione:
            word.truncate(at: start)
            word.removeSuffix("ic", inRegionFrom: r2)
        case .amente:
            word.truncate(at: start)
            if let before = Self.amentePrefixes.longestMatch(in: word), before.start >= r2 {
                word.truncate(at: before.start)
                if before.rule { word.removeSuffix("at", inRegionFrom: r2) }
            }
        case .ita:
            word.truncate(at: start)
            if let before = Self.itaPrefixes.longestMatch(in: word), before.start >= r2 {
                word.truncate(at: before.start)
            }
        case .ivo:
            word.truncate(at: start)
            if word.removeSuffix("at", inRegionFrom: r2) { word.removeSuffix("ic", inRegionFrom: r2) }
        }
        return true
    }

    /// Step 2, tried when step 1 removed nothing: verb endings inside RV.
    mutating func removeVerbSuffix() {
        guard word.count >= rv, let verb = Self.verbSuffixes.longestMatch(in: word, notBefore: rv) else { return }
        word.truncate(at: verb.start)
    }

    /// Step 3: a final vowel (and an "i" before it) in RV; "h" after a final "c"/"g" in RV.
    mutating func removeVowelSuffix() {
        var last = word.count - 1
        if last >= rv, word.letter(at: last, isIn: Self.finalVowels) {
            word.truncate(at: last)
            last -= 1
            if last >= rv, last >= 0, word[last] == "i" {
                word.truncate(at: last)
            }
        }
        last = word.count - 1
        if last >= 1, word[last] == "h", last - 1 >= rv, Self.velars.contains(word[last - 1]) {
            word.truncate(at: last)
        }
    }

    /// The postlude: "I" and "U" back to "i" and "u"; returns the stem.
    mutating func finish() -> String {
        for index in word.scalars.indices {
            if word[index] == "I" {
                word[index] = "i"
            } else if word[index] == "U" {
                word[index] = "u"
            }
        }
        return word.string
    }
}
