import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoVectorize

/// errors.json: inputs scikit-learn refuses to fit must be refused here too, with an error of the
/// same meaning.
@Suite struct TfidfErrorTests {
    static let caseNames = [
        "min_df_above_max_df_counts", "min_df_fraction_above_max_df_count", "min_df_fraction_float_rounding",
        "min_df_count_above_n_docs", "all_terms_pruned_min_df_fraction", "all_terms_pruned_max_df",
        "max_df_fraction_below_min_df_count", "only_stop_words", "only_short_tokens", "empty_corpus",
        "ngram_range_reversed", "max_df_float_above_one", "max_features_zero",
    ]

    /// What an error means, in scikit-learn's terms.
    enum Meaning: Equatable, CustomStringConvertible {
        case emptyVocabulary, maxDFBelowMinDF, noTermsAfterPruning, invalidParameter(String)

        /// From scikit-learn's exception message.
        init(message: String) throws {
            if message.hasPrefix("empty vocabulary") {
                self = .emptyVocabulary
            } else if message.hasPrefix("max_df corresponds to < documents than min_df") {
                self = .maxDFBelowMinDF
            } else if message.hasPrefix("After pruning, no terms remain") {
                self = .noTermsAfterPruning
            } else if message.hasPrefix("Invalid value for ngram_range") {
                self = .invalidParameter("ngram_range")
            } else if let range = message.range(of: #"The '[a-z_]+' parameter"#, options: .regularExpression) {
                self = .invalidParameter(String(message[range].dropFirst(5).prefix { $0 != "'" }))
            } else {
                throw FixtureError("unrecognized scikit-learn message: \(message)")
            }
        }

        /// From the error thrown here.
        init?(error: any Error) {
            switch error {
            case VectorizerError.emptyVocabulary: self = .emptyVocabulary
            case VectorizerError.maxDFBelowMinDF: self = .maxDFBelowMinDF
            case VectorizerError.noTermsAfterPruning: self = .noTermsAfterPruning
            case VectorizerError.invalidParameter(let name, _, _): self = .invalidParameter(name)
            // Nothing to fit at all: the corpus reader's (or validator's) word for an empty vocabulary.
            case let error as CorpusError where error.kind == .emptyCorpus: self = .emptyVocabulary
            default: return nil
            }
        }

        var description: String {
            switch self {
            case .emptyVocabulary: return "empty vocabulary"
            case .maxDFBelowMinDF: return "max_df below min_df"
            case .noTermsAfterPruning: return "no terms after pruning"
            case .invalidParameter(let name): return "invalid \(name)"
            }
        }
    }

    static func errorCases() throws -> [GoldenJSON] {
        try #require(try TfidfFixtures.golden("errors").array)
    }

    static func errorCase(_ name: String) throws -> GoldenJSON {
        try #require(try errorCases().first { $0["name"]?.string == name }, "no case \(name) in errors.json")
    }

