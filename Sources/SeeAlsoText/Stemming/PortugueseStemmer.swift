/// The Snowball Portuguese stemmer (the `portuguese` algorithm of Snowball 3), e.g.
/// "organizações" → "organiz", "rapidamente" → "rapid".
///
/// Follows https://snowballstem.org/algorithms/portuguese/stemmer.html; "ã" and "õ" are handled
/// as "a~" and "o~" while stemming.
package struct PortugueseStemmer: Stemmer {
    package init() {}

    package func stem(_ word: String) -> String {
        var run = PortugueseRun(word)
        if run.removeStandardSuffix() || run.removeVerbSuffix() {
            run.removeIAfterC()
        } else {
            run.removeResidualSuffix()
        }
        run.removeResidualForm()
        return run.finish()
    }
}

/// One word going through the Portuguese algorithm, with its regions RV, R1 and R2.
private struct PortugueseRun {
    static let vowels = LetterSet("aeiouáâéêíóôú")

    enum StandardRule: Sendable {
        /// Removed when in R2.
        case delete
        /// Replaced by "log" when in R2.
        case logia
        /// Replaced by "u" when in R2.
        case ucao
        /// Replaced by "ente" when in R2.
        case encia
        /// Removed when in R1, then one of "ic", "ad", "os", "iv" (and "at" before "iv") in R2.
        case amente
        /// Removed when in R2, then one of "ante", "avel", "ível" in R2.
        case mente
        /// Removed when in R2, then one of "ic", "abil", "iv" in R2.
        case idade
        /// Removed when in R2, then a preceding "at" in R2.
        case ivo
        /// Replaced by "ir" when in RV and preceded by "e".
        case ira
    }

    static let standardSuffixes = SuffixTable<StandardRule>([
        "eza": .delete, "ezas": .delete, "ico": .delete, "ica": .delete, "icos": .delete,
        "icas": .delete, "ismo": .delete, "ismos": .delete, "ável": .delete, "ível": .delete,
        "ista": .delete, "istas": .delete, "oso": .delete, "osa": .delete, "osos": .delete,
        "osas": .delete, "amento": .delete, "amentos": .delete, "imento": .delete,
        "imentos": .delete, "adora": .delete, "ador": .delete, "aça~o": .delete,
        "adoras": .delete, "adores": .delete, "aço~es": .delete, "ante": .delete,
        "antes": .delete, "ância": .delete,
        "logia": .logia, "logias": .logia,
        "uça~o": .ucao, "uço~es": .ucao,
        "ência": .encia, "ências": .encia,
        "amente": .amente,
        "mente": .mente,
        "idade": .idade, "idades": .idade,
        "iva": .ivo, "ivo": .ivo, "ivas": .ivo, "ivos": .ivo,
        "ira": .ira, "iras": .ira,
    ])

    /// Suffixes that may precede "amente"; only "iv" is further checked for a preceding "at".
    static let amentePrefixes = SuffixTable<Bool>(["ic": false, "ad": false, "os": false, "iv": true])
    static let mentePrefixes = SuffixTable(["ante", "avel", "ível"])
    static let idadePrefixes = SuffixTable(["ic", "abil", "iv"])

    /// Verb endings, removed when in RV.
    static let verbSuffixes = SuffixTable([
        "ada", "ida", "ia", "aria", "eria", "iria", "ará", "ara", "erá", "era", "irá", "ava",
        "asse", "esse", "isse", "aste", "este", "iste", "ei", "arei", "erei", "irei", "am", "iam",
        "ariam", "eriam", "iriam", "aram", "eram", "iram", "avam", "em", "arem", "erem", "irem",
        "assem", "essem", "issem", "ado", "ido", "ando", "endo", "indo", "ara~o", "era~o",
        "ira~o", "ar", "er", "ir", "as", "adas", "idas", "ias", "arias", "erias", "irias",
        "arás", "aras", "erás", "eras", "irás", "avas", "es", "ardes", "erdes", "irdes", "ares",
        "eres", "ires", "asses", "esses", "isses", "astes", "estes", "istes", "is", "ais",
        "eis", "íeis", "aríeis", "eríeis", "iríeis", "áreis", "areis", "éreis", "ereis",
        "íreis", "ireis", "ásseis", "ésseis", "ísseis", "áveis", "ados", "idos", "ámos",
        "amos", "íamos", "aríamos", "eríamos", "iríamos", "áramos", "éramos", "íramos",
        "ávamos", "emos", "aremos", "eremos", "iremos", "ássemos", "êssemos", "íssemos", "imos",
        "armos", "ermos", "irmos", "eu", "iu", "ou", "ira", "iras",
    ])

