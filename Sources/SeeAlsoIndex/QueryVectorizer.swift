import Foundation
import SeeAlsoCorpus
import SeeAlsoText
import SeeAlsoVectorize

/// Turns a new article into a TF-IDF vector of an index's space (its frozen vocabulary and idf),
/// exactly as the index's articles were weighted. Terms outside the vocabulary are dropped.
package struct QueryVectorizer {
    private let index: Index
    private var analyzer: Analyzer
    private var document = WeightedTerms()

    package init(index: Index) throws {
        self.index = index
        analyzer = try Analyzer(configuration: index.manifest.configuration.analyzer)
    }

    /// The L2-normalised (or as configured) TF-IDF vector of `article`.
    package mutating func vector(for article: Article) -> SparseVector {
        let configuration = index.manifest.configuration
        document.analyze(article, with: &analyzer, configuration: configuration)
        var counts: [Int32: Float] = [:]
        document.forEach { term, weight in
            guard let column = analyzer.terms.withBytes(of: Int(term), { index.column(ofTerm: $0) }) else { return }
            counts[Int32(column), default: 0] += weight
        }
        let columns = counts.keys.sorted()
        var weights = columns.map { column -> Double in
            var tf = configuration.binary ? 1 : Double(counts[column]!)
            if configuration.sublinearTF { tf = 1 + log(tf) }
            return tf * index.idf(Int(column))
        }
        let norm: Double
        switch configuration.norm {
        case .l2: norm = weights.reduce(0) { $0 + $1 * $1 }.squareRoot()
        case .l1: norm = weights.reduce(0) { $0 + abs($1) }
        case .none: norm = 1
        }
        if norm > 0 { weights = weights.map { $0 / norm } }
        return SparseVector(columns: columns, values: weights.map { Float($0) })
    }
}
