import Foundation
import Testing
import SeeAlsoText

private func analyzer(
    stopWords: AnalyzerConfiguration.StopWordChoice = .none, language: AnalyzerConfiguration.LanguageChoice = .perArticle,
    ngrams: (Int, Int) = (1, 1), stemming: Bool = false
) throws -> Analyzer {
    var configuration = AnalyzerConfiguration()
    configuration.stopWords = stopWords
    configuration.language = language
    (configuration.ngramMin, configuration.ngramMax) = ngrams
    configuration.stemming = stemming
    return try Analyzer(configuration: configuration)
}

/// The terms of one article as strings, and how many come from the title alone.
private func analyze(_ analyzer: inout Analyzer, title: String, body: String, language: String? = nil) -> (terms: [String], titleOnly: Int) {
    var ids: [Int32] = []
    let titleOnly = analyzer.analyze(title: title, body: body, languageCode: language, into: &ids)
    return (ids.map { analyzer.terms.string(Int($0)) }, titleOnly)
}

/// Multiset equality: scikit-learn's analyzer order is not part of the contract, the counts are.
private func sameTerms(_ a: [String], _ b: [String]) -> Bool {
    a.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        == b.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
}

@Suite struct AnalyzerTests {
    static let title = "Mayor's budget: the new plan"
    static let body = "The council approved the plan and the budget on Monday."

    @Test func noStopWordsByDefault() throws {
        var plain = try analyzer()
        #expect(plain.terms(of: "The cat and the hat") == ["the", "cat", "and", "the", "hat"])
    }

    @Test func englishStopWordsDropThe() throws {
        var english = try analyzer(stopWords: .language(.english))
        #expect(english.terms(of: "The cat and the hat") == ["cat", "hat"])
        // A fixed list applies whatever the article's language.
        #expect(english.terms(of: "the il della", languageCode: "it") == ["il", "della"])
        #expect(english.terms(of: "the il della", languageCode: "nl") == ["il", "della"])
        // scikit-learn's list has 318 words, including "de" and "co".
        #expect(try StopWords.list(for: .english).count == 318)
        #expect(english.terms(of: "de co etc ltd inc mayor") == ["mayor"])
    }

    @Test func perArticleStopWordsFollowTheLanguageCode() throws {
        var perArticle = try analyzer(stopWords: .perArticle)
        let text = "the mayor il sindaco della città"
        #expect(perArticle.terms(of: text, languageCode: "it") == ["the", "mayor", "sindaco", "città"])
        #expect(perArticle.terms(of: text, languageCode: "IT") == ["the", "mayor", "sindaco", "città"])
        #expect(perArticle.terms(of: text, languageCode: "it-CH") == ["the", "mayor", "sindaco", "città"])
        #expect(perArticle.terms(of: text, languageCode: "italian") == ["the", "mayor", "sindaco", "città"])
        // No language: English. An unsupported language: no stop words at all.
        #expect(perArticle.terms(of: text) == ["mayor", "il", "sindaco", "della", "città"])
        #expect(perArticle.terms(of: text, languageCode: "en") == ["mayor", "il", "sindaco", "della", "città"])
        #expect(perArticle.terms(of: text, languageCode: "nl") == ["the", "mayor", "il", "sindaco", "della", "città"])
        #expect(perArticle.terms(of: text, languageCode: "") == ["the", "mayor", "il", "sindaco", "della", "città"])
        // Decisions are cached per language: alternating languages keeps each its own.
        #expect(perArticle.terms(of: "the il", languageCode: "it") == ["the"])
        #expect(perArticle.terms(of: "the il", languageCode: "en") == ["il"])
        #expect(perArticle.terms(of: "und der hund", languageCode: "de") == ["hund"])
    }

    @Test func fixedLanguageOverridesTheArticleCode() throws {
        var italian = try analyzer(stopWords: .perArticle, language: .fixed(.italian))
        #expect(italian.terms(of: "the il sindaco", languageCode: "en") == ["the", "sindaco"])
        #expect(italian.terms(of: "the il sindaco", languageCode: nil) == ["the", "sindaco"])
    }

