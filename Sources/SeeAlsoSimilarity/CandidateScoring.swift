import SeeAlsoSupport
import SeeAlsoVectorize

/// The candidate stages of the partitioned index: rare-term votes, exact re-ranking and
/// neighbour-of-neighbour refinement. Queries are rows of `queries`; candidates are the indexed rows
/// (`indexed`, read in place with their postings). A query that is itself an indexed row (`queryRows`)
/// never lists itself, and no query lists a `deleted` row.
struct CandidateScoring {
    let indexed: IndexedRows
    let queries: CSRMatrix
    let queryRows: QueryRows
    var deleted = RowSet()

    /// Joins each query's candidates (`dense`, from partitions or reduced vectors) with the indexed rows
    /// its rare terms vote for, and keeps the `width` best by canonical score.
    func rerank(dense: CandidateIDs, votes: PartitionedIndex.Votes, width: Int, floors: [Float]?,
                progress: ProgressTask?) -> ScoredCandidates {
        let start = NeighborLists(rowCount: queries.rowCount, k: width, ids: [Int32](repeating: -1, count: queries.rowCount * width),
                                  scores: [Float](repeating: 0, count: queries.rowCount * width))
        return scoreCandidates(start, voteRows: indexed.rowCount, voteKeep: votes.keep, floors: floors, progress: progress) { query, scratch, candidates, _ in
            for id in dense.candidates(of: query) where id >= 0 { candidates.append(id) }
            scratch.collectVotes(query: query, of: queries, postings: indexed, votes: votes, into: &candidates)
        }
    }

    /// One round of neighbourhood refinement: each query's list is merged with the canonical scores of
    /// the `fanout` best neighbours (in `neighborLists`, the indexed rows' lists) of its `fanout` best
    /// neighbours and, when given, of the rows that list it (`reverse`, CSR by query). Reads only lists
    /// computed before, so the result does not depend on scheduling. Cost ≈ queries · (fanout² + fanout)
    /// sparse dot products.
    func refine(_ lists: NeighborLists, neighborLists: NeighborLists, fanout: Int, reverse: (starts: [Int], rows: [Int32])?,
                floors: [Float]?, progress: ProgressTask?) -> ScoredCandidates {
        let k = lists.k
        let width = min(fanout, k)
        let secondWidth = min(fanout, neighborLists.k)
        return scoreCandidates(lists, voteRows: 0, voteKeep: 0, floors: floors, progress: progress) { query, _, candidates, ranked in
            let listed = lists.ids[query * k..<(query + 1) * k]
            for slot in query * k..<query * k + width where lists.ids[slot] >= 0 {
                let neighbor = Int(lists.ids[slot])
                for second in neighbor * neighborLists.k..<neighbor * neighborLists.k + secondWidth {
                    let id = neighborLists.ids[second]
                    if id >= 0 && !listed.contains(id) { candidates.append(id) }
                }
            }
            if let reverse {
                for position in reverse.starts[query]..<reverse.starts[query + 1] {
                    let id = reverse.rows[position]
                    if !listed.contains(id) { candidates.append(id) }
                }
            }
            for slot in query * k..<(query + 1) * k where lists.ids[slot] >= 0 {
                ranked.append((lists.ids[slot], lists.scores[slot]))
            }
        }
    }

    /// The loop `rerank` and `refine` share: for every query (chunks of 1024 on all workers), `gather`
    /// appends candidate ids (and may pre-fill already scored pairs); each distinct candidate gets its
    /// canonical score, and the k best of all replace the query's row of `start`. Queries without
    /// candidates keep their row of `start`. `voteRows` and `voteKeep` size each worker's vote scratch
    /// (0 when `gather` does not vote). With `floors` (per indexed row), every pair scored here that
    /// reaches the candidate's floor is also returned as an offer to the candidate's list (pre-filled
    /// pairs were offered when they were scored).
    private func scoreCandidates(
        _ start: NeighborLists, voteRows: Int, voteKeep: Int, floors: [Float]?, progress: ProgressTask?,
        gather: @Sendable (_ query: Int, _ scratch: CandidateScratch, _ candidates: inout [Int32], _ ranked: inout [(id: Int32, score: Float)]) -> Void
    ) -> ScoredCandidates {
        let n = start.rowCount
        let k = start.k
        var ids = start.ids
        var scores = start.scores
        let indexed = indexed, queries = queries, queryRows = queryRows, deleted = deleted
        let offers = Locked([ListOffer]())
        ids.withUnsafeMutableBufferPointer { idBuffer in
            scores.withUnsafeMutableBufferPointer { scoreBuffer in
                let idOut = SharedMutablePointer(idBuffer.baseAddress!)
                let scoreOut = SharedMutablePointer(scoreBuffer.baseAddress!)
                let chunk = 1024
                let workers = Parallelism.workerCount
                let scratch = (0..<workers).map { _ in CandidateScratch(voteRows: voteRows, voteKeep: voteKeep, columns: indexed.columnCount) }
                Parallelism.forEachDynamic((n + chunk - 1) / chunk, workers: workers) { chunkIndex, worker in
                    let local = scratch[worker]
                    var candidates: [Int32] = []
                    var ranked: [(id: Int32, score: Float)] = []
                    var found: [ListOffer] = []
                    for query in chunkIndex * chunk..<min(n, (chunkIndex + 1) * chunk) {
                        candidates.removeAll(keepingCapacity: true)
                        ranked.removeAll(keepingCapacity: true)
                        gather(query, local, &candidates, &ranked)
                        guard !candidates.isEmpty else { continue }
                        candidates.sort()
                        local.query.scatter(queries, query)
                        var previous: Int32 = -1
                        let own = queryRows.row(of: query)
                        for candidate in candidates where candidate != previous {
                            previous = candidate
                            if candidate == own || deleted.contains(Int(candidate)) { continue }
                            let score = local.query.dot(indexed, Int(candidate))
                            guard score > 0 else { continue }
                            ranked.append((candidate, score))
                            if let floors, score >= floors[Int(candidate)] {
                                found.append(ListOffer(target: candidate, source: Int32(query), score: score))
                            }
                        }
                        local.query.clear(queries, query)
                        ranked.sort { RankOrder.precedes($0.score, $0.id, $1.score, $1.id) }
                        for (position, pair) in ranked.prefix(k).enumerated() {
                            idOut[query * k + position] = pair.id
                            scoreOut[query * k + position] = pair.score
                        }
                    }
                    if !found.isEmpty { offers.withLock { $0.append(contentsOf: found) } }
                    progress?.advance(by: min(n, (chunkIndex + 1) * chunk) - chunkIndex * chunk)
                }
            }
        }
        return ScoredCandidates(lists: NeighborLists(rowCount: n, k: k, ids: ids, scores: scores), offers: offers.value)
    }

