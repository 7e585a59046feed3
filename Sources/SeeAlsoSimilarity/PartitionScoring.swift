import Foundation
import SeeAlsoSupport
import SeeAlsoVectorize

/// Exact TF-IDF scores inside partitions: every query is scored exactly against every member of the
/// partitions it probes, and keeps the best.
///
/// Work is organised by partition: a partition's members get a local inverted index (postings of the
/// partition's rows only, rows renumbered locally), and each query probing the partition accumulates its
/// exact sparse dot products with all members from those postings, then offers the best to its heap.
/// The scores are exact sparse dot products (float sums, ranked but not kept: re-ranking scores the
/// candidates canonically), so recall against exact lists is lost only when a true neighbour lies
/// outside the probed partitions. Cost ≈ Σ_l Σ_{q probing l} Σ_{t ∈ q} df_l(t): about probes / P
/// of an exact all-pairs search when partitions are balanced.
enum PartitionScoring {
    /// The `k` best members of every query row's probed partitions, unranked.
    ///
    /// - Parameters:
    ///   - matrix: the indexed rows; `partitionOfRow[r]` is row r's partition (members).
    ///   - queries: the query rows; when `queriesAreIndexed`, query q is indexed row q and never lists itself.
    ///   - probeLists: `probes` partitions per query (row-major).
    static func candidates(_ matrix: CSRMatrix, partitionOfRow: [Int32], partitions: Int, queries: CSRMatrix, queriesAreIndexed: Bool,
                           probeLists: [Int32], probes: Int, k: Int, progress: ProgressTask?) -> CandidateIDs {
        matrix.withIndexedRows {
            candidates($0, partitionOfRow: partitionOfRow, partitions: partitions, queries: queries, queriesAreIndexed: queriesAreIndexed,
                  probeLists: probeLists, probes: probes, k: k, progress: progress)
        }
    }

    /// `candidates` with the indexed rows read in place.
    static func candidates(_ matrix: IndexedRows, partitionOfRow: [Int32], partitions: Int, queries: CSRMatrix, queriesAreIndexed: Bool,
                           probeLists: [Int32], probes: Int, k: Int, progress: ProgressTask?) -> CandidateIDs {
        let members = Buckets(count: partitions, keys: partitionOfRow)
        // (partition, query) for every probe, generated on the fly rather than stored (16 bytes a probe).
        let queryGroups = Buckets(count: partitions, pairs: probeLists.indices.lazy.map { (Int(probeLists[$0]), Int32($0 / probes)) })
        let heaps = TopKHeaps(rowCount: queries.rowCount, k: k)
        let stripeSize = 256
        let locks = (0..<(queries.rowCount + stripeSize - 1) / stripeSize).map { _ in NSLock() }
        let workers = Parallelism.workerCount
        let scratch = (0..<workers).map { _ in LocalIndexScratch(columns: matrix.columnCount) }
        // Largest partitions first for load balance.
        let order = (0..<partitions).sorted {
            members.size($0) * queryGroups.size($0) > members.size($1) * queryGroups.size($1)
        }
        Parallelism.forEachDynamic(partitions, workers: workers) { item, worker in
            let partition = order[item]
            let memberRows = members.rows(partition)
            let queryRows = queryGroups.rows(partition)
            if !memberRows.isEmpty && !queryRows.isEmpty {
                let local = scratch[worker]
                local.build(matrix: matrix, members: memberRows)
                var scores = [Float](repeating: 0, count: memberRows.count)
                for query in queryRows {
                    let row = Int(query)
                    local.accumulate(row: row, of: queries, into: &scores)
                    let excluded: Int32 = queriesAreIndexed ? query : -1
                    locks[row / stripeSize].withLock {
                        var threshold = heaps.threshold(row)
                        for (position, score) in scores.enumerated() where score >= threshold {
                            let id = memberRows[memberRows.startIndex + position]
                            guard id != excluded else { continue }
                            heaps.push(row: row, id: id, score: score)
                            threshold = heaps.threshold(row)
                        }
                    }
                    for position in scores.indices { scores[position] = 0 }
                }
                local.clear(matrix: matrix, members: memberRows)
            }
            progress?.advance()
        }
        return CandidateIDs(heaps)
    }
}

