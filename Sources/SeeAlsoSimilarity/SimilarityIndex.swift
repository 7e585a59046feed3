import SeeAlsoSupport
import SeeAlsoVectorize

/// SeeAlso's one similarity-index abstraction (as FAISS has one `Index`): the indexed TF-IDF rows,
/// every row's list of its most similar rows, a search for rows that are not indexed, and adding rows
/// with the lists kept current.
///
/// Two implementations: `ExactIndex` (exact cosine, lists equal brute force) and `PartitionedIndex`
/// (candidates from k-means partitions of LSA vectors, or from all of them in its exhaustive mode,
/// re-ranked by exact cosine). Both rank with `RankOrder` and score with `CanonicalScores`.
package protocol SimilarityIndex: Sendable {
    /// How many rows are indexed.
    var rowCount: Int { get }
    /// The indexed rows (L2-normalised TF-IDF, CSR) as arrays: a copy when they are read in place.
    var matrix: CSRMatrix { get }
    /// Their inverted index as arrays: a copy when they are read in place.
    var postings: SparsePostings { get }
    /// Where the rows and postings live.
    var storage: RowStorage { get }
    /// Every indexed row's most similar other rows, canonical scores, best first.
    var lists: NeighborLists { get set }
    /// Scores `queries` (rows of the same term space, not indexed) against the indexed rows: each
    /// query's `k` best, and with `reverse` every scored pair that may enter an indexed row's list.
    func match(_ queries: CSRMatrix, k: Int, reverse: Bool, progress: ProgressTask?) -> Matches
    /// Appends rows to the index's own structures (matrix, postings, partitions); lists are not touched.
    mutating func append(_ rows: CSRMatrix)
    /// Rows of deleted articles: they stay stored (numbering is kept) but are never listed or offered.
    var deleted: RowSet { get }
    /// Marks rows deleted; lists are not touched (see `delete`).
    mutating func markDeleted(_ rows: [Int])
    /// Fresh lists (`k` long) of indexed rows, over the live rows, each row never listing itself.
    func lists(ofIndexedRows rows: [Int], k: Int) -> NeighborLists
}

/// What `SimilarityIndex.match` found.
package struct Matches: Sendable {
    /// Each query's best indexed rows (canonical scores).
    package var lists: NeighborLists
    /// (indexed row, query, canonical score) for pairs that may enter the indexed row's list.
    package var offers: [ListOffer]
}

/// A scored pair offered to a row's list.
package struct ListOffer: Sendable, Equatable {
    package var target: Int32
    package var source: Int32
    package var score: Float
}

extension SimilarityIndex {
    /// Deletes `rows`: they leave every list, their own lists are emptied, and every list that held one
    /// is computed again (`lists(ofIndexedRows:k:)`: exact for `ExactIndex`, so that the lists equal a
    /// rebuild over the surviving rows). Returns the rows whose lists were refilled.
    @discardableResult
    package mutating func delete(_ rows: [Int]) -> [Int] {
        guard !rows.isEmpty else { return [] }
        markDeleted(rows)
        var updated = lists
        let affected = updated.rows(listing: deleted)
        let empty = NeighborLists(rowCount: rows.count, k: 0, ids: [], scores: [])
        updated.replace(rows, with: empty)
        updated.replace(affected, with: lists(ofIndexedRows: affected, k: lists.k))
        lists = updated
        return affected
    }

    /// Adds `rows` as rows n..<n+m and keeps every list current (see `listsAdding`). For `ExactIndex` the
    /// result equals a rebuild.
    package mutating func add(_ rows: CSRMatrix, progress: ProgressTask? = nil) {
        let updated = listsAdding(rows, progress: progress)
        append(rows)
        lists = updated
    }

    /// The lists of rows 0..<n+m once `rows` are added as rows n..<n+m, without changing the index: each
    /// new row's list comes from the indexed rows (`match`) and, exactly, from the other new rows; every
    /// stored list a new row beats takes it in, keeping its length.
    package func listsAdding(_ rows: CSRMatrix, progress: ProgressTask? = nil) -> NeighborLists {
        let n = rowCount, k = lists.k
        let found = match(rows, k: k, reverse: true, progress: progress)
        let amongNew = ExactAllPairs.run(rows, options: .init(k: k), progress: nil)
        var merged = ListMerge(lists: lists)
        for query in 0..<rows.rowCount {
            let row = Int32(n + query)
            let own = found.lists.neighbors(of: query).map { ListOffer(target: row, source: Int32($0.id), score: $0.score) }
            let peers = amongNew.neighbors(of: query).map { ListOffer(target: row, source: Int32(n + $0.id), score: $0.score) }
            merged.appendRow(own + peers)
        }
        merged.offer(found.offers.map { ListOffer(target: $0.target, source: Int32(n) + $0.source, score: $0.score) })
        return merged.lists
    }
}

extension NeighborLists {
    /// For each row, the lowest score a newcomer needs to be considered for its list: the k-th score
    /// minus `tolerance` (fast float sums against canonical scores), or 0 while the list has room.
    package func entryFloors(tolerance: Float = 1e-4) -> [Float] {
        (0..<rowCount).map { row in
            let last = row * k + k - 1
            return ids[last] >= 0 ? scores[last] - tolerance : 0
        }
    }
}

/// Builds updated lists: existing rows keep their lists unless offers beat them; appended rows take
/// the best of their offers. Each list keeps its length k, ordered by `RankOrder`, one entry per id.
package struct ListMerge {
    private var ids: [Int32]
    private var scores: [Float]
    private var rowCount: Int
    private let k: Int

    package init(lists: NeighborLists) {
        ids = lists.ids
        scores = lists.scores
        rowCount = lists.rowCount
        k = lists.k
    }

    package var lists: NeighborLists { NeighborLists(rowCount: rowCount, k: k, ids: ids, scores: scores) }

    /// Appends a row whose list is the best of `offers` (all targeting it).
    package mutating func appendRow(_ offers: [ListOffer]) {
        ids.append(contentsOf: repeatElement(-1, count: k))
        scores.append(contentsOf: repeatElement(0, count: k))
        rowCount += 1
        replace(row: rowCount - 1, with: offers.map { ($0.source, $0.score) })
    }

    /// Merges offers into their targets' lists.
    package mutating func offer(_ offers: [ListOffer]) {
        let byTarget = Dictionary(grouping: offers, by: \.target)
        for (target, group) in byTarget {
            let row = Int(target)
            var pairs = (row * k..<(row + 1) * k).filter { ids[$0] >= 0 }.map { (ids[$0], scores[$0]) }
            pairs += group.map { ($0.source, $0.score) }
            replace(row: row, with: pairs)
        }
    }

    private mutating func replace(row: Int, with pairs: [(Int32, Float)]) {
        var seen = Set<Int32>()
        let ranked = pairs.sorted { RankOrder.precedes($0.1, $0.0, $1.1, $1.0) }.filter { seen.insert($0.0).inserted }
        for slot in 0..<k {
            ids[row * k + slot] = slot < ranked.count ? ranked[slot].0 : -1
            scores[row * k + slot] = slot < ranked.count ? ranked[slot].1 : 0
        }
    }
}
