import Foundation
import SeeAlsoSupport

/// The steps of `SphericalKMeans`: assignment, centroid update, empty-cluster relocation, seeding.
extension SphericalKMeans {
    // MARK: Assignment

    /// The best centroid of every row (largest inner product, ties to the lowest index) and that value.
    /// Cost: one score block pass (see `VectorRows.forEachScoreBlock`) plus O(n·k) for the argmax.
    package static func assign(_ rows: VectorRows, to centroids: DenseMatrix) -> (assignments: [Int32], similarities: [Float]) {
        let n = rows.count, k = centroids.rowCount
        precondition(k >= 1, "SphericalKMeans.assign: no centroids")
        var assignments = [Int32](repeating: 0, count: n)
        var similarities = [Float](repeating: 0, count: n)
        guard n > 0 else { return (assignments, similarities) }
        assignments.withUnsafeMutableBufferPointer { labelBuffer in
            similarities.withUnsafeMutableBufferPointer { simBuffer in
                let labels = SharedMutablePointer(labelBuffer.baseAddress!)
                let sims = SharedMutablePointer(simBuffer.baseAddress!)
                rows.forEachScoreBlock(centroids) { range, block in
                    for (offset, row) in range.enumerated() {
                        let scores = block + offset * k
                        var best = 0
                        var bestValue = scores[0]
                        // A strict-greater scan: ties go to the lowest index.
                        for c in 1..<max(1, k) where scores[c] > bestValue {
                            best = c
                            bestValue = scores[c]
                        }
                        labels[row] = Int32(best)
                        sims[row] = bestValue
                    }
                }
            }
        }
        return (assignments, similarities)
    }

    // MARK: Update

    /// Centroid c ← (Σ members) / ‖Σ members‖, summed in Double in row order; clusters with no members or
    /// a zero sum keep their centroid. Parallel over contiguous ranges of clusters.
    /// Cost O(n·d) dense or O(nnz + k·V) sparse; scratch d Doubles per worker.
    static func updateCentroids(_ rows: VectorRows, assignments: [Int32], centroids: inout DenseMatrix) {
        let k = centroids.rowCount, d = rows.dimension
        let members = Buckets(count: k, keys: assignments)
        centroids.values.withUnsafeMutableBufferPointer { centroidBuffer in
            let target = SharedMutablePointer(centroidBuffer.baseAddress!)
            Parallelism.forEachRange(k) { clusters, _ in
                let sum = UnsafeMutablePointer<Double>.allocate(capacity: d)
                defer { sum.deallocate() }
                for cluster in clusters where members.size(cluster) > 0 {
                    sum.update(repeating: 0, count: d)
                    for row in members.rows(cluster) { rows.add(Int(row), into: sum) }
                    var norm: Double = 0
                    for j in 0..<d { norm += sum[j] * sum[j] }
                    guard norm > 0 else { continue }
                    let scale = 1 / norm.squareRoot()
                    let centroid = target.base + cluster * d
                    for j in 0..<d { centroid[j] = Float(sum[j] * scale) }
                }
            }
        }
    }

    /// Gives every empty cluster the row farthest from its centroid (lowest similarity, ties by row)
    /// among clusters with at least two members; the row moves to the empty cluster, whose centroid
    /// becomes that (normalised) row. Returns how many clusters were re-seeded.
    static func relocateEmptyClusters(_ rows: VectorRows, assignments: inout [Int32], similarities: inout [Float],
                                      centroids: inout DenseMatrix) -> Int {
        let k = centroids.rowCount, d = rows.dimension
        var sizes = [Int](repeating: 0, count: k)
        for cluster in assignments where cluster >= 0 { sizes[Int(cluster)] += 1 }
        let empty = (0..<k).filter { sizes[$0] == 0 }
        guard !empty.isEmpty else { return 0 }
        let order = similarities.indices.sorted { (similarities[$0], $0) < (similarities[$1], $1) }
        var next = 0, relocated = 0
        for cluster in empty {
            while next < order.count && sizes[Int(assignments[order[next]])] < 2 { next += 1 }
            guard next < order.count else { break }
            let row = order[next]
            next += 1
            sizes[Int(assignments[row])] -= 1
            assignments[row] = Int32(cluster)
            sizes[cluster] = 1
            let norm = centroids.values.withUnsafeMutableBufferPointer { buffer -> Float in
                let centroid = buffer.baseAddress! + cluster * d
                rows.copyRow(row, into: centroid)
                var sum: Float = 0
                for j in 0..<d { sum += centroid[j] * centroid[j] }
                normalize(centroid, count: d)
                return sum.squareRoot()
            }
            similarities[row] = norm
            relocated += 1
        }
        return relocated
    }

    // MARK: Seeding

