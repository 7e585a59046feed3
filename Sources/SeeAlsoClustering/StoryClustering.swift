import Foundation
import SeeAlsoSimilarity
import SeeAlsoVectorize

/// Story clustering: groups articles about the same event without being given the number of stories.
///
/// Average-linkage agglomerative clustering on the related-article graph, with a similarity threshold
/// and a time window:
///
/// - Candidates: two articles can be linked only when one lists the other among its stored neighbours
///   (the index's exact-cosine lists) with cosine ≥ `threshold`. Two stories are candidates for a merge
///   when some such link joins them.
/// - Linkage: the exact mean cosine over all cross pairs, (Σ_A x)·(Σ_B y) / (|A|·|B|), computed from each
///   story's sum of (L2-normalised) TF-IDF rows, so pairs absent from the top-k lists count with their
///   true cosine, not as 0. The pair with the highest linkage merges first (ties: lower ids), while that
///   linkage is ≥ `threshold`.
/// - Time window: a merge is refused when the dated members of the union would span more than
///   `windowSeconds` (latest − earliest date). So two articles further apart in time than the window are
///   never in the same story; undated articles are bound by the threshold only.
///
/// Why average linkage rather than a single pass in date order: the result does not depend on the order
/// of the articles (a single pass does, and undated articles have no order), and unlike single linkage
/// it does not chain two different stories through one or two bridging articles (a near-duplicate
/// roundup that mentions both). Average linkage has no inversions, so the greedy best-first merge with a
/// priority queue is exact for the candidate graph.
///
/// Cost: O(n·k) candidate links from the lists; each merge scatters the merged story's sum vector into
/// a dense scratch and re-scores it against its neighbouring stories (O(Σ their stored entries)), plus
/// O(log) per queue operation. Memory: the story sums (at most the nnz of the rows), the adjacency sets
/// and the queue (≤ n·k entries), plus one V-float scratch.
package enum StoryClustering {
    package struct Configuration: Sendable {
        /// Lowest mean cosine between two stories that still merge.
        package var threshold: Float
        /// Widest date span of a story's dated members, in seconds; nil: no time limit.
        package var windowSeconds: Int64?

        package init(threshold: Float = 0.3, windowSeconds: Int64? = nil) {
            self.threshold = threshold
            self.windowSeconds = windowSeconds
        }
    }

    package struct Story: Sendable, Equatable {
        package var id: Int
        /// Rows, increasing.
        package var members: [Int]
        /// Earliest and latest date of the dated members (seconds since 1970), nil when none is dated.
        package var firstDate: Int64?
        package var lastDate: Int64?
    }

    package struct Result: Sendable {
        /// Story id of every row; ids are ordered by size (largest first), ties by smallest member row.
        package var assignments: [Int32]
        package var stories: [Story]
        package var merges: Int
        /// Stories with at least two members.
        package var multiMemberCount: Int { stories.filter { $0.members.count > 1 }.count }
    }

    /// Clusters `rows` (L2-normalised TF-IDF, n×V) using the related lists `neighbors` as candidate links
    /// and `dates` (seconds since 1970, nil = undated) for the time window.
    package static func cluster(rows: CSRMatrix, neighbors: NeighborLists, dates: [Int64?],
                               configuration: Configuration) -> Result {
        var sums = SparseStorySums(rows)
        return cluster(sums: &sums, count: rows.rowCount, neighbors: neighbors, dates: dates, configuration: configuration,
                       candidateFloor: configuration.threshold)
    }

    /// The same with the linkage measured on dense unit vectors (e.g. LSA), one row per article; the
    /// candidate links are every pair in `neighbors` (whatever its TF-IDF cosine), merged while the
    /// mean cross cosine of the dense vectors is ≥ `threshold`.
    package static func cluster(vectors: DenseMatrix, neighbors: NeighborLists, dates: [Int64?],
                               configuration: Configuration) -> Result {
        var sums = DenseStorySums(vectors)
        return cluster(sums: &sums, count: vectors.rowCount, neighbors: neighbors, dates: dates, configuration: configuration,
                       candidateFloor: -.infinity)
    }

    static func cluster<Sums: StorySums>(sums: inout Sums, count n: Int, neighbors: NeighborLists, dates: [Int64?],
                                         configuration: Configuration, candidateFloor: Float) -> Result {
        precondition(neighbors.rowCount == n && dates.count == n, "StoryClustering: rows, lists and dates disagree")
        let threshold = configuration.threshold
        let window = configuration.windowSeconds

        // Story state, indexed by the story's root row.
        var alive = [Bool](repeating: true, count: n)
        var version = [UInt32](repeating: 0, count: n)
        var size = [Int](repeating: 1, count: n)
        var firstDate = dates, lastDate = dates
        var adjacent = [Set<Int32>](repeating: [], count: n)
        var members: [[Int32]] = (0..<n).map { [Int32($0)] }

        func spanAllowed(_ a: Int, _ b: Int) -> Bool {
            guard let window else { return true }
            guard let lowA = firstDate[a], let highA = lastDate[a], let lowB = firstDate[b], let highB = lastDate[b] else {
                return true
            }
            return max(highA, highB) - min(lowA, lowB) <= window
        }

        var queue = MergeQueue()
        for row in 0..<n {
            for (other, listed) in neighbors.neighbors(of: row) where other != row && listed >= candidateFloor {
                let (a, b) = (min(row, other), max(row, other))
                guard adjacent[a].insert(Int32(b)).inserted else { continue }
                adjacent[b].insert(Int32(a))
                let score = sums.linkage(a, [b])[0]
                if spanAllowed(a, b) && score >= threshold {
                    queue.push(MergeCandidate(score: score, a: Int32(a), b: Int32(b), versionA: 0, versionB: 0))
                }
            }
        }

        var merges = 0
        while let candidate = queue.pop() {
            guard candidate.score >= threshold else { break }
            let a = Int(candidate.a), b = Int(candidate.b)
            guard alive[a], alive[b], version[a] == candidate.versionA, version[b] == candidate.versionB else { continue }
            guard spanAllowed(a, b) else { continue }
            // Merge the smaller story into the larger (ties: into the lower row).
            let (keep, gone) = size[a] > size[b] || (size[a] == size[b] && a < b) ? (a, b) : (b, a)
            merges += 1
            alive[gone] = false
            version[keep] &+= 1
            size[keep] += size[gone]
            members[keep].append(contentsOf: members[gone])
            members[gone] = []
            if let low = firstDate[gone] { firstDate[keep] = min(firstDate[keep] ?? low, low) }
            if let high = lastDate[gone] { lastDate[keep] = max(lastDate[keep] ?? high, high) }
            sums.merge(keep, gone)
            var union = adjacent[keep].union(adjacent[gone])
            union.remove(Int32(keep))
            union.remove(Int32(gone))
            for other in adjacent[gone] where Int(other) != keep {
                adjacent[Int(other)].remove(Int32(gone))
                adjacent[Int(other)].insert(Int32(keep))
            }
            adjacent[gone] = []
            adjacent[keep] = union
            // Re-score the merged story against its neighbours (exact mean cross cosine).
            let others = union.sorted().map { Int($0) }.filter { spanAllowed(keep, $0) }
            let dots = sums.linkage(keep, others)
            for (c, dot) in zip(others, dots) {
                let linkage = dot / Float(size[keep] * size[c])
                guard linkage >= threshold else { continue }
                let (x, y) = (min(keep, c), max(keep, c))
                queue.push(MergeCandidate(score: linkage, a: Int32(x), b: Int32(y), versionA: version[x], versionB: version[y]))
            }
        }

        // Stories by size (largest first), ties by smallest member row.
        var roots = (0..<n).filter { alive[$0] }
        var smallest = [Int](repeating: 0, count: n)
        for root in roots { smallest[root] = Int(members[root].min()!) }
        roots.sort { size[$0] != size[$1] ? size[$0] > size[$1] : smallest[$0] < smallest[$1] }
        var assignments = [Int32](repeating: -1, count: n)
        var stories: [Story] = []
        stories.reserveCapacity(roots.count)
        for (id, root) in roots.enumerated() {
            let list = members[root].map { Int($0) }.sorted()
            for row in list { assignments[row] = Int32(id) }
            stories.append(Story(id: id, members: list, firstDate: firstDate[root], lastDate: lastDate[root]))
        }
        return Result(assignments: assignments, stories: stories, merges: merges)
    }

    /// The sum of two sparse vectors with sorted columns.
    package static func addSparse(_ columnsA: [Int32], _ valuesA: [Float], _ columnsB: [Int32], _ valuesB: [Float]) -> ([Int32], [Float]) {
        var columns: [Int32] = [], values: [Float] = []
        columns.reserveCapacity(columnsA.count + columnsB.count)
        values.reserveCapacity(columnsA.count + columnsB.count)
        var i = 0, j = 0
        while i < columnsA.count || j < columnsB.count {
            if j == columnsB.count || (i < columnsA.count && columnsA[i] < columnsB[j]) {
                columns.append(columnsA[i]); values.append(valuesA[i]); i += 1
            } else if i == columnsA.count || columnsB[j] < columnsA[i] {
                columns.append(columnsB[j]); values.append(valuesB[j]); j += 1
            } else {
                columns.append(columnsA[i]); values.append(valuesA[i] + valuesB[j]); i += 1; j += 1
            }
        }
        return (columns, values)
    }
}

