import SeeAlsoCorpus
import SeeAlsoText

/// An article's analyzed terms in runs of equal weight: title, body, then each value of every weighted
/// taxonomy field (see `FieldWeights`). Buffers are reused from article to article.
package struct WeightedTerms {
    /// The terms, run after run.
    package var terms: [Int32] = []
    /// Each run's end in `terms` and the weight of its occurrences.
    package var runs: [(end: Int, weight: Float)] = []
    private var valueTerms: [Int32] = []

    package init() {}

    package mutating func analyze(_ article: Article, with analyzer: inout Analyzer, configuration: TfidfConfiguration) {
        let titleOnly = analyzer.analyze(title: article.title, body: article.body, languageCode: article.language, into: &terms)
        runs.removeAll(keepingCapacity: true)
        runs.append((titleOnly, configuration.titleWeight))
        runs.append((terms.count, configuration.fieldWeights?.body ?? 1))
        guard let weights = configuration.fieldWeights else { return }
        for (field, weight) in weights.weightedTaxonomy {
            for value in article.taxonomy[field] {
                _ = analyzer.analyze(title: "", body: value, languageCode: article.language, into: &valueTerms)
                terms.append(contentsOf: valueTerms)
                runs.append((terms.count, weight))
            }
        }
    }

    /// Calls `body(term, weight)` for every occurrence, in order.
    @inline(__always)
    package func forEach(_ body: (Int32, Float) -> Void) {
        var start = 0
        for run in runs {
            for position in start..<run.end { body(terms[position], run.weight) }
            start = run.end
        }
    }
}