/// A worker's local inverted index over one partition's members: for each global column present in the
/// partition, its postings (member positions and values) in packed arrays. Built with a counting pass;
/// only the columns the members use are touched, and `clear` resets just those. Raw buffers owned by the
/// scratch (no per-access exclusivity checks in the hot loops), reused partition after partition.
final class LocalIndexScratch: @unchecked Sendable {
    /// Per global column: first packed position (−1: absent), count, next free position.
    private let begin: UnsafeMutablePointer<Int32>
    private let count: UnsafeMutablePointer<Int32>
    private let fill: UnsafeMutablePointer<Int32>
    private var rows: UnsafeMutablePointer<Int32>
    private var values: UnsafeMutablePointer<Float>
    private var capacity = 0

    init(columns: Int) {
        let size = max(1, columns)
        begin = .allocate(capacity: size)
        begin.initialize(repeating: -1, count: size)
        count = .allocate(capacity: size)
        count.initialize(repeating: 0, count: size)
        fill = .allocate(capacity: size)
        fill.initialize(repeating: 0, count: size)
        rows = .allocate(capacity: 1)
        values = .allocate(capacity: 1)
    }

    deinit {
        for pointer in [begin, count, fill, rows] { pointer.deallocate() }
        values.deallocate()
    }

    func build(matrix: IndexedRows, members: ArraySlice<Int32>) {
        let (begin, count, fill) = (self.begin, self.count, self.fill)
        var total = 0
        for member in members {
            let columns = matrix.row(Int(member)).columns
            for column in columns { count[Int(column)] += 1 }
            total += columns.count
        }
        reserve(total)
        let (rows, values) = (self.rows, self.values)
        var next: Int32 = 0
        for member in members {
            for column in matrix.row(Int(member)).columns where begin[Int(column)] < 0 {
                begin[Int(column)] = next
                fill[Int(column)] = next
                next += count[Int(column)]
            }
        }
        for (local, member) in members.enumerated() {
            let (columns, entries) = matrix.row(Int(member))
            for index in columns.indices {
                let column = Int(columns[index])
                let position = Int(fill[column])
                rows[position] = Int32(local)
                values[position] = entries[index]
                fill[column] += 1
            }
        }
    }

    /// Sparse dot products of row `row` of `queries` with every member (local order), added into `scores`.
    func accumulate(row: Int, of queries: CSRMatrix, into scores: inout [Float]) {
        let (begin, count, rows, values) = (self.begin, self.count, self.rows, self.values)
        scores.withUnsafeMutableBufferPointer { scores in
            for index in queries.rowStarts[row]..<queries.rowStarts[row + 1] {
                let start = Int(begin[Int(queries.columns[index])])
                guard start >= 0 else { continue }
                let weight = queries.values[index]
                for position in start..<start + Int(count[Int(queries.columns[index])]) {
                    scores[Int(rows[position])] += weight * values[position]
                }
            }
        }
    }

    /// Resets the columns `build` touched.
    func clear(matrix: IndexedRows, members: ArraySlice<Int32>) {
        let (begin, count) = (self.begin, self.count)
        for member in members {
            for column in matrix.row(Int(member)).columns {
                begin[Int(column)] = -1
                count[Int(column)] = 0
            }
        }
    }

    /// Room for `total` packed postings.
    private func reserve(_ total: Int) {
        guard total > capacity else { return }
        rows.deallocate()
        values.deallocate()
        capacity = max(total, 2 * capacity)
        rows = .allocate(capacity: capacity)
        values = .allocate(capacity: capacity)
    }
}
