import Foundation
import Testing
import SeeAlsoText

/// The golden `word<TAB>stem` pairs of Fixtures/stems/<code>.tsv, made by
/// scripts/fixtures/make_stem_fixtures.py with the reference Snowball implementation.
///
/// Lines are split on bytes, not Characters, so a word starting with a combining mark stays intact.
private func goldenStems(_ language: Language) throws -> [(word: String, stem: String)] {
    let url = try #require(
        Bundle.module.url(forResource: "Fixtures/stems/\(language.rawValue)", withExtension: "tsv"),
        "missing fixture for \(language)"
    )
    let data = try Data(contentsOf: url)
    return try data.split(separator: UInt8(ascii: "\n")).map { line in
        let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
        try #require(fields.count == 2, "malformed fixture line in \(language).tsv")
        return (String(decoding: fields[0], as: UTF8.self), String(decoding: fields[1], as: UTF8.self))
    }
}

@Suite struct StemmerTests {
    static let stemmedLanguages = Language.allCases.filter { $0.stemmer != nil }

    @Test func everyLanguageHasItsStemmer() {
        #expect(Language.english.stemmer is EnglishStemmer)
        #expect(Language.italian.stemmer is ItalianStemmer)
        #expect(Language.french.stemmer is FrenchStemmer)
        #expect(Language.german.stemmer is GermanStemmer)
        #expect(Language.spanish.stemmer is SpanishStemmer)
        #expect(Language.portuguese.stemmer is PortugueseStemmer)
    }

    @Test(arguments: stemmedLanguages)
    func matchesSnowballReference(_ language: Language) throws {
        let stemmer = try #require(language.stemmer)
        let golden = try goldenStems(language)
        #expect(golden.count > 3000)
        let mismatches = golden.compactMap { pair -> String? in
            let actual = stemmer.stem(pair.word)
            return actual == pair.stem ? nil : "\(pair.word): expected \(pair.stem), got \(actual)"
        }
        if !mismatches.isEmpty {
            Issue.record("""
                \(mismatches.count) of \(golden.count) \(language) stems differ; first: \
                \(mismatches.prefix(10).joined(separator: "; "))
                """)
        }
    }

    @Test func englishExamples() {
        let stemmer = EnglishStemmer()
        let cases = [
            "generously": "generous", "generate": "generat", "communication": "communic",
            "arsenal": "arsenal", "university": "universiti", "news": "news", "skies": "sky",
            "dying": "die", "innings": "inning", "proceeding": "proceed", "cries": "cri",
            "boys": "boy", "happiness": "happi", "hopping": "hop", "pasted": "paste",
            "dog's": "dog", "'tis": "tis", "connections": "connect",
        ]
        for (word, stem) in cases {
            #expect(stemmer.stem(word) == stem, "\(word)")
        }
    }

    @Test func italianExamples() {
        let stemmer = ItalianStemmer()
        let cases = [
            "abbandonata": "abbandon", "amministrazione": "amministr", "velocemente": "veloc",
            "possibilità": "possibil", "città": "citt", "perché": "perc", "divano": "divan",
            "quale": "qual", "aiuole": "aiuol", "parlandogli": "parl", "mangiarla": "mang",
            "bianche": "bianc", "l'amicizia": "amiciz", "dell'anno": "anno",
        ]
        for (word, stem) in cases {
            #expect(stemmer.stem(word) == stem, "\(word)")
        }
    }

    @Test func otherLanguageExamples() {
        let cases: [(Language, String, String)] = [
            (.french, "continuellement", "continuel"), (.french, "l'homme", "homm"),
            (.french, "nationalités", "national"), (.french, "évidemment", "évident"),
            (.german, "aufeinanderfolgenden", "aufeinanderfolg"), (.german, "häuser", "haus"),
            (.german, "straße", "strass"), (.german, "ergebnisse", "ergebnis"),
            (.spanish, "rápidamente", "rapid"), (.spanish, "organizaciones", "organiz"),
            (.spanish, "haciéndolo", "hac"), (.spanish, "pingüino", "pingüin"),
            (.portuguese, "rapidamente", "rapid"), (.portuguese, "informações", "inform"),
            (.portuguese, "corações", "coraçõ"), (.portuguese, "mães", "mã"),
        ]
        for (language, word, stem) in cases {
            #expect(language.stemmer?.stem(word) == stem, "\(language): \(word)")
        }
    }

    /// Tokens need not be words: nothing may crash, and text without Latin letters is kept.
    @Test(arguments: stemmedLanguages)
    func unusualInputs(_ language: Language) throws {
        let stemmer = try #require(language.stemmer)
        let unchanged = ["", "a", "y", "'", "_", "42", "日本語", "\u{301}", "👍🏽", "москва"]
        for word in unchanged {
            #expect(stemmer.stem(word) == word, "\(language): \(word.debugDescription)")
        }
        let odd = [
            "''", "'''", "'s", "s'", "ys", "yy", "yyyyying", "q", "qu", "quu", "l'", "dell'",
            "e\u{301}", "a\u{301}\u{301}ing", "x_y_z", "covid19", "1990s", "ß", "ĳ", "\u{0}",
            String(repeating: "a", count: 5000), String(repeating: "ization", count: 500),
        ]
        for word in odd {
            #expect(stemmer.stem(word).unicodeScalars.count <= word.unicodeScalars.count + 2)
        }
    }
}
