import SeeAlsoSupport
import SeeAlsoVectorize

extension ExactSearch {
    /// Each query's `k` best live indexed rows (canonical scores, ties by row, `excluding[q]` never
    /// listed), found by one pass over the indexed rows instead of their postings: the queries' own
    /// terms are inverted (a small index of the queries), each indexed row adds its float score with the
    /// queries sharing its terms, the best k + margin per query are kept and rescored canonically —
    /// the same lists as `match`. Meant for a few hundred queries (the recall check), so that an index
    /// whose postings are not held needs none.
    ///
    /// Cost O(nnz + Σ_t df(t)·qf(t)) time (qf: the queries holding term t); memory O(columns) plus
    /// queries · (k + margin) candidates per worker.
    package func listsByScanningRows(_ queries: CSRMatrix, k: Int, excluding: [Int32]) -> NeighborLists {
        let keep = k + CanonicalScores.margin(for: k)
        let inverted = SparsePostings(queries)
        let workers = Parallelism.workerCount
        let found = (0..<workers).map { _ in TopKHeaps(rowCount: queries.rowCount, k: keep) }
        let deleted = deleted
        return storage.withRowsOnly { indexed in
            inverted.withBuffers { queryPostings in
                Parallelism.forEachRange(indexed.rowCount, minimumChunk: 4096) { rows, worker in
                    var sums = [Float](repeating: 0, count: queries.rowCount)
                    var lastRow = [Int](repeating: -1, count: queries.rowCount)
                    var touched: [Int] = []
                    for row in rows where !deleted.contains(row) {
                        let (columns, values) = indexed.row(row)
                        for (column, value) in zip(columns, values) {
                            let (holders, weights) = queryPostings.entries(Int(column))
                            for (query, weight) in zip(holders, weights) {
                                if lastRow[Int(query)] != row {
                                    lastRow[Int(query)] = row
                                    touched.append(Int(query))
                                }
                                sums[Int(query)] += weight * value
                            }
                        }
                        for query in touched {
                            if excluding[query] != Int32(row) { found[worker].push(row: query, id: Int32(row), score: sums[query]) }
                            sums[query] = 0
                        }
                        touched.removeAll(keepingCapacity: true)
                    }
                }
            }
            let merged = TopKHeaps(rowCount: queries.rowCount, k: keep)
            for heaps in found {
                for query in 0..<queries.rowCount {
                    for (id, score) in heaps.sorted(row: query) { merged.push(row: query, id: id, score: score) }
                }
            }
            return CanonicalScores.rescore(merged, queries: queries, rows: indexed, keep: k)
        }
    }
}
