import Foundation
import SeeAlsoCorpus
import SeeAlsoSimilarity
import SeeAlsoSupport

/// Answers "See also" queries against an index: exact cosine over the postings, then date
/// filters, exclusions, time decay, near-duplicate folding, optional MMR and explanations.
///
/// One query costs O(Σ_{t ∈ query} df(t)) for the scores plus O(n) for the selection scan, with an
/// n-float accumulator; the folding and MMR steps cost O(pool² · row length).
package struct RelatedSearch {
    package let index: Index

    package init(index: Index) { self.index = index }

    /// The list for the indexed article `row` (itself excluded).
    package func related(toRow row: Int, options: RelatedOptions) -> RelatedResult {
        related(to: index.vector(row), date: index.date(row), excluding: row, options: options)
    }

    /// The list for any TF-IDF vector in the index's space (a new text), optionally dated.
    package func related(to query: SparseVector, date: ArticleDate?, excluding excludedRow: Int? = nil,
                        options: RelatedOptions) -> RelatedResult {
        let scores = exactScores(query)
        var candidates: [(row: Int, similarity: Float, score: Float)] = []
        let queryDate = date?.secondsSinceEpoch
        for row in 0..<index.articleCount {
            let similarity = scores[row]
            guard similarity >= options.minScore, similarity > 0, row != excludedRow, !index.isDeleted(row) else { continue }
            guard let score = rankingScore(row: row, similarity: similarity, queryDate: queryDate, options: options) else { continue }
            candidates.append((row, similarity, score))
        }
        candidates.sort { RankOrder.precedes($0.score, $0.row, $1.score, $1.row) }
        let pool = Array(candidates.prefix(max(options.candidatePool, options.k)))
        return finish(query: query, pool: pool, options: options)
    }

    /// The list for `row` built from its precomputed list (for `--all`): the same filters, applied
    /// to the index's k stored neighbours only, so it may hold fewer items than `related(toRow:)`.
    package func relatedFromStoredList(row: Int, options: RelatedOptions) -> RelatedResult {
        let queryDate = index.date(row)?.secondsSinceEpoch
        var pool: [(row: Int, similarity: Float, score: Float)] = []
        for (neighbor, similarity) in index.storedList(row) where similarity >= options.minScore {
            guard let score = rankingScore(row: neighbor, similarity: similarity, queryDate: queryDate, options: options) else { continue }
            pool.append((neighbor, similarity, score))
        }
        pool.sort { RankOrder.precedes($0.score, $0.row, $1.score, $1.row) }
        return finish(query: index.vector(row), pool: pool, options: options)
    }

    /// Exact cosine of `query` with every article, accumulated over the postings of its terms.
    func exactScores(_ query: SparseVector) -> [Float] {
        var scores = [Float](repeating: 0, count: index.articleCount)
        scores.withUnsafeMutableBufferPointer { scores in
            guard let base = scores.baseAddress else { return }
            for postings in index.postingBuffers { postings.accumulate(columns: query.columns[...], values: query.values[...], into: base) }
        }
        return scores
    }

    /// The decayed score of a candidate, or nil when a filter rejects it.
    private func rankingScore(row: Int, similarity: Float, queryDate: Int64?, options: RelatedOptions) -> Float? {
        if !options.excludedIds.isEmpty && options.excludedIds.contains(index.id(row)) { return nil }
        if !options.filters.isEmpty && !index.passes(options.filters, row: row) { return nil }
        let needsDate = options.direction != .any || options.withinSeconds != nil || options.halfLifeSeconds != nil
        guard needsDate else { return similarity }
        guard let queryDate else {
            // An undated query cannot be placed in time: date filters cannot hold, decay does not apply.
            return options.direction == .any && options.withinSeconds == nil ? similarity : nil
        }
        let itemDate = index.dateSeconds(row)
        guard itemDate != Int64.min else { return nil }
        let delta = itemDate - queryDate
        switch options.direction {
        case .before: if delta > 0 { return nil }
        case .after: if delta < 0 { return nil }
        case .any: break
        }
        if let window = options.withinSeconds, abs(delta) > window { return nil }
        if let halfLife = options.halfLifeSeconds, halfLife > 0 {
            return similarity * Float(pow(0.5, Double(abs(delta)) / Double(halfLife)))
        }
        return similarity
    }

    /// Copies of the query, folding of near-duplicates (keeping the earliest), MMR, explanations.
    private func finish(query: SparseVector, pool: [(row: Int, similarity: Float, score: Float)], options: RelatedOptions) -> RelatedResult {
        var copies: [Int] = []
        var kept: [RelatedItem] = []
        // The row each kept item is compared as (the earliest-published copy of its group).
        var keptRows: [Int] = []
        // Ranked by score alone, only the first k kept items are shown: a later candidate matters only
        // if it folds into one of them, so it is compared with those k and otherwise dropped
        // (pool × k dot products instead of pool²/2; the answer is the same).
        let shownOnly = options.mmrLambda >= 1 ? options.k : Int.max
        var chosen: [Int] = []
        index.rowStorage.withRows { rows in
            // The canonical score of two indexed rows, read in place (no copy of either vector).
            func dot(_ a: Int, _ b: Int) -> Float {
                let first = rows.row(a), second = rows.row(b)
                return CanonicalScores.dot(columns: first.columns, values: first.values, columns: second.columns, values: second.values)
            }
            // Whether two indexed rows are near-duplicates: dot(a, b) ≥ the threshold, decided early when possible.
            func twins(_ a: Int, _ b: Int) -> Bool {
                let first = rows.row(a), second = rows.row(b)
                return CanonicalScores.dotReaches(options.duplicateThreshold, columns: first.columns, values: first.values,
                                                  columns: second.columns, values: second.values)
            }
            for candidate in pool {
                if candidate.similarity >= options.duplicateThreshold {
                    copies.append(candidate.row)
                    continue
                }
                if let twin = keptRows.firstIndex(where: { twins($0, candidate.row) }) {
                    // Fold into the earlier-published of the two; the group keeps the better rank.
                    if isEarlier(candidate.row, than: kept[twin].row) {
                        kept[twin].folded.append(kept[twin].row)
                        kept[twin].row = candidate.row
                        keptRows[twin] = candidate.row
                    } else {
                        kept[twin].folded.append(candidate.row)
                    }
                    continue
                }
                guard kept.count < shownOnly else { continue }
                kept.append(RelatedItem(row: candidate.row, similarity: candidate.similarity, score: candidate.score))
                keptRows.append(candidate.row)
            }
            if options.mmrLambda < 1 {
                var remaining = Array(kept.indices)
                while chosen.count < options.k, !remaining.isEmpty {
                    var best = 0
                    var bestValue = -Float.infinity
                    for (position, candidate) in remaining.enumerated() {
                        let redundancy = chosen.map { dot(keptRows[$0], keptRows[candidate]) }.max() ?? 0
                        let value = options.mmrLambda * kept[candidate].score - (1 - options.mmrLambda) * redundancy
                        if value > bestValue { bestValue = value; best = position }
                    }
                    chosen.append(remaining.remove(at: best))
                }
            } else {
                chosen = Array(kept.indices.prefix(options.k))
            }
        }
        var items = chosen.map { kept[$0] }
        if options.explainTerms > 0 {
            for position in items.indices {
                items[position].explanation = explain(query: query, item: index.vector(items[position].row), terms: options.explainTerms)
            }
        }
        for position in items.indices {
            items[position].folded.sort { isEarlier($0, than: $1) }
        }
        return RelatedResult(items: items, copiesOfQuery: copies)
    }

    private func isEarlier(_ a: Int, than b: Int) -> Bool {
        let dateA = index.dateSeconds(a)
        let dateB = index.dateSeconds(b)
        if dateA == Int64.min { return false }
        if dateB == Int64.min { return true }
        return dateA < dateB || (dateA == dateB && a < b)
    }

    /// The shared terms with the largest products q_t · d_t (their sum is the cosine).
    func explain(query: SparseVector, item: SparseVector, terms: Int) -> [(term: String, contribution: Float)] {
        var contributions: [(column: Int32, value: Float)] = []
        var i = 0
        var j = 0
        while i < query.columns.count && j < item.columns.count {
            if query.columns[i] == item.columns[j] {
                contributions.append((query.columns[i], query.values[i] * item.values[j]))
                i += 1
                j += 1
            } else if query.columns[i] < item.columns[j] {
                i += 1
            } else {
                j += 1
            }
        }
        contributions.sort { RankOrder.precedes($0.value, $0.column, $1.value, $1.column) }
        return contributions.prefix(terms).map { (index.term(Int($0.column)), $0.value) }
    }
}
