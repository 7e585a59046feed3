import Foundation
import SeeAlsoCorpus
import SeeAlsoText

/// A document-frequency limit, as scikit-learn's `min_df` / `max_df`: an integer count of
/// documents, or a fraction of the corpus in [0, 1] (written with a decimal point, e.g. `0.5`, `1.0`).
public enum DocumentFrequencyBound: Codable, Sendable, Equatable, CustomStringConvertible {
    case count(Int)
    case fraction(Double)

    /// Parses CLI text: `2` is a count, `0.5` or `1.0` or `5e-1` a fraction. `name` is used in the error.
    public init(parsing text: String, name: String) throws {
        let isFraction = text.contains(".") || text.lowercased().contains("e")
        if isFraction, let value = Double(text), value >= 0, value <= 1 {
            self = .fraction(value)
        } else if !isFraction, let value = Int(text), value >= 1 {
            self = .count(value)
        } else {
            throw VectorizerError.invalidParameter(
                name: name, value: text, expected: "a float in [0.0, 1.0] (a fraction of documents) or an int ≥ 1 (a count)")
        }
    }

    /// The bound in documents for a corpus of `documentCount` (a fraction is multiplied, not rounded).
    public func documents(of documentCount: Int) -> Double {
        switch self {
        case .count(let count): return Double(count)
        case .fraction(let fraction): return fraction * Double(documentCount)
        }
    }

    public var description: String {
        switch self {
        case .count(let count): return String(count)
        case .fraction(let fraction): return String(fraction)
        }
    }
}

/// Row normalization of the TF-IDF matrix (scikit-learn's `norm`).
public enum RowNorm: String, Codable, Sendable, CaseIterable {
    /// Divide by √Σv² (cosine similarity is then a dot product).
    case l2
    /// Divide by Σ|v|.
    case l1
    /// Keep raw weights.
    case none
}

/// TF-IDF settings with scikit-learn's `TfidfVectorizer` names and formulas.
///
/// For term t in document d of a corpus of n documents, with df(t) documents containing t:
/// - tf(t, d) = occurrences, title occurrences counting `titleWeight` times (and body and taxonomy
///   occurrences as `fieldWeights` says); `binary` → 1 if present; `sublinearTF` → 1 + ln(tf).
/// - idf(t) = ln((1 + n) / (1 + df(t))) + 1 with `smoothIDF`, ln(n / df(t)) + 1 without; 1 if not `useIDF`.
/// - v(t, d) = tf(t, d) · idf(t), then the row is divided by its `norm`.
/// Terms with df below `minDF` or above `maxDF` are dropped; `maxFeatures` keeps the most frequent
/// by total tf over the corpus (ties broken by term order, which scikit-learn leaves unspecified).
public struct TfidfConfiguration: Codable, Sendable, Equatable {
    public var analyzer = AnalyzerConfiguration()
    public var minDF: DocumentFrequencyBound = .count(1)
    public var maxDF: DocumentFrequencyBound = .fraction(1.0)
    public var maxFeatures: Int?
    public var norm: RowNorm = .l2
    public var useIDF = true
    public var smoothIDF = true
    public var sublinearTF = false
    public var binary = false
    /// How many times a title token counts (1 = title and body alike; then the result equals
    /// scikit-learn's on `title + "\n" + body`).
    public var titleWeight: Float = 1
    /// The body's and the taxonomy fields' weights; nil = body 1, taxonomy fields not in the text.
    public var fieldWeights: FieldWeights?

    /// scikit-learn's `TfidfVectorizer()` defaults.
    public static let scikitLearn = TfidfConfiguration()

    /// SeeAlso's defaults for news archives, chosen on the shared corpora (see README, "Defaults").
    public static var news: TfidfConfiguration {
        var configuration = TfidfConfiguration()
        configuration.analyzer.stopWords = .perArticle
        configuration.minDF = .count(2)
        configuration.maxDF = .fraction(0.5)
        configuration.sublinearTF = true
        configuration.titleWeight = 2
        return configuration
    }

    public init() {}

    /// Checks ranges; errors name the bad value.
    public func validate() throws {
        if let maxFeatures, maxFeatures < 1 {
            throw VectorizerError.invalidParameter(name: "max_features", value: String(maxFeatures), expected: "an int ≥ 1")
        }
        for (name, bound) in [("min_df", minDF), ("max_df", maxDF)] {
            switch bound {
            case .count(let count) where count < 1:
                throw VectorizerError.invalidParameter(name: name, value: String(count), expected: "an int ≥ 1 or a float in [0.0, 1.0]")
            case .fraction(let fraction) where !(0...1).contains(fraction):
                throw VectorizerError.invalidParameter(name: name, value: String(fraction), expected: "a float in [0.0, 1.0] or an int ≥ 1")
            default: break
            }
        }
        guard titleWeight.isFinite, titleWeight >= 0 else {
            throw VectorizerError.invalidParameter(name: "title_weight", value: String(titleWeight), expected: "a finite number ≥ 0")
        }
        for (name, weight) in [("body", fieldWeights?.body)] + TaxonomyField.allCases.map({ ($0.rawValue, fieldWeights?.taxonomy[$0]) }) {
            if let weight, !(weight.isFinite && weight >= 0) {
                throw VectorizerError.invalidParameter(name: "field_weight", value: "\(name)=\(weight)", expected: "a finite number ≥ 0")
            }
        }
        guard analyzer.ngramMin >= 1, analyzer.ngramMin <= analyzer.ngramMax else {
            throw VectorizerError.invalidParameter(
                name: "ngram_range", value: "(\(analyzer.ngramMin), \(analyzer.ngramMax))", expected: "1 ≤ min_n ≤ max_n")
        }
    }
}

/// Why vectorizing failed (beyond input errors, which are `CorpusError`).
public enum VectorizerError: Error, CustomStringConvertible, Equatable {
    case invalidParameter(name: String, value: String, expected: String)
    case emptyVocabulary
    case maxDFBelowMinDF(maxDocuments: Double, minDocuments: Double)
    case noTermsAfterPruning
    case badModelFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidParameter(let name, let value, let expected):
            return "invalid \(name) \(value): expected \(expected)"
        case .emptyVocabulary:
            return "empty vocabulary: the documents contain no terms (perhaps only stop words, or tokens shorter than 2 characters)"
        case .maxDFBelowMinDF(let maxDocuments, let minDocuments):
            return "max_df corresponds to \(maxDocuments) documents, fewer than min_df's \(minDocuments): raise max_df or lower min_df"
        case .noTermsAfterPruning:
            return "after pruning by min_df/max_df no terms remain: lower min_df or raise max_df"
        case .badModelFile(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}

extension TfidfConfiguration {
    /// Parses scikit-learn's `ngram_range` written `1,2` (or `1-2`, or `2` for (2, 2)).
    public static func parseNgramRange(_ text: String) throws -> (Int, Int) {
        let parts = text.split(whereSeparator: { $0 == "," || $0 == "-" || $0 == ":" }).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        switch parts.count {
        case 1: if let value = parts[0], value >= 1 { return (value, value) }
        case 2: if let low = parts[0], let high = parts[1], low >= 1, low <= high { return (low, high) }
        default: break
        }
        throw VectorizerError.invalidParameter(name: "ngram_range", value: text, expected: "MIN,MAX with 1 ≤ MIN ≤ MAX, e.g. 1,2")
    }
}
