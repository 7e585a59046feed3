import Foundation
import SeeAlsoBLAS
import SeeAlsoSupport
import SeeAlsoVectorize

/// Related lists for archives too large for exact all-pairs, built from two complementary
/// candidate sources and exact TF-IDF cosine.
///
/// 1. LSA: a randomized truncated SVD (fitted on a row sample for large archives) projects every
///    row to d unit-length dimensions.
/// 2. Neighbourhood candidates, `denseCandidates` per row:
///    - partitioned (the default at scale): spherical k-means splits the reduced vectors into P
///      balanced partitions; each row is scored *exactly* (sparse TF-IDF dot products over a local
///      inverted index, `PartitionedExact`) against every member of the `probes` partitions whose
///      centroids are nearest to it — about probes / P of an exact all-pairs search;
///    - exhaustive (`partitions == 0`): the best inner products of the reduced vectors (tiled GEMM).
/// 3. Sparse candidates: the row's `sparseTerms` heaviest terms whose document frequency is at most
///    `sparseMaxDocuments` vote, reading at most `sparsePostingsBudget` postings, for the articles
///    sharing them (exact partial scores); the `sparseCandidates` best join. Same-story articles
///    share rare names, which partitions and LSA blur; topic-mates sharing many ordinary words are
///    what the partitions catch.
/// 4. Every candidate is scored by the exact canonical cosine (`CanonicalScores`) and the best k kept.
/// 5. Refinement (`refineRounds`): each row also scores its reverse neighbours and the neighbours of
///    its best neighbours, which recovers true neighbours that both sources missed.
///
/// `measureRecall` compares with exact lists on a sample; `seealso build` stores that figure.
public enum ApproximateAllPairs {
    public struct Options: Sendable {
        public var k = 20
        public var dimensions = 128
        /// Rows the SVD is fitted on (a hashed sample when the archive is larger).
        public var svdSampleRows = 100_000
        /// Number of k-means partitions; 0 = exhaustive dense search; nil = about n / 1000 (at least 16).
        public var partitions: Int?
        public var probes = 24
        public var denseCandidates = 40
        public var sparseTerms = 40
        public var sparseCandidates = 60
        /// Terms in more documents than this do not vote (rare terms carry stories; frequent ones cost
        /// long postings and vote for everything).
        public var sparseMaxDocuments = 3000
        /// At most this many postings are read per article for its votes (terms in weight order).
        public var sparsePostingsBudget = 5000
        /// Rounds of neighbourhood refinement: each round scores, for every row, the rows that list
        /// it (cosine is symmetric) and the `refineFanout` best neighbours of its `refineFanout` best
        /// neighbours (a neighbour of a neighbour is likely a neighbour), and keeps the k best.
        /// 0 turns it off.
        public var refineRounds = 1
        public var refineFanout = 20
        public var seed: UInt64 = 0
        public init(k: Int = 20) { self.k = k }
    }

    public struct Result: Sendable {
        public var lists: NeighborLists
        public var svd: RandomizedSVD
        public var vectors: DenseMatrix
        public var centroids: DenseMatrix?
        public var partitionOfRow: [Int32]?
        public var timings: StageTimings
    }