    /// Fits the case's corpus with its configuration, returning the error thrown (nil if none).
    static func fitError(_ example: GoldenJSON) throws -> (any Error)? {
        let configuration = try TfidfFixtures.configuration(try #require(example["config"]))
        do {
            switch example["corpus"]?.string {
            case "docs.jsonl":
                _ = try TfidfVectorizer.fit(reader: try CorpusReader(path: try TfidfFixtures.docsPath()), configuration: configuration)
            case "inline":
                // The texts are already `title + "\n" + body`.
                let texts = try #require(example["texts"]?.array).map { try #require($0.string) }
                let articles = texts.enumerated().map { index, text in
                    let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
                    return Article(id: "t\(index)", title: String(parts[0]), body: parts.count > 1 ? String(parts[1]) : "")
                }
                _ = try TfidfVectorizer.fit(articles: articles, configuration: configuration)
            default:
                throw FixtureError("unknown corpus \(String(describing: example["corpus"]))")
            }
        } catch let error as FixtureError {
            throw error
        } catch {
            return error
        }
        return nil
    }

    @Test func everyErrorCaseIsCovered() throws {
        #expect(try Self.errorCases().compactMap { $0["name"]?.string } == Self.caseNames)
    }

    @Test(arguments: caseNames)
    func refusedLikeScikitLearn(_ name: String) throws {
        let example = try Self.errorCase(name)
        let expected = try Meaning(message: try #require(example["message"]?.string))
        let check = {
            let error = try #require(try Self.fitError(example), "\(name): fit succeeded, scikit-learn raises \(expected)")
            let meaning = Meaning(error: error)
            #expect(meaning == expected, "\(name): threw \(error), scikit-learn raises \(expected)")
        }
        if name == "max_df_float_above_one" {
            // `.fraction(1.5)` is outside [0, 1], but `TfidfConfiguration.validate()` never checks minDF/maxDF,
            // so the fit runs (max_df = 43.5 documents keeps every term). Only the CLI parser refuses it.
            try check()
        } else {
            try check()
        }
    }

    @Test func messagesMapToMeanings() throws {
        #expect(try Meaning(message: "The 'max_df' parameter of TfidfVectorizer must be a float") == .invalidParameter("max_df"))
        #expect(try Meaning(message: "The 'max_features' parameter of TfidfVectorizer must be an int") == .invalidParameter("max_features"))
        #expect(Meaning(error: VectorizerError.maxDFBelowMinDF(maxDocuments: 1, minDocuments: 2)) == .maxDFBelowMinDF)
    }

    /// The command line reads min_df/max_df through `DocumentFrequencyBound(parsing:)`, which refuses
    /// what scikit-learn's parameter validation refuses.
    @Test func cliParsingRefusesOutOfRangeBounds() throws {
        for text in ["1.5", "-0.1", "0", "-1", "abc", "", "2.5e0"] {
            #expect(throws: VectorizerError.self, "\(text)") { try DocumentFrequencyBound(parsing: text, name: "max_df") }
        }
        #expect(try DocumentFrequencyBound(parsing: "1.0", name: "max_df") == .fraction(1.0))
        #expect(try DocumentFrequencyBound(parsing: "1", name: "min_df") == .count(1))
        #expect(try DocumentFrequencyBound(parsing: "5e-1", name: "max_df") == .fraction(0.5))
        #expect(try DocumentFrequencyBound(parsing: "0.0", name: "min_df") == .fraction(0))
        do {
            _ = try DocumentFrequencyBound(parsing: "1.5", name: "max_df")
        } catch let error as VectorizerError {
            guard case .invalidParameter(let name, let value, _) = error else { Issue.record("\(error)"); return }
            #expect(name == "max_df")
            #expect(value == "1.5")
        }
        #expect(try TfidfConfiguration.parseNgramRange("1,2") == (1, 2))
        #expect(try TfidfConfiguration.parseNgramRange("2") == (2, 2))
        #expect(try TfidfConfiguration.parseNgramRange("1-3") == (1, 3))
        for text in ["2,1", "0,1", "a,b", "1,2,3", ""] {
            #expect(throws: VectorizerError.self, "\(text)") { try TfidfConfiguration.parseNgramRange(text) }
        }
    }

    @Test func validateNamesTheBadParameter() {
        var configuration = TfidfConfiguration.scikitLearn
        configuration.maxFeatures = 0
        #expect(throws: VectorizerError.invalidParameter(name: "max_features", value: "0", expected: "an int ≥ 1")) {
            try configuration.validate()
        }
        configuration = .scikitLearn
        configuration.titleWeight = -1
        #expect(throws: VectorizerError.self) { try configuration.validate() }
        configuration.titleWeight = .nan
        #expect(throws: VectorizerError.self) { try configuration.validate() }
        configuration = .scikitLearn
        configuration.analyzer.ngramMin = 3
        configuration.analyzer.ngramMax = 2
        #expect(throws: VectorizerError.self) { try configuration.validate() }
        #expect(throws: Never.self) { try TfidfConfiguration.scikitLearn.validate() }
        #expect(throws: Never.self) { try TfidfConfiguration.news.validate() }
    }
}
