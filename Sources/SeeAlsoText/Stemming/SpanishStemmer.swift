/// The Snowball Spanish stemmer (the `spanish` algorithm of Snowball 3), e.g.
/// "organizaciones" → "organiz", "rápidamente" → "rapid".
///
/// Follows https://snowballstem.org/algorithms/spanish/stemmer.html; acute accents are removed
/// from the stem at the end.
package struct SpanishStemmer: Stemmer {
    package init() {}

    package func stem(_ word: String) -> String {
        var run = SpanishRun(word)
        run.removeAttachedPronoun()
        if !run.removeStandardSuffix() && !run.removeYVerbSuffix() {
            run.removeVerbSuffix()
        }
        run.removeResidualSuffix()
        return run.finish()
    }
}

/// One word going through the Spanish algorithm, with its regions RV, R1 and R2.
private struct SpanishRun {
    static let vowels = LetterSet("aeiouáéíóúü")

    static let pronouns = SuffixTable([
        "me", "se", "sela", "selo", "selas", "selos", "la", "le", "lo", "las", "les", "los", "nos",
    ])

    enum PronounHost: Sendable {
        /// The pronoun is removed.
        case plain
        /// The pronoun is removed after "uyendo".
        case yendo
        /// The host loses its accent and the pronoun is removed ("ándo" → "ando").
        case accented(String)
    }

    static let pronounHosts = SuffixTable<PronounHost>([
        "ando": .plain, "iendo": .plain, "ar": .plain, "er": .plain, "ir": .plain,
        "yendo": .yendo, "ándo": .accented("ando"), "iéndo": .accented("iendo"),
        "ár": .accented("ar"), "ér": .accented("er"), "ír": .accented("ir"),
    ])

    enum StandardRule: Sendable {
        /// Removed when in R2.
        case delete
        /// Removed when in R2, then a preceding "ic" in R2.
        case adora
        /// Replaced by "log" when in R2.
        case logia
        /// Replaced by "u" when in R2.
        case ucion
        /// Replaced by "ente" when in R2.
        case encia
        /// Removed when in R1, then one of "ic", "ad", "os", "iv" (and "at" before "iv") in R2.
        case amente
        /// Removed when in R2, then one of "able", "ible", "ante" in R2.
        case mente
        /// Removed when in R2, then one of "ic", "abil", "iv" in R2.
        case idad
        /// Removed when in R2, then a preceding "at" in R2.
        case ivo
    }

    static let standardSuffixes = SuffixTable<StandardRule>([
        "anza": .delete, "anzas": .delete, "ico": .delete, "ica": .delete, "icos": .delete,
        "icas": .delete, "ismo": .delete, "ismos": .delete, "able": .delete, "ables": .delete,
        "ible": .delete, "ibles": .delete, "ista": .delete, "istas": .delete, "oso": .delete,
        "osa": .delete, "osos": .delete, "osas": .delete, "amiento": .delete,
        "amientos": .delete, "imiento": .delete, "imientos": .delete,
        "adora": .adora, "ador": .adora, "ación": .adora, "adoras": .adora, "adores": .adora,
        "aciones": .adora, "acion": .adora, "ante": .adora, "antes": .adora, "ancia": .adora,
        "ancias": .adora,
        "logía": .logia, "logías": .logia,
        "ución": .ucion, "uciones": .ucion, "ucion": .ucion,
        "encia": .encia, "encias": .encia,
        "amente": .amente,
        "mente": .mente,
        "idad": .idad, "idades": .idad,
        "iva": .ivo, "ivo": .ivo, "ivas": .ivo, "ivos": .ivo,
    ])

    /// Suffixes that may precede "amente"; only "iv" is further checked for a preceding "at".
    static let amentePrefixes = SuffixTable<Bool>(["ic": false, "ad": false, "os": false, "iv": true])
    static let mentePrefixes = SuffixTable(["able", "ible", "ante"])
    static let idadPrefixes = SuffixTable(["ic", "abil", "iv"])

    /// Verb endings starting with "y", removed when in RV and preceded by "u".
    static let yVerbSuffixes = SuffixTable([
        "ya", "ye", "yan", "yen", "yeron", "yendo", "yo", "yó", "yas", "yes", "yais", "yamos",
    ])

    /// Other verb endings, removed when in RV; for those marked true a preceding "gu" loses its
    /// "u" too.
    static let verbSuffixes = SuffixTable<Bool>([
        "en": true, "es": true, "éis": true, "emos": true,
        "arían": false, "arías": false, "arán": false, "arás": false, "aríais": false,
        "aría": false, "aréis": false, "aríamos": false, "aremos": false, "ará": false,
        "aré": false, "erían": false, "erías": false, "erán": false, "erás": false,
        "eríais": false, "ería": false, "eréis": false, "eríamos": false, "eremos": false,
        "erá": false, "eré": false, "irían": false, "irías": false, "irán": false,
        "irás": false, "iríais": false, "iría": false, "iréis": false, "iríamos": false,
        "iremos": false, "irá": false, "iré": false, "aba": false, "ada": false, "ida": false,
        "ía": false, "ara": false, "iera": false, "ad": false, "ed": false, "id": false,
        "ase": false, "iese": false, "aste": false, "iste": false, "an": false, "aban": false,
        "ían": false, "aran": false, "ieran": false, "asen": false, "iesen": false,
        "aron": false, "ieron": false, "ado": false, "ido": false, "ando": false,
        "iendo": false, "ió": false, "ar": false, "er": false, "ir": false, "as": false,
        "abas": false, "adas": false, "idas": false, "ías": false, "aras": false,
        "ieras": false, "ases": false, "ieses": false, "ís": false, "áis": false,
        "abais": false, "íais": false, "arais": false, "ierais": false, "aseis": false,
        "ieseis": false, "asteis": false, "isteis": false, "ados": false, "idos": false,
        "amos": false, "ábamos": false, "íamos": false, "imos": false, "áramos": false,
        "iéramos": false, "iésemos": false, "ásemos": false,
    ])