    /// Residual endings, removed when in RV if nothing else was.
    static let residualSuffixes = SuffixTable(["os", "a", "i", "o", "á", "í", "ó"])

    private var word: SnowballWord
    private let rv: Int
    private let r1: Int
    private let r2: Int

    /// Runs the prelude ("ã" → "a~", "õ" → "o~") and marks the regions.
    init(_ word: String) {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(word.unicodeScalars.count + 2)
        for scalar in word.unicodeScalars {
            switch scalar {
            case "ã": scalars += ["a", "~"]
            case "õ": scalars += ["o", "~"]
            default: scalars.append(scalar)
            }
        }
        self.word = SnowballWord(scalars: scalars)
        rv = self.word.romanceRVStart(vowels: Self.vowels)
        r1 = self.word.regionStart(from: 0, vowels: Self.vowels)
        r2 = self.word.regionStart(from: r1, vowels: Self.vowels)
    }

    /// Step 1; returns whether a suffix was found and its region condition held.
    mutating func removeStandardSuffix() -> Bool {
        guard case let (start, rule)? = Self.standardSuffixes.longestMatch(in: word) else { return false }
        let region = switch rule {
        case .amente: r1
        case .ira: rv
        default: r2
        }
        guard start >= region else { return false }
        switch rule {
        case .delete:
            word.truncate(at: start)
        case .logia:
            word.replaceSuffix(from: start, with: "log")
        case .ucao:
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
        case .idade:
            word.truncate(at: start)
            removeLongest(of: Self.idadePrefixes)
        case .ivo:
            word.truncate(at: start)
            word.removeSuffix("at", inRegionFrom: r2)
        case .ira:
            guard start >= 1, word[start - 1] == "e" else { return false }
            word.replaceSuffix(from: start, with: "ir")
        }
        return true
    }

    /// Removes the longest suffix of `table` the word ends with, if it is in R2.
    private mutating func removeLongest(of table: SuffixTable<Void>) {
        if let match = table.longestMatch(in: word), match.start >= r2 {
            word.truncate(at: match.start)
        }
    }

    /// Step 2, tried when step 1 removed nothing: verb endings inside RV.
    mutating func removeVerbSuffix() -> Bool {
        guard word.count >= rv, let verb = Self.verbSuffixes.longestMatch(in: word, notBefore: rv) else { return false }
        word.truncate(at: verb.start)
        return true
    }

    /// Step 3, after steps 1 or 2 changed the word: a final "i" after "c", in RV.
    mutating func removeIAfterC() {
        let last = word.count - 1
        if last >= 1, last >= rv, word[last] == "i", word[last - 1] == "c" {
            word.truncate(at: last)
        }
    }

    /// Step 4, when steps 1 and 2 changed nothing: a residual ending in RV.
    mutating func removeResidualSuffix() {
        if let residual = Self.residualSuffixes.longestMatch(in: word), residual.start >= rv {
            word.truncate(at: residual.start)
        }
    }

    /// Step 5: a final "e", "é" or "ê" in RV (then "u" after "g" or "i" after "c", in RV);
    /// a final "ç" becomes "c".
    mutating func removeResidualForm() {
        guard let last = word.scalars.last else { return }
        if last == "ç" {
            word[word.count - 1] = "c"
            return
        }
        guard last == "e" || last == "é" || last == "ê", word.count - 1 >= rv else { return }
        word.truncate(at: word.count - 1)
        if word.hasSuffix("gu") || word.hasSuffix("ci"), word.count - 1 >= rv {
            word.truncate(at: word.count - 1)
        }
    }

    /// The postlude: "a~" and "o~" back to "ã" and "õ"; returns the stem.
    func finish() -> String {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(word.count)
        var index = 0
        while index < word.count {
            let scalar = word[index]
            if index + 1 < word.count, word[index + 1] == "~", scalar == "a" || scalar == "o" {
                scalars.append(scalar == "a" ? "ã" : "õ")
                index += 2
            } else {
                scalars.append(scalar)
                index += 1
            }
        }
        return SnowballWord(scalars: scalars).string
    }
}
