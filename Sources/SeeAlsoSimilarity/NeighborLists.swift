import SeeAlsoSupport

/// SeeAlso's one tie order for ranked items: score descending, then item (article) order ascending.
/// Heaps, candidate lists, related lists and k-means centroid choices all rank with it, so every list
/// is deterministic whatever the threads, tiling or method that produced it.
package enum RankOrder {
    /// Whether `(scoreA, idA)` ranks before `(scoreB, idB)`: higher score first, then lower id.
    @inlinable @inline(__always)
    package static func precedes<ID: Comparable>(_ scoreA: Float, _ idA: ID, _ scoreB: Float, _ idB: ID) -> Bool {
        scoreA > scoreB || (scoreA == scoreB && idA < idB)
    }
}

/// The k most similar items of every row: ids and scores, best first.
///
/// Order is deterministic (`RankOrder`). Rows with fewer than k candidates (scores above the floor)
/// are padded with id -1 and score 0. Memory: 8 · rows · k bytes.
package struct NeighborLists: Sendable, Equatable {
    package let rowCount: Int
    package let k: Int
    /// `ids[r * k + i]` is row r's i-th neighbour (−1 = none).
    package var ids: [Int32]
    package var scores: [Float]

    package init(rowCount: Int, k: Int, ids: [Int32], scores: [Float]) {
        precondition(ids.count == rowCount * k && scores.count == ids.count, "NeighborLists: inconsistent sizes")
        self.rowCount = rowCount
        self.k = k
        self.ids = ids
        self.scores = scores
    }

    /// Row `row`'s neighbours as (id, score) pairs, best first, without padding.
    package func neighbors(of row: Int) -> [(id: Int, score: Float)] {
        var result: [(id: Int, score: Float)] = []
        for slot in row * k..<(row + 1) * k where ids[slot] >= 0 {
            result.append((Int(ids[slot]), scores[slot]))
        }
        return result
    }

    /// The first `width` (≤ k) neighbours of every row.
    package func truncated(to width: Int) -> NeighborLists {
        precondition(width <= k, "NeighborLists.truncated: \(width) > k = \(k)")
        guard width < k else { return self }
        var keptIds = [Int32]()
        var keptScores = [Float]()
        keptIds.reserveCapacity(rowCount * width)
        keptScores.reserveCapacity(rowCount * width)
        for row in 0..<rowCount {
            keptIds.append(contentsOf: ids[row * k..<row * k + width])
            keptScores.append(contentsOf: scores[row * k..<row * k + width])
        }
        return NeighborLists(rowCount: rowCount, k: width, ids: keptIds, scores: keptScores)
    }

    /// The lists of `rows`, in that order.
    package func selecting(_ rows: [Int]) -> NeighborLists {
        var keptIds = [Int32]()
        var keptScores = [Float]()
        keptIds.reserveCapacity(rows.count * k)
        keptScores.reserveCapacity(rows.count * k)
        for row in rows {
            keptIds.append(contentsOf: ids[row * k..<(row + 1) * k])
            keptScores.append(contentsOf: scores[row * k..<(row + 1) * k])
        }
        return NeighborLists(rowCount: rows.count, k: k, ids: keptIds, scores: keptScores)
    }

    /// Replaces the lists of `rows` (in that order) with those of `replacement` (at most k long). O(rows · k).
    package mutating func replace(_ rows: [Int], with replacement: NeighborLists) {
        precondition(replacement.rowCount == rows.count && replacement.k <= k, "NeighborLists.replace: sizes disagree")
        for (position, row) in rows.enumerated() {
            for slot in 0..<k {
                let from = position * replacement.k + slot
                ids[row * k + slot] = slot < replacement.k ? replacement.ids[from] : -1
                scores[row * k + slot] = slot < replacement.k ? replacement.scores[from] : 0
            }
        }
    }

    /// The live rows (not in `deleted`) whose lists hold a row of `deleted`, in increasing order. O(rows · k).
    package func rows(listing deleted: RowSet) -> [Int] {
        guard !deleted.isEmpty else { return [] }
        return (0..<rowCount).filter { row in
            !deleted.contains(row) && ids[row * k..<(row + 1) * k].contains { $0 >= 0 && deleted.contains(Int($0)) }
        }
    }
}