    public static func run(_ matrix: CSRMatrix, options: Options, postings: SparsePostings? = nil) throws -> Result {
        var timings = StageTimings()
        let n = matrix.rowCount
        BLAS.setThreads(1)
        let rank = max(1, min(options.dimensions, min(n, matrix.columnCount) - 1))
        let sample: RandomizedSVD.RowSample = n > options.svdSampleRows
            ? .hashed(fraction: Double(options.svdSampleRows) / Double(n), seed: options.seed) : .all
        let svd = try RandomizedSVD.fit(matrix, rank: rank, seed: options.seed, sample: sample)
        let vectors = svd.project(matrix, normalize: true)
        timings.lap("reduce (LSA \(rank))")

        let partitions = options.partitions ?? max(16, n / 1000)
        var centroids: DenseMatrix?
        var partitionOfRow: [Int32]?
        let denseK = min(options.denseCandidates, max(1, n - 1))
        let dense: NeighborLists
        if partitions != 0 && partitions < n / 4 {
            let balanced = PartitionedSearch.partition(vectors, partitions: partitions, seed: options.seed)
            centroids = balanced.centroids
            partitionOfRow = balanced.assignments
            let count = balanced.centroids.rowCount
            timings.lap("partitions (k-means \(partitions), balanced to \(count))")
            let probes = min(options.probes, count)
            let probeLists = PartitionedSearch.nearestCentroids(vectors, centroids: balanced.centroids, count: probes,
                                                                own: balanced.assignments)
            let progress = ProgressReporter("exact scores in \(probes) of \(count) partitions", total: count)
            dense = PartitionedExact.lists(matrix, partitionOfRow: balanced.assignments, partitions: count,
                                           probeLists: probeLists, probes: probes, k: denseK, progress: progress)
            progress.finish()
            timings.lap("exact scores in partitions")
        } else {
            let progress = ProgressReporter("dense candidates (exhaustive)", total: n)
            dense = DenseAllPairs.allPairs(vectors, k: denseK, floor: -.infinity, progress: progress)
            progress.finish()
            timings.lap("dense candidates")
        }
        let postings = postings ?? SparsePostings(matrix)
        let maxDocuments = options.sparseMaxDocuments
        let progress = ProgressReporter("sparse candidates and exact re-ranking", total: n)
        // Refinement reads `refineFanout` neighbours of each list, so lists are kept at least that long until the end.
        let width = options.refineRounds > 0 ? max(options.k, options.refineFanout) : options.k
        var lists = rerank(matrix: matrix, postings: postings, dense: dense, options: options, width: width,
                           maxDocuments: maxDocuments, progress: progress)
        progress.finish()
        timings.lap("sparse candidates and re-ranking")
        for round in 0..<options.refineRounds {
            let progress = ProgressReporter("neighbours of neighbours, round \(round + 1)", total: n)
            lists = refine(lists, matrix: matrix, fanout: options.refineFanout, progress: progress)
            progress.finish()
        }
        if options.refineRounds > 0 { timings.lap("neighbours of neighbours (\(options.refineRounds) rounds)") }
        lists = lists.truncated(to: options.k)
        return Result(lists: lists, svd: svd, vectors: vectors, centroids: centroids, partitionOfRow: partitionOfRow,
                      timings: timings)
    }

    /// Joins dense and sparse candidates per row and keeps the `width` best by exact canonical cosine.
    static func rerank(matrix: CSRMatrix, postings: SparsePostings, dense: NeighborLists, options: Options, width: Int,
                       maxDocuments: Int, progress: ProgressReporter?) -> NeighborLists {
        let n = matrix.rowCount
        let start = NeighborLists(rowCount: n, k: width, ids: [Int32](repeating: -1, count: n * width),
                                  scores: [Float](repeating: 0, count: n * width))
        return scoreCandidates(start, matrix: matrix, voteRows: n, progress: progress) { row, votes, candidates, _ in
            for slot in row * dense.k..<(row + 1) * dense.k where dense.ids[slot] >= 0 {
                candidates.append(dense.ids[slot])
            }
            votes.collect(row: row, matrix: matrix, postings: postings, terms: options.sparseTerms,
                          maxDocuments: maxDocuments, budget: options.sparsePostingsBudget,
                          keep: options.sparseCandidates, into: &candidates)
        }
    }