    @Test func customStopWordsApplyToEveryLanguage() throws {
        var custom = try analyzer(stopWords: .custom(["alpha", "gamma"]))
        #expect(custom.terms(of: "alpha beta gamma delta") == ["beta", "delta"])
        #expect(custom.terms(of: "alpha beta gamma delta", languageCode: "nl") == ["beta", "delta"])
        #expect(custom.terms(of: "Alpha beta", languageCode: "it") == ["beta"])
    }

    @Test func stopWordChoiceParsing() throws {
        #expect(try AnalyzerConfiguration.StopWordChoice(parsing: "none") == .none)
        #expect(try AnalyzerConfiguration.StopWordChoice(parsing: "AUTO") == .perArticle)
        #expect(try AnalyzerConfiguration.StopWordChoice(parsing: "english") == .language(.english))
        #expect(try AnalyzerConfiguration.StopWordChoice(parsing: "it") == .language(.italian))
        #expect(throws: TextResourceError.self) { try AnalyzerConfiguration.StopWordChoice(parsing: "/nonexistent/stop-words.txt") }
        #expect(try AnalyzerConfiguration.LanguageChoice(parsing: "auto") == .perArticle)
        #expect(try AnalyzerConfiguration.LanguageChoice(parsing: "pt_BR") == .fixed(.portuguese))
        #expect(throws: TextResourceError.self) { try AnalyzerConfiguration.LanguageChoice(parsing: "klingon") }
    }