    enum ResidualRule: Sendable {
        /// Removed when in RV.
        case delete
        /// Removed when in RV, then a "u" after "g" in RV.
        case e
    }

    static let residualSuffixes = SuffixTable<ResidualRule>([
        "os": .delete, "a": .delete, "o": .delete, "á": .delete, "í": .delete, "ó": .delete,
        "e": .e, "é": .e,
    ])

    private var word: SnowballWord
    private let rv: Int
    private let r1: Int
    private let r2: Int

    init(_ word: String) {
        self.word = SnowballWord(word)
        rv = self.word.romanceRVStart(vowels: Self.vowels)
        r1 = self.word.regionStart(from: 0, vowels: Self.vowels)
        r2 = self.word.regionStart(from: r1, vowels: Self.vowels)
    }

    /// Step 0: a pronoun attached to a gerund or infinitive in RV ("haciéndolo" → "haciendo").
    mutating func removeAttachedPronoun() {
        guard let pronoun = Self.pronouns.longestMatch(in: word),
              let host = Self.pronounHosts.longestMatch(in: word, endingAt: pronoun.start),
              host.start >= rv else { return }
        switch host.rule {
        case .plain:
            word.truncate(at: pronoun.start)
        case .yendo:
            if host.start >= 1, word[host.start - 1] == "u" { word.truncate(at: pronoun.start) }
        case .accented(let plain):
            word.replaceSuffix(from: host.start, with: plain)
        }
    }

    /// Step 1; returns whether a suffix was found and its region condition held.
    mutating func removeStandardSuffix() -> Bool {
        guard case let (start, rule)? = Self.standardSuffixes.longestMatch(in: word) else { return false }
        guard start >= (rule == .amente ? r1 : r2) else { return false }
        switch rule {
        case .delete:
            word.truncate(at: start)
        case .adora:
            word.truncate(at: start)
            word.removeSuffix("ic", inRegionFrom: r2)
        case .logia:
            word.replaceSuffix(from: start, with: "log")
        case .ucion:
            word.replaceSuffix(from: start, with: "u")
        case .encia:
            word.replaceSuffix(from: start, with: "ente")
        case .amente:
            word.truncate(at: start)
            if let before = Self.amentePrefixes.longestMatch(in: word), before.start >= r2 {
                word.truncate(at: before.start)
                if before.rule { word.removeSuffix("at", inRegionFrom: r2) }
            }
        case .mente:
            word.truncate(at: start)
            removeLongest(of: Self.mentePrefixes)
        case .idad:
            word.truncate(at: start)
            removeLongest(of: Self.idadPrefixes)
        case .ivo:
            word.truncate(at: start)
            word.removeSuffix("at", inRegionFrom: r2)
        }
        return true
    }

    /// Removes the longest suffix of `table` the word ends with, if it is in R2.
    private mutating func removeLongest(of table: SuffixTable<Void>) {
        if let match = table.longestMatch(in: word), match.start >= r2 {
            word.truncate(at: match.start)
        }
    }

    /// Step 2a: verb endings starting with "y", in RV and preceded by "u".
    mutating func removeYVerbSuffix() -> Bool {
        guard word.count >= rv, let verb = Self.yVerbSuffixes.longestMatch(in: word, notBefore: rv),
              verb.start >= 1, word[verb.start - 1] == "u" else { return false }
        word.truncate(at: verb.start)
        return true
    }

    /// Step 2b: other verb endings in RV.
    mutating func removeVerbSuffix() {
        guard word.count >= rv, let verb = Self.verbSuffixes.longestMatch(in: word, notBefore: rv) else { return }
        if verb.rule, word.hasSuffix("gu", endingAt: verb.start) {
            word.truncate(at: verb.start - 1)
        } else {
            word.truncate(at: verb.start)
        }
    }

    /// Step 3: a final vowel or "os" in RV; after a final "e", a "u" following "g" in RV.
    mutating func removeResidualSuffix() {
        guard let residual = Self.residualSuffixes.longestMatch(in: word), residual.start >= rv else { return }
        word.truncate(at: residual.start)
        if case .e = residual.rule, word.hasSuffix("gu"), word.count - 1 >= rv {
            word.truncate(at: word.count - 1)
        }
    }

    /// Removes acute accents and returns the stem.
    mutating func finish() -> String {
        for index in word.scalars.indices {
            switch word[index] {
            case "á": word[index] = "a"
            case "é": word[index] = "e"
            case "í": word[index] = "i"
            case "ó": word[index] = "o"
            case "ú": word[index] = "u"
            default: break
            }
        }
        return word.string
    }
}