    /// Greedy k-means++ seeds (k unit rows) drawn from a seeded sample of at most `sampleSize` rows.
    ///
    /// Step 1 picks a uniform sample row. Each later step draws 2 + ⌊ln k⌋ candidates with probability
    /// proportional to D(x) = min over chosen c of (2 − 2·x·c) and keeps the one minimising
    /// Σ min(D(x), 2 − 2·x·candidate). When every D is 0 (fewer distinct rows than k) the next unused
    /// sample row is taken. Cost ≈ (2 + ln k)·k score passes over the sample with 1–(2 + ln k) centroids.
    package static func seedCentroids(_ rows: VectorRows, count k: Int, seed: UInt64, sampleSize: Int) -> DenseMatrix {
        let n = rows.count, d = rows.dimension
        precondition(k >= 1 && k <= n, "SphericalKMeans.seedCentroids: need 1 ≤ k ≤ n")
        var random = SplitMix64(seed: seed, stream: 0x5EED)
        let s = max(k, min(n, sampleSize))
        let sample = s < n ? rows.subset(random.sampleIndices(s, from: n)) : rows

        let trials = 2 + Int(log(Double(k)))
        var centroids = DenseMatrix(rowCount: k, columnCount: d)
        var used = [Bool](repeating: false, count: s)
        var distances = [Float](repeating: 0, count: s)
        var prefix = [Double](repeating: 0, count: s)

        /// The candidates as unit centroids, and their scores against every sample row (s × count).
        func score(_ candidates: [Int]) -> (DenseMatrix, [Float]) {
            var chosen = DenseMatrix(rowCount: candidates.count, columnCount: d)
            chosen.values.withUnsafeMutableBufferPointer { buffer in
                for (position, row) in candidates.enumerated() {
                    let target = buffer.baseAddress! + position * d
                    sample.copyRow(row, into: target)
                    normalize(target, count: d)
                }
            }
            return (chosen, sample.scoreMatrix(chosen))
        }

        func take(_ chosen: DenseMatrix, _ index: Int, row: Int, as cluster: Int) {
            centroids.values.replaceSubrange(cluster * d..<(cluster + 1) * d, with: chosen.row(index))
            used[row] = true
        }

        let first = random.nextIndex(below: s)
        let (firstChosen, firstScores) = score([first])
        take(firstChosen, 0, row: first, as: 0)
        for row in 0..<s { distances[row] = max(0, 2 - 2 * firstScores[row]) }
        var nextUnused = 0
        for cluster in 1..<max(1, k) {
            var total: Double = 0
            for row in 0..<s {
                total += Double(distances[row])
                prefix[row] = total
            }
            var candidates = [Int]()
            if total > 0 {
                for _ in 0..<trials {
                    let target = random.nextOpenUnit() * total
                    var low = 0, high = s - 1
                    while low < high {
                        let middle = (low + high) / 2
                        if prefix[middle] < target { low = middle + 1 } else { high = middle }
                    }
                    // Never pick a zero-distance row (e.g. one already chosen) through rounding.
                    while low < s - 1 && distances[low] == 0 { low += 1 }
                    candidates.append(low)
                }
            } else {
                while nextUnused < s && used[nextUnused] { nextUnused += 1 }
                candidates.append(nextUnused < s ? nextUnused : 0)
            }
            let (chosen, scores) = score(candidates)
            let count = candidates.count
            var bestCandidate = 0
            if count > 1 {
                let potentials = blockPotentials(distances: distances, scores: scores, candidates: count)
                for candidate in 1..<count where potentials[candidate] < potentials[bestCandidate] {
                    bestCandidate = candidate
                }
            }
            take(chosen, bestCandidate, row: candidates[bestCandidate], as: cluster)
            for row in 0..<s {
                distances[row] = min(distances[row], max(0, 2 - 2 * scores[row * count + bestCandidate]))
            }
        }
        return centroids
    }

    /// Σ_rows min(D(row), 2 − 2·S[row, t]) for every candidate t, as Double partial sums over fixed blocks
    /// of 4096 rows added in block order (deterministic for any worker count).
    private static func blockPotentials(distances: [Float], scores: [Float], candidates count: Int) -> [Double] {
        let s = distances.count
        let blockSize = 4096
        let blockCount = (s + blockSize - 1) / blockSize
        var partial = [Double](repeating: 0, count: blockCount * count)
        partial.withUnsafeMutableBufferPointer { partialBuffer in
            let out = SharedMutablePointer(partialBuffer.baseAddress!)
            Parallelism.forEach(blockCount) { block in
                let lower = block * blockSize, upper = min(s, lower + blockSize)
                for candidate in 0..<count {
                    var sum: Double = 0
                    for row in lower..<upper {
                        sum += Double(min(distances[row], max(0, 2 - 2 * scores[row * count + candidate])))
                    }
                    out[block * count + candidate] = sum
                }
            }
        }
        var totals = [Double](repeating: 0, count: count)
        for block in 0..<blockCount {
            for candidate in 0..<count { totals[candidate] += partial[block * count + candidate] }
        }
        return totals
    }
}

/// Rows grouped by key, each group in increasing row order (a counting sort). Negative keys are left out.
/// O(n + count) time; 4·n + 8·count bytes.
package struct Buckets: Sendable {
    package let starts: [Int]
    package let items: [Int32]

    /// Groups rows 0..<keys.count by `keys[row]` (in 0..<count, or negative for none).
    package init(count: Int, keys: [Int32]) {
        self.init(count: count, pairs: keys.enumerated().lazy.filter { $0.element >= 0 }.map { (Int($0.element), Int32($0.offset)) })
    }

    /// Groups the items of `(key, item)` pairs by key, keeping their order within a key.
    package init(count: Int, pairs: some Collection<(Int, Int32)>) {
        var starts = [Int](repeating: 0, count: count + 1)
        for (key, _) in pairs { starts[key + 1] += 1 }
        for key in 0..<count { starts[key + 1] += starts[key] }
        var next = starts
        var items = [Int32](repeating: 0, count: starts[count])
        for (key, item) in pairs {
            items[next[key]] = item
            next[key] += 1
        }
        self.starts = starts
        self.items = items
    }

    package func rows(_ key: Int) -> ArraySlice<Int32> { items[starts[key]..<starts[key + 1]] }
    package func size(_ key: Int) -> Int { starts[key + 1] - starts[key] }
}
