import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoText
import SeeAlsoVectorize

/// The TF-IDF golden fixtures (see Fixtures/tfidf/README.md).
enum TfidfFixtures {
    /// One file per scikit-learn configuration, besides docs.jsonl and errors.json.
    static let configurationNames = [
        "default", "sublinear_df", "bigrams", "l1_nosmooth", "no_idf_binary", "max_features",
        "strip_unicode", "strip_ascii", "no_lowercase", "max_df_count", "trigrams_stop",
    ]

    static func url(_ name: String, _ extension: String) throws -> URL {
        try #require(Bundle.module.url(forResource: "Fixtures/tfidf/\(name)", withExtension: `extension`),
                     "missing fixture Fixtures/tfidf/\(name).\(`extension`)")
    }

    static func docsPath() throws -> String { try url("docs", "jsonl").path }

    static func golden(_ name: String) throws -> GoldenJSON { try GoldenJSON.parse(contentsOf: try url(name, "json")) }

    /// Maps scikit-learn `TfidfVectorizer` keyword arguments to a configuration (title weight 1).
    /// Integers are document counts and floats fractions for `min_df`/`max_df`, by their literal form.
    static func configuration(_ config: GoldenJSON) throws -> TfidfConfiguration {
        var configuration = TfidfConfiguration.scikitLearn
        configuration.titleWeight = 1
        guard case .object(let members) = config else { throw FixtureError("config is not an object") }
        for (key, value) in members {
            switch key {
            case "lowercase":
                configuration.analyzer.lowercase = try require(value.bool, key)
            case "strip_accents":
                switch value.string {
                case nil where value.isNull: configuration.analyzer.stripAccents = .none
                case "unicode": configuration.analyzer.stripAccents = .unicode
                case "ascii": configuration.analyzer.stripAccents = .ascii
                default: throw FixtureError("unknown strip_accents \(value)")
                }
            case "stop_words":
                switch value.string {
                case nil where value.isNull: configuration.analyzer.stopWords = .none
                case "english": configuration.analyzer.stopWords = .language(.english)
                default: throw FixtureError("unknown stop_words \(value)")
                }
            case "ngram_range":
                let range = try require(value.array, key)
                guard range.count == 2 else { throw FixtureError("ngram_range needs 2 values") }
                configuration.analyzer.ngramMin = try require(range[0].int, key)
                configuration.analyzer.ngramMax = try require(range[1].int, key)
            case "min_df":
                configuration.minDF = try bound(value, key)
            case "max_df":
                configuration.maxDF = try bound(value, key)
            case "max_features":
                configuration.maxFeatures = value.isNull ? nil : try require(value.int, key)
            case "norm":
                switch value.string {
                case nil where value.isNull: configuration.norm = .none
                case "l1": configuration.norm = .l1
                case "l2": configuration.norm = .l2
                default: throw FixtureError("unknown norm \(value)")
                }
            case "use_idf": configuration.useIDF = try require(value.bool, key)
            case "smooth_idf": configuration.smoothIDF = try require(value.bool, key)
            case "sublinear_tf": configuration.sublinearTF = try require(value.bool, key)
            case "binary": configuration.binary = try require(value.bool, key)
            default:
                throw FixtureError("unmapped scikit-learn parameter \(key)")
            }
        }
        return configuration
    }

    private static func bound(_ value: GoldenJSON, _ key: String) throws -> DocumentFrequencyBound {
        if value.isFloatLiteral { return .fraction(try require(value.double, key)) }
        return .count(try require(value.int, key))
    }

    private static func require<T>(_ value: T?, _ key: String) throws -> T {
        guard let value else { throw FixtureError("bad value for \(key)") }
        return value
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Terms as UTF-8 bytes, for exact comparison (String `==` merges canonically equivalent terms).
func utf8Terms(_ terms: [String]) -> [[UInt8]] { terms.map { Array($0.utf8) } }

/// A term with non-ASCII scalars spelled `\u{…}`.
func escaped(_ text: String) -> String {
    text.unicodeScalars.map { $0.isASCII ? String($0) : "\\u{\(String($0.value, radix: 16))}" }.joined()
}
