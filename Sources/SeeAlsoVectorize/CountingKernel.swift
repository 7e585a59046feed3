import SeeAlsoCorpus

/// Tokenizing and counting alone, as each worker of a fit does it (`CountingWorker`), on the calling
/// thread: for benchmarks that time this kernel apart from reading, decoding, merging and weighting.
package enum CountingKernel {
    /// What one pass counted.
    package struct Tally: Sendable, Equatable {
        /// Entries of the worker's term dictionary: the distinct terms met (with a fixed stop list, its stop words too).
        package var terms: Int
        /// (article, term) pairs counted, the rows' stored entries before pruning.
        package var entries: Int
    }

    /// Analyzes `articles` (title, then body, then weighted fields) and counts each one's terms with
    /// a fresh worker, as a fit's first stage does. O(text bytes).
    package static func count(_ articles: [Article], configuration: TfidfConfiguration) throws -> Tally {
        let worker = try CountingWorker(configuration: configuration)
        let records = articles.enumerated().map { DecodedRecord.article($1, line: $0 + 1) }
        let counted = worker.count(DecodedBatch(sequence: 0, records: records), worker: 0, keep: (false, false))
        return Tally(terms: worker.terms.count, entries: counted.terms.count)
    }
}
