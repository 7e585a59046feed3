import SeeAlsoSupport
import SeeAlsoVectorize

/// The exact similarity index: every list is the k most similar rows by exact cosine, equal to brute
/// force (scores canonical, ties by row order).
///
/// Building runs `ExactAllPairs` (a tiled GEMM over the frequent terms plus postings accumulation over
/// the rest, each pair once). A query accumulates its cosine with every row over the postings of its
/// terms: O(Σ_{t ∈ q} df(t)) plus an O(n) selection scan. Adding m rows costs m queries plus an exact
/// all-pairs among them, and the result equals a rebuild with the same frozen model.
package struct ExactIndex: SimilarityIndex {
    package private(set) var storage: RowStorage
    package var lists: NeighborLists
    package private(set) var deleted = RowSet()

    /// Builds every row's `k` most similar other rows.
    package init(building matrix: CSRMatrix, k: Int, progress: ProgressTask?) {
        let postings = SparsePostings(matrix)
        storage = .arrays(matrix, postings)
        lists = ExactAllPairs.run(matrix, postings: postings, options: .init(k: k), progress: progress)
    }

    /// An index over stored rows, postings and lists; `deleted` rows stay stored but are never listed.
    package init(storage: RowStorage, lists: NeighborLists, deleted: RowSet = RowSet()) {
        self.storage = storage
        self.lists = lists
        self.deleted = deleted
    }

    package var rowCount: Int { storage.rowCount }
    package var matrix: CSRMatrix { storage.matrix }
    package var postings: SparsePostings { storage.postings }

    package func match(_ queries: CSRMatrix, k: Int, reverse: Bool, progress: ProgressTask?) -> Matches {
        ExactSearch(storage: storage, deleted: deleted)
            .match(queries, k: k, excluding: nil, floors: reverse ? lists.entryFloors() : nil, progress: progress)
    }

    package mutating func append(_ rows: CSRMatrix) { storage = storage.appending(rows) }

    package mutating func markDeleted(_ rows: [Int]) { for row in rows { deleted.insert(row) } }

    /// Exact lists of `rows` over the live rows: equal to brute force over the survivors.
    package func lists(ofIndexedRows rows: [Int], k: Int) -> NeighborLists {
        let search = ExactSearch(storage: storage, deleted: deleted)
        let queries = storage.withRows { $0.selecting(rows) }
        return search.match(queries, k: k, excluding: rows.map { Int32($0) }, floors: nil, progress: nil).lists
    }
}

/// Exact search of query rows against indexed rows by postings accumulation: each query's float scores
/// with every row (O(Σ_{t ∈ q} df(t))), the best k + margin by a SIMD-prefiltered heap scan (O(n)),
/// rescored canonically. With `floors`, every row whose float score reaches its floor is offered the
/// query (canonical score), so that stored lists can take new rows in.
package struct ExactSearch: Sendable {
    package let storage: RowStorage
    /// Rows never listed, offered anything or sampled (deleted articles).
    let deleted: RowSet
    private let deletedRows: [Int]

    package init(storage: RowStorage, deleted: RowSet = RowSet()) {
        self.storage = storage
        self.deleted = deleted
        deletedRows = deleted.sorted
    }

    /// - Parameter excluding: for query q, an indexed row never to list (the query itself, when it is indexed).
    package func match(_ queries: CSRMatrix, k: Int, excluding: [Int32]?, floors: [Float]?, progress: ProgressTask?) -> Matches {
        storage.withRows { indexed in
            let n = indexed.rowCount
            let heaps = TopKHeaps(rowCount: queries.rowCount, k: k + CanonicalScores.margin(for: k))
            let offers = Locked([ListOffer]())
            let workers = Parallelism.workerCount
            let buffers = (0..<workers).map { _ in ScoreBuffer(count: n) }
            let scattered = floors == nil ? [] : (0..<workers).map { _ in ScatteredRow(columns: indexed.columnCount) }
            Parallelism.forEachDynamic(queries.rowCount, workers: workers) { query, worker in
                let scores = buffers[worker].pointer
                scores.update(repeating: 0, count: n)
                let row = queries.row(query)
                for postings in indexed.postings { postings.accumulate(columns: row.columns, values: row.values, into: scores) }
                for deletedRow in deletedRows { scores[deletedRow] = 0 }
                let excluded = excluding.map { Int($0[query]) } ?? -1
                collectCandidates(scores, count: n, firstId: 0, into: heaps, row: query, excluded: excluded)
                if let floors {
                    let local = scattered[worker]
                    local.scatter(queries, query)
                    var found: [ListOffer] = []
                    for target in 0..<n where scores[target] > 0 && scores[target] >= floors[target] && target != excluded {
                        found.append(ListOffer(target: Int32(target), source: Int32(query), score: local.dot(indexed, target)))
                    }
                    local.clear(queries, query)
                    offers.withLock { $0.append(contentsOf: found) }
                }
                progress?.advance()
            }
            let lists = CanonicalScores.rescore(heaps.lists(), queries: queries, rows: indexed, keep: k)
            return Matches(lists: lists, offers: offers.value)
        }
    }

    /// recall@m of `lists` against exact lists, on `sampleSize` of the live rows in `rows` chosen by a seeded
    /// generator: the share of each sampled row's exact m best found among its first m listed rows,
    /// averaged over rows that have any positive neighbour. Returns (recall, rows measured).
    package func recall(of lists: NeighborLists, at m: Int = 10, sampleSize: Int, rows: Range<Int>? = nil,
                        seed: UInt64 = 7) -> (recall: Double, rows: Int) {
        let rows = rows ?? 0..<storage.rowCount
        let live = rows.count - deletedRows.filter(rows.contains).count
        guard storage.rowCount > 1, sampleSize > 0, live > 0 else { return (1, 0) }
        var generator = SplitMix64(seed: seed)
        var chosen = Set<Int>()
        while chosen.count < min(sampleSize, live) {
            let row = rows.lowerBound + Int(generator.next() % UInt64(rows.count))
            if !deleted.contains(row) { chosen.insert(row) }
        }
        let sample = chosen.sorted()
        let queries = storage.withRowsOnly { $0.selecting(sample) }
        let exact = listsByScanningRows(queries, k: m, excluding: sample.map { Int32($0) })
        var values: [Double] = []
        for (position, row) in sample.enumerated() {
            let truth = Set(exact.neighbors(of: position).map(\.id))
            guard !truth.isEmpty else { continue }
            let found = lists.neighbors(of: row).prefix(m).filter { truth.contains($0.id) }.count
            values.append(Double(found) / Double(truth.count))
        }
        return (values.isEmpty ? 1 : values.reduce(0, +) / Double(values.count), values.count)
    }
}