/// Bounded heaps, one per row, that keep the k best (score, id) candidates seen so far.
///
/// Each heap is a min-heap on rank (its root is the worst kept candidate), stored in flat arrays.
/// `floor` is the lowest score that may enter (candidates must score strictly above it).
/// Push is O(log k); `threshold(row)` is the score a candidate must beat, for cheap prefiltering.
/// Candidate rows of every query, unranked: their ids alone, since re-ranking scores each canonically
/// (`CandidateScoring.rerank`). `k` slots per query, −1 = none. Memory: 4 · rows · k bytes.
package struct CandidateIDs: Sendable {
    package let rowCount: Int
    package let k: Int
    /// `ids[q * k ..< (q + 1) * k]` are query q's candidates.
    package let ids: [Int32]

    /// The ids of `lists` (their scores are not needed).
    package init(_ lists: NeighborLists) {
        rowCount = lists.rowCount
        k = lists.k
        ids = lists.ids
    }

    /// The ids each heap kept, in heap order.
    package init(_ heaps: TopKHeaps) {
        rowCount = heaps.rowCount
        k = heaps.k
        var ids = [Int32](repeating: -1, count: heaps.rowCount * heaps.k)
        for row in 0..<heaps.rowCount {
            var slot = row * heaps.k
            heaps.forEachID(row: row) { id in
                ids[slot] = id
                slot += 1
            }
        }
        self.ids = ids
    }

    /// Query `row`'s candidates.
    package func candidates(of row: Int) -> ArraySlice<Int32> { ids[row * k..<(row + 1) * k] }
}

package struct TopKHeaps: @unchecked Sendable {
    package let rowCount: Int
    package let k: Int
    package let floor: Float
    private(set) var ids: UnsafeMutablePointer<Int32>
    private(set) var scores: UnsafeMutablePointer<Float>
    private(set) var counts: UnsafeMutablePointer<Int32>
    private let owner: HeapStorage

    package init(rowCount: Int, k: Int, floor: Float = 0) {
        precondition(k >= 1, "TopKHeaps: k must be ≥ 1")
        self.rowCount = rowCount
        self.k = k
        self.floor = floor
        owner = HeapStorage(count: rowCount * k, rows: rowCount)
        ids = owner.ids
        scores = owner.scores
        counts = owner.counts
    }

    /// The lowest score a new candidate for `row` can enter with (ties are then broken by id inside
    /// `push`): just above the floor while the heap has room, else the worst kept score.
    @inline(__always)
    package func threshold(_ row: Int) -> Float {
        Int(counts[row]) < k ? floor.nextUp : scores[row * k]
    }

    /// Offers (score, id) to `row`'s heap. Safe from several threads only for distinct rows.
    @inline(__always)
    package func push(row: Int, id: Int32, score: Float) {
        guard score > floor else { return }
        let base = row * k
        let count = Int(counts[row])
        if count < k {
            // Sift up from the end.
            var child = count
            while child > 0 {
                let parent = (child - 1) / 2
                // Parent must be worse-or-equal than child for a min-heap on rank.
                guard RankOrder.precedes(scores[base + parent], ids[base + parent], score, id) else { break }
                scores[base + child] = scores[base + parent]
                ids[base + child] = ids[base + parent]
                child = parent
            }
            scores[base + child] = score
            ids[base + child] = id
            counts[row] = Int32(count + 1)
            return
        }
        // Full: replace the root (the worst) if the candidate ranks before it.
        guard RankOrder.precedes(score, id, scores[base], ids[base]) else { return }
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < k else { break }
            var worst = left
            let right = left + 1
            if right < k && RankOrder.precedes(scores[base + left], ids[base + left], scores[base + right], ids[base + right]) {
                worst = right
            }
            // The worse child moves up while it ranks below the candidate.
            guard RankOrder.precedes(score, id, scores[base + worst], ids[base + worst]) else { break }
            scores[base + parent] = scores[base + worst]
            ids[base + parent] = ids[base + worst]
            parent = worst
        }
        scores[base + parent] = score
        ids[base + parent] = id
    }

    /// Empties `row`'s heap (for a heap reused row after row).
    @inline(__always)
    package func clear(row: Int) { counts[row] = 0 }

    /// Appends `row`'s kept ids to `target` in heap order (unranked: for callers that only need the set).
    package func appendIDs(row: Int, to target: inout [Int32]) {
        target.append(contentsOf: UnsafeBufferPointer(start: ids + row * k, count: Int(counts[row])))
    }

    /// Calls `body` with each of `row`'s kept ids, in heap order.
    package func forEachID(row: Int, _ body: (Int32) -> Void) {
        for slot in row * k..<row * k + Int(counts[row]) { body(ids[slot]) }
    }

    /// `row`'s kept candidates best first (unpadded).
    package func sorted(row: Int) -> [(id: Int32, score: Float)] {
        let base = row * k
        var pairs = (0..<Int(counts[row])).map { (id: ids[base + $0], score: scores[base + $0]) }
        pairs.sort { RankOrder.precedes($0.score, $0.id, $1.score, $1.id) }
        return pairs
    }

    /// Sorts every heap best-first and returns the lists (padded with −1 / 0).
    package func lists() -> NeighborLists {
        var outIds = [Int32](repeating: -1, count: rowCount * k)
        var outScores = [Float](repeating: 0, count: rowCount * k)
        for row in 0..<rowCount {
            let base = row * k
            for (index, pair) in sorted(row: row).enumerated() {
                outIds[base + index] = pair.id
                outScores[base + index] = pair.score
            }
        }
        return NeighborLists(rowCount: rowCount, k: k, ids: outIds, scores: outScores)
    }
}