struct MergeCandidate {
    var score: Float
    var a: Int32
    var b: Int32
    var versionA: UInt32
    var versionB: UInt32

    /// Higher score first, then lower (a, b).
    func ranksBefore(_ other: MergeCandidate) -> Bool {
        if score != other.score { return score > other.score }
        if a != other.a { return a < other.a }
        return b < other.b
    }
}

/// A binary max-heap of merge candidates.
struct MergeQueue {
    private var heap: [MergeCandidate] = []

    var isEmpty: Bool { heap.isEmpty }

    mutating func push(_ candidate: MergeCandidate) {
        heap.append(candidate)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].ranksBefore(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> MergeCandidate? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var best = parent
                if left < heap.count && heap[left].ranksBefore(heap[best]) { best = left }
                if right < heap.count && heap[right].ranksBefore(heap[best]) { best = right }
                guard best != parent else { break }
                heap.swapAt(parent, best)
                parent = best
            }
        }
        return top
    }
}

/// Each story's sum of member vectors, for the exact mean cross cosine.
protocol StorySums {
    /// Inner products of story `story`'s sum with the sums of `others`.
    mutating func linkage(_ story: Int, _ others: [Int]) -> [Float]
    /// Story `keep` absorbs story `gone`.
    mutating func merge(_ keep: Int, _ gone: Int)
}

