import SeeAlsoSupport
import SeeAlsoVectorize

/// The partitioned similarity index, for archives too large for exact all-pairs: candidates from two
/// complementary sources, scored by exact TF-IDF cosine.
///
/// 1. LSA: a randomized truncated SVD (fitted on a row sample for large archives) projects every row to
///    d unit-length dimensions.
/// 2. Neighbourhood candidates, `candidatesPerRow` per row:
///    - `.partitions` (the default at scale): spherical k-means splits the reduced vectors into P balanced
///      partitions; each row is scored *exactly* (sparse TF-IDF dot products over a local inverted index,
///      `PartitionScoring`) against every member of the `probes` partitions whose centroids are nearest
///      to it — about probes / P of an exact all-pairs search;
///    - `.exhaustive` (`seealso build --method dense`): the best inner products of the reduced vectors
///      (tiled GEMM over all pairs).
/// 3. Rare-term votes (`Votes`): the row's heaviest terms in few documents vote for the articles sharing
///    them; the best join. Same-story articles share rare names, which partitions and LSA blur.
/// 4. Every candidate is scored canonically and the best kept.
/// 5. Refinement (`refineRounds`): each row also scores the rows that list it and the neighbours of its
///    best neighbours, which recovers true neighbours both sources missed.
///
/// Adding rows projects them with the stored SVD, puts each in its nearest partition, and runs the same
/// stages for the new rows only against the stored partitions and lists (`match`), so its cost grows
/// with the rows added, not with the archive.
package struct PartitionedIndex: SimilarityIndex {
    package typealias Options = PartitionedOptions
    package typealias Votes = PartitionedOptions.Votes

    package private(set) var storage: RowStorage
    package var lists: NeighborLists
    package let options: Options
    /// The fitted LSA projection.
    package let svd: RandomizedSVD
    /// Every row's unit LSA vector: loaded when first needed (the exhaustive mode, appending, writing).
    private var reduced: LazyValue<DenseMatrix>
    /// nil in the exhaustive mode.
    package private(set) var partitions: Partitions?
    /// Seconds per build stage, in order (empty for a restored index).
    package private(set) var timings = StageTimings()
    /// Rows of deleted articles: stored, in no partition, never listed.
    package private(set) var deleted = RowSet()
    /// Whether `vectors` are the projection of `matrix` (a fresh build's), so writing can project
    /// them again block by block instead of holding them.
    private var vectorsAreProjections = false

    /// An index over stored state; `vectors` loads the rows' reduced vectors when they are first needed.
    package init(storage: RowStorage, lists: NeighborLists, options: Options, svd: RandomizedSVD,
                 vectors: @escaping @Sendable () -> DenseMatrix, partitions: Partitions?, deleted: RowSet = RowSet()) {
        self.storage = storage
        self.lists = lists
        self.options = options
        self.svd = svd
        reduced = LazyValue(vectors)
        self.partitions = partitions
        self.deleted = deleted
    }

    package var rowCount: Int { storage.rowCount }
    package var matrix: CSRMatrix { storage.matrix }
    package var postings: SparsePostings { storage.postings }
    package var vectors: DenseMatrix { reduced.value }
    /// The vectors as an index file takes them: projected block by block when they are the rows' projection.
    package var reducedVectors: ReducedVectors { vectorsAreProjections ? .projected(matrix, svd) : .held(vectors) }

    /// Builds every row's list (`options.k` long); progress of each stage goes to `reporter`.
    package init(building matrix: CSRMatrix, options requested: Options, reporter: any ProgressReporter) throws {
        var timings = StageTimings()
        let n = matrix.rowCount
        let options = requested.sized(forRows: n)
        let rounds = options.rounds(forRows: n)
        let rank = max(1, min(options.dimensions, min(n, matrix.columnCount) - 1))
        let sample: RandomizedSVD.RowSample = n > options.svdSampleRows
            ? .hashed(fraction: Double(options.svdSampleRows) / Double(n), seed: options.seed) : .all
        let svd = try RandomizedSVD.fit(matrix, rank: rank, seed: options.seed, sample: sample)
        let candidatesPerRow = min(options.candidatesPerRow, max(1, n - 1))
        let source = Self.candidateSource(matrix, svd: svd, options: options, candidatesPerRow: candidatesPerRow,
                                          timings: &timings, reporter: reporter)
        let partitions = source.partitions
        let dense: CandidateIDs
        switch source.candidates {
        case .lists(let lists):
            dense = CandidateIDs(lists)
        case .probes(let probeLists, let probes):
            let trained = source.partitions!
            let task = reporter.task("exact scores in \(probes) of \(trained.count) partitions", total: trained.count, unit: "partitions")
            dense = PartitionScoring.candidates(matrix, partitionOfRow: trained.partitionOfRow, partitions: trained.count,
                                                queries: matrix, queriesAreIndexed: true, probeLists: probeLists, probes: probes,
                                                k: candidatesPerRow, progress: task)
            task.finish()
            timings.lap("exact scores in partitions")
        }
        // Votes read rare terms' postings only; the others (most of the entries) are never built here.
        let lists = matrix.withIndexedRows(postings: SparsePostings(matrix, columnsInAtMost: options.votes.maxDocuments)) { indexed in
            let scoring = CandidateScoring(indexed: indexed, queries: matrix, queryRows: .indexed)
            let rerankTask = reporter.task("sparse candidates and exact re-ranking", total: n)
            var lists = scoring.rerank(dense: dense, votes: options.votes, width: options.width(for: options.k), floors: nil,
                                       progress: rerankTask).lists
            rerankTask.finish()
            timings.lap("sparse candidates and re-ranking")
            for round in 0..<rounds {
                let task = reporter.task("neighbours of neighbours, round \(round + 1)", total: n)
                let reverse = CandidateScoring.reverseNeighbors(lists, width: min(options.refineFanout, lists.k))
                lists = scoring.refine(lists, neighborLists: lists, fanout: options.refineFanout, reverse: reverse, floors: nil,
                                       progress: task).lists
                task.finish()
            }
            return lists
        }
        if rounds > 0 { timings.lap("neighbours of neighbours (\(rounds) rounds)") }
        // The reduced vectors were dropped after the candidate search; whoever reads them (writing the
        // index, appending rows) gets the same projection again, bit for bit (2·nnz·d FLOPs).
        self.init(storage: .rows(matrix), lists: lists.truncated(to: options.k), options: options, svd: svd,
                  vectors: { svd.project(matrix, normalize: true) }, partitions: partitions)
        self.timings = timings
        vectorsAreProjections = true
    }

    /// Where a build's neighbourhood candidates come from.
    private enum CandidateSearch {
        /// Each row's `probes` partitions, row-major (the partitions are scored exactly afterwards).
        case probes([Int32], probes: Int)
        /// The best inner products of the reduced vectors (the exhaustive mode).
        case lists(NeighborLists)
    }

    /// The build's LSA projection and what it is needed for: training the partitions and choosing each
    /// row's probes, or the exhaustive dense candidates. The n × d vectors (4·n·d bytes) live only
    /// inside this call, so they are not held through the exact scoring and re-ranking.
    private static func candidateSource(_ matrix: CSRMatrix, svd: RandomizedSVD, options: Options, candidatesPerRow: Int,
                                        timings: inout StageTimings, reporter: any ProgressReporter)
        -> (partitions: Partitions?, candidates: CandidateSearch) {
        let n = matrix.rowCount
        let vectors = svd.project(matrix, normalize: true)
        timings.lap("reduce (LSA \(svd.rank))")
        if case .partitions(let requested, _) = options.candidates, let probes = options.probes(forRows: n),
           (requested ?? max(16, n / 1000)) < n / 4 {
            let count = requested ?? max(16, n / 1000)
            let trained = Partitions.train(vectors, partitions: count, seed: options.seed)
            timings.lap("partitions (k-means \(count), balanced to \(trained.count))")
            let probes = min(probes, trained.count)
            return (trained, .probes(trained.probeLists(vectors, count: probes, own: trained.partitionOfRow), probes: probes))
        }
        let task = reporter.task("dense candidates (exhaustive)", total: n)
        let dense = DenseAllPairs.allPairs(vectors, k: candidatesPerRow, floor: -.infinity, progress: task)
        task.finish()
        timings.lap("dense candidates")
        return (nil, .lists(dense))
    }

    /// Queries go through the build's stages against the indexed rows: projection, candidates from the
    /// partitions they probe (or from all reduced vectors), rare-term votes, canonical re-ranking and
    /// refinement through the stored lists of their best neighbours. With `reverse`, every scored pair
    /// that reaches an indexed row's entry floor is offered to it.
    package func match(_ queries: CSRMatrix, k: Int, reverse: Bool, progress: ProgressTask?) -> Matches {
        let queryVectors = svd.project(queries, normalize: true)
        let candidatesPerRow = min(options.candidatesPerRow, max(1, rowCount))
        let floors = reverse ? lists.entryFloors(tolerance: 0) : nil
        return storage.withRows { indexed in
            let dense: CandidateIDs
            if let partitions, let probes = options.probes(forRows: rowCount).map({ min($0, partitions.count) }) {
                dense = PartitionScoring.candidates(indexed, partitionOfRow: partitions.partitionOfRow, partitions: partitions.count,
                                                    queries: queries, queriesAreIndexed: false,
                                                    probeLists: partitions.probeLists(queryVectors, count: probes),
                                                    probes: probes, k: candidatesPerRow, progress: nil)
            } else {
                dense = CandidateIDs(DenseAllPairs.search(queries: queryVectors, database: vectors, k: candidatesPerRow))
            }
            let scoring = CandidateScoring(indexed: indexed, queries: queries, queryRows: .external, deleted: deleted)
            var found = scoring.rerank(dense: dense, votes: options.votes, width: options.width(for: k), floors: floors, progress: progress)
            for _ in 0..<options.rounds(forRows: rowCount) {
                let refined = scoring.refine(found.lists, neighborLists: lists, fanout: options.refineFanout, reverse: nil,
                                             floors: floors, progress: nil)
                found = ScoredCandidates(lists: refined.lists, offers: found.offers + refined.offers)
            }
            return Matches(lists: found.lists.truncated(to: k), offers: found.offers)
        }
    }

    package mutating func append(_ rows: CSRMatrix) {
        let placed = placement(of: rows)
        if let current = partitions {
            partitions = Partitions(centroids: current.centroids, partitionOfRow: current.partitionOfRow + placed.partitionOfRow)
        }
        // The stored vectors stay unread until someone needs them (the exhaustive mode, writing a whole index).
        let previous = reduced, added = placed.vectors
        reduced = LazyValue {
            var all = previous.value
            all.append(added)
            return all
        }
        storage = storage.appending(rows)
        vectorsAreProjections = false
    }

    package mutating func markDeleted(_ rows: [Int]) {
        for row in rows { deleted.insert(row) }
        if let current = partitions {
            var partitionOfRow = current.partitionOfRow
            for row in rows { partitionOfRow[row] = -1 }
            partitions = Partitions(centroids: current.centroids, partitionOfRow: partitionOfRow)
        }
    }

    /// New lists for indexed rows whose lists lost entries, from their neighbourhood: the surviving
    /// entries, the rows their rare terms vote for, and `max(1, refineRounds)` rounds of neighbours of
    /// neighbours, all scored canonically. Cost ≈ rows · (votes + fanout²) sparse dot products, however
    /// large the archive.
    package func lists(ofIndexedRows rows: [Int], k: Int) -> NeighborLists {
        let queries = storage.withRows { $0.selecting(rows) }
        let surviving = lists.selecting(rows)
        return storage.withRows { indexed in
            let scoring = CandidateScoring(indexed: indexed, queries: queries, queryRows: .rows(rows.map { Int32($0) }), deleted: deleted)
            var found = scoring.rerank(dense: CandidateIDs(surviving), votes: options.votes, width: options.width(for: k), floors: nil, progress: nil).lists
            for _ in 0..<max(1, options.rounds(forRows: rowCount)) {
                found = scoring.refine(found, neighborLists: lists, fanout: options.refineFanout, reverse: nil, floors: nil,
                                       progress: nil).lists
            }
            return found.truncated(to: k)
        }
    }

    /// Where new rows go: their unit LSA vectors and nearest partitions (empty in the exhaustive mode).
    package func placement(of rows: CSRMatrix) -> (vectors: DenseMatrix, partitionOfRow: [Int32]) {
        let vectors = svd.project(rows, normalize: true)
        return (vectors, partitions?.nearest(vectors) ?? [])
    }
}