private final class HeapStorage: @unchecked Sendable {
    let ids: UnsafeMutablePointer<Int32>
    let scores: UnsafeMutablePointer<Float>
    let counts: UnsafeMutablePointer<Int32>

    init(count: Int, rows: Int) {
        ids = .allocate(capacity: max(1, count))
        scores = .allocate(capacity: max(1, count))
        counts = .allocate(capacity: max(1, rows))
        counts.initialize(repeating: 0, count: max(1, rows))
    }

    deinit {
        ids.deallocate()
        scores.deallocate()
        counts.deallocate()
    }
}

/// Scans a row of scores and offers those above the row's threshold to its heap, skipping `excluded`.
///
/// Sixteen scores are compared at a time (two SIMD8 compares against a broadcast of the current
/// threshold, taken into a constant first — a loop-variant broadcast makes Swift's SIMD code
/// collapse into per-lane stores); only blocks with a candidate are looked at one by one, so a
/// typical row costs about 0.2 ns per score.
@inline(__always)
func collectCandidates(
    _ scores: UnsafePointer<Float>, count: Int, firstId: Int, into heaps: TopKHeaps, row: Int, excluded: Int
) {
    var threshold = heaps.threshold(row)
    var index = 0
    let raw = UnsafeRawPointer(scores)
    while index + 16 <= count {
        let current = threshold
        let broadcast = SIMD8<Float>(repeating: current)
        let low = raw.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
        let high = raw.loadUnaligned(fromByteOffset: index * 4 + 32, as: SIMD8<Float>.self)
        if any((low .>= broadcast) .| (high .>= broadcast)) {
            for lane in 0..<16 where scores[index + lane] >= threshold {
                let id = firstId + index + lane
                guard id != excluded else { continue }
                heaps.push(row: row, id: Int32(id), score: scores[index + lane])
                threshold = heaps.threshold(row)
            }
        }
        index += 16
    }
    while index < count {
        if scores[index] >= threshold, firstId + index != excluded {
            heaps.push(row: row, id: Int32(firstId + index), score: scores[index])
            threshold = heaps.threshold(row)
        }
        index += 1
    }
}