    /// One round of neighbourhood refinement: each row's list is merged with the exact canonical
    /// scores of the rows listing it among their `fanout` best (reverse neighbours) and of the
    /// `fanout` best neighbours of its `fanout` best neighbours, keeping k. Reads only the previous
    /// lists, so the result does not depend on scheduling. Cost ≈ n · (fanout² + fanout) sparse dot
    /// products.
    static func refine(_ lists: NeighborLists, matrix: CSRMatrix, fanout: Int, progress: ProgressReporter?) -> NeighborLists {
        let k = lists.k
        let width = min(fanout, k)
        let reverse = reverseNeighbors(lists, width: width)
        return scoreCandidates(lists, matrix: matrix, voteRows: 0, progress: progress) { row, _, candidates, ranked in
            let listed = lists.ids[row * k..<(row + 1) * k]
            for slot in row * k..<row * k + width where lists.ids[slot] >= 0 {
                let neighbor = Int(lists.ids[slot])
                for second in neighbor * k..<neighbor * k + width {
                    let id = lists.ids[second]
                    if id >= 0 && !listed.contains(id) { candidates.append(id) }
                }
            }
            for position in reverse.starts[row]..<reverse.starts[row + 1] {
                let id = reverse.rows[position]
                if !listed.contains(id) { candidates.append(id) }
            }
            for slot in row * k..<(row + 1) * k where lists.ids[slot] >= 0 {
                ranked.append((lists.ids[slot], lists.scores[slot]))
            }
        }
    }

    /// The loop `rerank` and `refine` share: for every row (chunks of 1024 on all workers),
    /// `gather` appends candidate ids (and may pre-fill already scored pairs); each distinct
    /// candidate gets its exact canonical cosine, and the k best of all replace the row of `start`.
    /// Rows without candidates keep their row of `start`. `voteRows` sizes each worker's vote
    /// accumulator (0 when `gather` does not vote).
    private static func scoreCandidates(
        _ start: NeighborLists, matrix: CSRMatrix, voteRows: Int, progress: ProgressReporter?,
        gather: @Sendable (_ row: Int, _ votes: VoteScratch, _ candidates: inout [Int32], _ ranked: inout [(id: Int32, score: Float)]) -> Void
    ) -> NeighborLists {
        let n = start.rowCount
        let k = start.k
        var ids = start.ids
        var scores = start.scores
        ids.withUnsafeMutableBufferPointer { idBuffer in
            scores.withUnsafeMutableBufferPointer { scoreBuffer in
                let idOut = SharedMutablePointer(idBuffer.baseAddress!)
                let scoreOut = SharedMutablePointer(scoreBuffer.baseAddress!)
                let chunk = 1024
                let workers = Parallelism.workerCount
                let scratch = (0..<workers).map { _ in VoteScratch(count: voteRows, columns: matrix.columnCount) }
                Parallelism.forEachDynamic((n + chunk - 1) / chunk, workers: workers) { chunkIndex, worker in
                    let votes = scratch[worker]
                    var candidates: [Int32] = []
                    var ranked: [(id: Int32, score: Float)] = []
                    for row in chunkIndex * chunk..<min(n, (chunkIndex + 1) * chunk) {
                        candidates.removeAll(keepingCapacity: true)
                        ranked.removeAll(keepingCapacity: true)
                        gather(row, votes, &candidates, &ranked)
                        guard !candidates.isEmpty else { continue }
                        candidates.sort()
                        votes.scatter(row: row, matrix: matrix)
                        votes.scoreAll(candidates, excluding: row, matrix: matrix, into: &ranked)
                        votes.clear(row: row, matrix: matrix)
                        ranked.sort { NeighborLists.ranksBefore($0.score, $0.id, $1.score, $1.id) }
                        for (position, pair) in ranked.prefix(k).enumerated() {
                            idOut[row * k + position] = pair.id
                            scoreOut[row * k + position] = pair.score
                        }
                    }
                    progress?.advance(by: min(n, (chunkIndex + 1) * chunk) - chunkIndex * chunk)
                }
            }
        }
        return NeighborLists(rowCount: n, k: k, ids: ids, scores: scores)
    }