    /// For each row, the rows that list it among their `width` best, as CSR (starts has n + 1 entries).
    static func reverseNeighbors(_ lists: NeighborLists, width: Int) -> (starts: [Int], rows: [Int32]) {
        let n = lists.rowCount, k = lists.k, ids = lists.ids
        // (listed row, lister) pairs generated on the fly, in row order, rather than stored.
        let pairs = (0..<n * width).lazy.map { (row: $0 / width, slot: $0 / width * k + $0 % width) }
            .filter { ids[$0.slot] >= 0 }.map { (Int(ids[$0.slot]), Int32($0.row)) }
        let grouped = Buckets(count: n, pairs: pairs)
        return (grouped.starts, grouped.items)
    }
}

/// Which indexed row each query is, if any: none (`external`), row q for query q (`indexed`: the
/// queries are the indexed rows), or the given rows.
enum QueryRows: Sendable {
    case external
    case indexed
    case rows([Int32])

    /// Query `query`'s indexed row (−1: none).
    func row(of query: Int) -> Int32 {
        switch self {
        case .external: return -1
        case .indexed: return Int32(query)
        case .rows(let rows): return rows[query]
        }
    }
}

/// The queries' lists, and the scored pairs offered to indexed rows' lists.
struct ScoredCandidates {
    var lists: NeighborLists
    var offers: [ListOffer]
}

/// A worker's scratch for candidate scoring: the scattered query row, and for rare-term votes an
/// accumulator over the indexed rows, the rows it touched and a one-row heap of the best partial scores.
final class CandidateScratch: @unchecked Sendable {
    let query: ScatteredRow
    private var scores: [Float]
    private var touched: [Int32] = []
    private var terms: [(weight: Float, column: Int32, frequency: Int)] = []
    private let best: TopKHeaps

    /// `voteRows`: the indexed rows (0 when the scratch never votes); `voteKeep`: votes kept per query.
    init(voteRows: Int, voteKeep: Int, columns: Int) {
        query = ScatteredRow(columns: columns)
        scores = [Float](repeating: 0, count: voteRows)
        best = TopKHeaps(rowCount: 1, k: max(1, voteKeep))
    }

    /// Appends the indexed rows that query `query`'s heaviest rare terms vote for: its `votes.terms`
    /// heaviest terms in 1 to `votes.maxDocuments` rows each, reading at most `votes.budget` postings,
    /// accumulate exact partial scores; the `votes.keep` best (ties to the lower row) join. Only the
    /// postings of such rare terms are read, so `indexed` may hold those alone (a column with an empty
    /// list does not vote).
    func collectVotes(query: Int, of queries: CSRMatrix, postings indexed: IndexedRows, votes: PartitionedIndex.Votes,
                      into candidates: inout [Int32]) {
        terms.removeAll(keepingCapacity: true)
        for entry in queries.rowStarts[query]..<queries.rowStarts[query + 1] {
            let column = queries.columns[entry]
            let frequency = indexed.frequency(Int(column))
            if frequency > 0 && frequency <= votes.maxDocuments { terms.append((queries.values[entry], column, frequency)) }
        }
        terms.sort { RankOrder.precedes($0.weight, $0.column, $1.weight, $1.column) }
        touched.removeAll(keepingCapacity: true)
        scores.withUnsafeMutableBufferPointer { scores in
            var read = 0
            for (weight, column, frequency) in terms.prefix(votes.terms) {
                read += frequency
                if read > votes.budget { break }
                for postings in indexed.postings {
                    let (rows, values) = postings.entries(Int(column))
                    for position in rows.indices {
                        let other = Int(rows[position])
                        if scores[other] == 0 { touched.append(Int32(other)) }
                        scores[other] += weight * values[position]
                    }
                }
            }
            if touched.count <= votes.keep {
                candidates.append(contentsOf: touched)
            } else {
                best.clear(row: 0)
                for other in touched { best.push(row: 0, id: other, score: scores[Int(other)]) }
                best.appendIDs(row: 0, to: &candidates)
            }
            for other in touched { scores[Int(other)] = 0 }
        }
    }
}