/// Sparse sums (sorted columns), scored by scattering into a dense V-float scratch.
struct SparseStorySums: StorySums {
    var columns: [[Int32]]
    var values: [[Float]]
    var scratch: [Float]

    init(_ rows: CSRMatrix) {
        columns = (0..<rows.rowCount).map { Array(rows.columns[rows.rowStarts[$0]..<rows.rowStarts[$0 + 1]]) }
        values = (0..<rows.rowCount).map { Array(rows.values[rows.rowStarts[$0]..<rows.rowStarts[$0 + 1]]) }
        scratch = [Float](repeating: 0, count: rows.columnCount)
    }

    mutating func linkage(_ story: Int, _ others: [Int]) -> [Float] {
        for (column, value) in zip(columns[story], values[story]) { scratch[Int(column)] = value }
        let result = others.map { other -> Float in
            var dot: Float = 0
            for (column, value) in zip(columns[other], values[other]) { dot += value * scratch[Int(column)] }
            return dot
        }
        for column in columns[story] { scratch[Int(column)] = 0 }
        return result
    }

    mutating func merge(_ keep: Int, _ gone: Int) {
        (columns[keep], values[keep]) = StoryClustering.addSparse(columns[keep], values[keep], columns[gone], values[gone])
        columns[gone] = []
        values[gone] = []
    }
}

/// Dense sums (n×d, updated in place).
struct DenseStorySums: StorySums {
    var sums: DenseMatrix

    init(_ vectors: DenseMatrix) { sums = vectors }

    mutating func linkage(_ story: Int, _ others: [Int]) -> [Float] {
        let d = sums.columnCount
        return sums.values.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            return others.map { other in
                var dot: Float = 0
                for j in 0..<d { dot += base[story * d + j] * base[other * d + j] }
                return dot
            }
        }
    }

    mutating func merge(_ keep: Int, _ gone: Int) {
        let d = sums.columnCount
        sums.values.withUnsafeMutableBufferPointer { buffer in
            for j in 0..<d { buffer[keep * d + j] += buffer[gone * d + j] }
        }
    }
}