    /// For each row, the rows that list it among their `width` best, as CSR (starts has n + 1 entries).
    static func reverseNeighbors(_ lists: NeighborLists, width: Int) -> (starts: [Int], rows: [Int32]) {
        let n = lists.rowCount
        var starts = [Int](repeating: 0, count: n + 1)
        for row in 0..<n {
            for slot in row * lists.k..<row * lists.k + width where lists.ids[slot] >= 0 { starts[Int(lists.ids[slot]) + 1] += 1 }
        }
        for row in 0..<n { starts[row + 1] += starts[row] }
        var fill = starts
        var rows = [Int32](repeating: 0, count: starts[n])
        for row in 0..<n {
            for slot in row * lists.k..<row * lists.k + width where lists.ids[slot] >= 0 {
                let target = Int(lists.ids[slot])
                rows[fill[target]] = Int32(row)
                fill[target] += 1
            }
        }
        return (starts, rows)
    }

    /// recall@m of `lists` against exact lists, on `sampleSize` rows chosen by a seeded hash
    /// (exact lists of the sample by full postings accumulation). Returns (recall, rows measured).
    public static func measureRecall(_ lists: NeighborLists, matrix: CSRMatrix, postings: SparsePostings, at m: Int = 10,
                                     sampleSize: Int, seed: UInt64 = 7) -> (recall: Double, rows: Int) {
        let n = matrix.rowCount
        guard n > 1, sampleSize > 0 else { return (1, 0) }
        var generator = SplitMix64(seed: seed)
        var rows = Set<Int>()
        while rows.count < min(sampleSize, n) { rows.insert(Int(generator.next() % UInt64(n))) }
        let sample = rows.sorted()
        let results = Locked([Double]())
        Parallelism.forEachDynamic(sample.count) { index, _ in
            let row = sample[index]
            var accumulator = [Float](repeating: 0, count: n)
            for entry in matrix.rowStarts[row]..<matrix.rowStarts[row + 1] {
                let column = Int(matrix.columns[entry])
                let weight = matrix.values[entry]
                for position in postings.columnStarts[column]..<postings.columnStarts[column + 1] {
                    accumulator[Int(postings.rows[position])] += weight * postings.values[position]
                }
            }
            accumulator[row] = 0
            // Preselect by the float accumulation (a generous margin), then score canonically.
            var preselected = (0..<n).filter { accumulator[$0] > 0 }
            if preselected.count > 4 * m + 64 {
                preselected.sort { accumulator[$0] != accumulator[$1] ? accumulator[$0] > accumulator[$1] : $0 < $1 }
                preselected.removeLast(preselected.count - (4 * m + 64))
            }
            var best = preselected.map { (id: Int32($0), score: CanonicalScores.dot(matrix, row, $0)) }
            best.sort { NeighborLists.ranksBefore($0.score, $0.id, $1.score, $1.id) }
            let exact = Set(best.prefix(m).map(\.id))
            guard !exact.isEmpty else { return }
            let found = lists.neighbors(of: row).prefix(m).filter { exact.contains(Int32($0.id)) }.count
            results.withLock { $0.append(Double(found) / Double(exact.count)) }
        }
        let values = results.value
        return (values.isEmpty ? 1 : values.reduce(0, +) / Double(values.count), values.count)
    }
}

/// A worker's scratch for sparse voting: an n-float accumulator and the list of rows it touched.
final class VoteScratch: @unchecked Sendable {
    private var scores: [Float]
    private var touched: [Int32] = []
    private var terms: [(weight: Float, column: Int32)] = []
    private var heap: [(score: Float, id: Int32)] = []
    private let denseRow: UnsafeMutablePointer<Float>
    private let present: UnsafeMutablePointer<UInt64>

    init(count: Int, columns: Int) {
        scores = [Float](repeating: 0, count: count)
        denseRow = .allocate(capacity: max(1, columns))
        denseRow.initialize(repeating: 0, count: max(1, columns))
        present = .allocate(capacity: columns / 64 + 1)
        present.initialize(repeating: 0, count: columns / 64 + 1)
    }

    deinit {
        denseRow.deallocate()
        present.deallocate()
    }

