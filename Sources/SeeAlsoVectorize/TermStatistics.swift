import SeeAlsoText

/// A corpus's term counts before the vocabulary is pruned: for every term that occurs, the number of
/// documents holding it (df) and its total tf over them. Statistics of disjoint parts of a corpus add
/// up to the statistics of the whole (`add(term:…)` sums them), which is how a sharded build fits one model.
package struct TermStatistics: Sendable {
    package var terms: TermDictionary
    package var documentFrequencies: [Int]
    package var totalFrequencies: [Double]
    /// Documents counted.
    package var documentCount: Int

    package init(terms: TermDictionary = TermDictionary(), documentFrequencies: [Int] = [], totalFrequencies: [Double] = [],
                 documentCount: Int = 0) {
        self.terms = terms
        self.documentFrequencies = documentFrequencies
        self.totalFrequencies = totalFrequencies
        self.documentCount = documentCount
    }

    /// Adds one term's counts (a term seen before is summed). O(term length) expected.
    package mutating func add(term: String, documentFrequency: Int, totalFrequency: Double) {
        let known = terms.count
        let id = terms.insert(term)
        if terms.count > known {
            documentFrequencies.append(0)
            totalFrequencies.append(0)
        }
        documentFrequencies[Int(id)] += documentFrequency
        totalFrequencies[Int(id)] += totalFrequency
    }
}