    @Test func unigramsAndBigramsMatchScikitLearn() throws {
        var english = try analyzer(stopWords: .language(.english), ngrams: (1, 2))
        let result = analyze(&english, title: Self.title, body: Self.body)
        let expected = ["mayor", "budget", "new", "plan", "council", "approved", "plan", "budget", "monday", "mayor budget",
                        "budget new", "new plan", "plan council", "council approved", "approved plan", "plan budget", "budget monday"]
        #expect(sameTerms(result.terms, expected), "\(result.terms)")
        // Title-only terms first: 4 unigrams and 3 bigrams; "plan council" spans title and body.
        #expect(result.titleOnly == 7)
        #expect(sameTerms(Array(result.terms.prefix(7)), ["mayor", "budget", "new", "plan", "mayor budget", "budget new", "new plan"]))

        var plain = try analyzer(ngrams: (1, 2))
        let all = analyze(&plain, title: Self.title, body: Self.body)
        #expect(sameTerms(all.terms, [
            "mayor", "budget", "the", "new", "plan", "the", "council", "approved", "the", "plan", "and", "the", "budget", "on",
            "monday", "mayor budget", "budget the", "the new", "new plan", "plan the", "the council", "council approved",
            "approved the", "the plan", "plan and", "and the", "the budget", "budget on", "on monday",
        ]), "\(all.terms)")
        #expect(all.titleOnly == 5 + 4)
    }

    @Test func bigramsAndTrigramsMatchScikitLearn() throws {
        var english = try analyzer(stopWords: .language(.english), ngrams: (2, 3))
        let result = analyze(&english, title: Self.title, body: Self.body)
        #expect(sameTerms(result.terms, [
            "mayor budget", "budget new", "new plan", "plan council", "council approved", "approved plan", "plan budget",
            "budget monday", "mayor budget new", "budget new plan", "new plan council", "plan council approved",
            "council approved plan", "approved plan budget", "plan budget monday",
        ]), "\(result.terms)")
        #expect(result.titleOnly == 3 + 2)
        #expect(sameTerms(Array(result.terms.prefix(5)), ["mayor budget", "budget new", "new plan", "mayor budget new", "budget new plan"]))
        #expect(!result.terms.contains("mayor"))
    }

    @Test func unigramsToTrigrams() throws {
        var english = try analyzer(stopWords: .language(.english), ngrams: (1, 3))
        let result = analyze(&english, title: Self.title, body: Self.body)
        #expect(result.terms.count == 24)
        #expect(result.titleOnly == 4 + 3 + 2)
        #expect(result.terms.filter { $0 == "plan budget" }.count == 1)
        #expect(result.terms.filter { $0 == "budget" }.count == 2)
    }

    @Test func titleOnlyCountForUnigrams() throws {
        var english = try analyzer(stopWords: .language(.english))
        let result = analyze(&english, title: Self.title, body: Self.body)
        #expect(result.titleOnly == 4)
        #expect(result.terms == ["mayor", "budget", "new", "plan", "council", "approved", "plan", "budget", "monday"])
        // A title of stop words only contributes nothing.
        #expect(analyze(&english, title: "The", body: "cat sat").titleOnly == 0)
        #expect(analyze(&english, title: "", body: "cat sat").titleOnly == 0)
    }

    @Test func shortTextsMakeNoLongerGrams() throws {
        var trigrams = try analyzer(ngrams: (2, 3))
        #expect(analyze(&trigrams, title: "", body: "alone").terms.isEmpty)
        #expect(analyze(&trigrams, title: "two", body: "words").terms == ["two words"])
        #expect(analyze(&trigrams, title: "two", body: "words").titleOnly == 0)
        let titleOnly = analyze(&trigrams, title: "only in title", body: "")
        #expect(titleOnly.terms == ["only in", "in title", "only in title"])
        #expect(titleOnly.titleOnly == 3)
        #expect(analyze(&trigrams, title: "", body: "").terms.isEmpty)
    }

    @Test func termIdsAreDenseInFirstAppearanceOrder() throws {
        var bigrams = try analyzer(ngrams: (1, 2))
        var ids: [Int32] = []
        bigrams.analyze(title: "", body: "b a b", languageCode: nil, into: &ids)
        // One-letter words are not tokens: no terms at all.
        #expect(ids.isEmpty)
        #expect(bigrams.terms.count == 0)
        bigrams.analyze(title: "", body: "bb aa bb", languageCode: nil, into: &ids)
        // Unigrams first, then bigrams: bb=0, aa=1, "bb aa"=2, "aa bb"=3.
        #expect(ids == [0, 1, 0, 2, 3])
        #expect((0..<bigrams.terms.count).map { bigrams.terms.string($0) } == ["bb", "aa", "bb aa", "aa bb"])
        // `into` is replaced, not appended to.
        bigrams.analyze(title: "", body: "aa", languageCode: nil, into: &ids)
        #expect(ids == [1])
    }

    @Test func stemmingHappensAfterStopWords() throws {
        var stemmed = try analyzer(stopWords: .language(.english), stemming: true)
        #expect(stemmed.terms(of: "The connections were connected") == ["connect", "connect"])
        var unstemmed = try analyzer(stopWords: .perArticle, stemming: true)
        // Unsupported language: no stop words, no stemming.
        #expect(unstemmed.terms(of: "the connections", languageCode: "nl") == ["the", "connections"])
    }

    @Test func invalidNgramRangesAreRejected() {
        #expect(throws: AnalyzerError.self) { try analyzer(ngrams: (0, 1)) }
        #expect(throws: AnalyzerError.self) { try analyzer(ngrams: (2, 1)) }
        #expect(throws: AnalyzerError.self) { try analyzer(ngrams: (-1, 3)) }
    }

    @Test func languageCodes() {
        #expect(Language(code: "EN") == .english)
        #expect(Language(code: "en-GB") == .english)
        #expect(Language(code: "pt_BR") == .portuguese)
        #expect(Language(code: "German") == .german)
        #expect(Language(code: "nl") == nil)
        #expect(Language(code: "") == nil)
        var configuration = AnalyzerConfiguration()
        #expect(configuration.language(forArticleCode: nil) == .english)
        #expect(configuration.language(forArticleCode: "fr") == .french)
        #expect(configuration.language(forArticleCode: "xx") == nil)
        configuration.language = .fixed(.spanish)
        #expect(configuration.language(forArticleCode: "fr") == .spanish)
    }
}