    /// Writes `row`'s values at their columns of the dense scratch row and marks them in the bitmap.
    func scatter(row: Int, matrix: CSRMatrix) {
        for index in matrix.rowStarts[row]..<matrix.rowStarts[row + 1] {
            let column = Int(matrix.columns[index])
            denseRow[column] = matrix.values[index]
            present[column >> 6] |= 1 << UInt64(column & 63)
        }
    }

    /// Clears what `scatter` wrote.
    func clear(row: Int, matrix: CSRMatrix) {
        for index in matrix.rowStarts[row]..<matrix.rowStarts[row + 1] {
            let column = Int(matrix.columns[index])
            denseRow[column] = 0
            present[column >> 6] = 0
        }
    }

    /// Appends (candidate, exact canonical cosine with the scattered row) for each distinct candidate
    /// other than `excluding` with a positive score. `candidates` must be sorted.
    func scoreAll(_ candidates: [Int32], excluding row: Int, matrix: CSRMatrix, into ranked: inout [(id: Int32, score: Float)]) {
        var previous: Int32 = -1
        for candidate in candidates where candidate != previous && Int(candidate) != row {
            previous = candidate
            let score = CanonicalScores.dot(denseRow: denseRow, present: present, matrix, Int(candidate))
            if score > 0 { ranked.append((candidate, score)) }
        }
    }

    func collect(row: Int, matrix: CSRMatrix, postings: SparsePostings, terms count: Int, maxDocuments: Int, budget: Int,
                 keep: Int, into candidates: inout [Int32]) {
        terms.removeAll(keepingCapacity: true)
        for entry in matrix.rowStarts[row]..<matrix.rowStarts[row + 1] {
            let column = matrix.columns[entry]
            if postings.frequency(Int(column)) <= maxDocuments { terms.append((matrix.values[entry], column)) }
        }
        terms.sort { $0.weight != $1.weight ? $0.weight > $1.weight : $0.column < $1.column }
        touched.removeAll(keepingCapacity: true)
        scores.withUnsafeMutableBufferPointer { scores in
            var read = 0
            for (weight, column) in terms.prefix(count) {
                read += postings.frequency(Int(column))
                if read > budget { break }
                for position in postings.columnStarts[Int(column)]..<postings.columnStarts[Int(column) + 1] {
                    let other = Int(postings.rows[position])
                    if scores[other] == 0 { touched.append(Int32(other)) }
                    scores[other] += weight * postings.values[position]
                }
            }
            if touched.count <= keep {
                candidates.append(contentsOf: touched)
            } else {
                // The `keep` best partial scores (ties by lower id), by a bounded min-heap.
                heap.removeAll(keepingCapacity: true)
                for other in touched {
                    let score = scores[Int(other)]
                    if heap.count < keep {
                        heap.append((score, other))
                        var child = heap.count - 1
                        while child > 0 {
                            let parent = (child - 1) / 2
                            guard NeighborLists.ranksBefore(heap[parent].score, heap[parent].id, heap[child].score, heap[child].id) else { break }
                            heap.swapAt(parent, child)
                            child = parent
                        }
                    } else if NeighborLists.ranksBefore(score, other, heap[0].score, heap[0].id) {
                        heap[0] = (score, other)
                        var parent = 0
                        while true {
                            let left = 2 * parent + 1
                            guard left < keep else { break }
                            var worst = left
                            if left + 1 < keep && NeighborLists.ranksBefore(heap[left].score, heap[left].id, heap[left + 1].score, heap[left + 1].id) {
                                worst = left + 1
                            }
                            guard NeighborLists.ranksBefore(heap[parent].score, heap[parent].id, heap[worst].score, heap[worst].id) else { break }
                            heap.swapAt(parent, worst)
                            parent = worst
                        }
                    }
                }
                candidates.append(contentsOf: heap.map(\.id))
            }
            for other in touched { scores[Int(other)] = 0 }
        }
    }
}
