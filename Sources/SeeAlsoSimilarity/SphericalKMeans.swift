import Foundation
import SeeAlsoBLAS
import SeeAlsoSupport

/// Spherical k-means (Dhillon & Modha 2001) on L2-normalised dense rows: clusters maximise the mean
/// cosine between each point and its centroid, and centroids are normalised means. Used for the IVF
/// partitions of the dense index and for topic clustering.
///
/// - Seeding: greedy k-means++ (Arthur & Vassilvitskii 2007, with 2 + ⌊ln k⌋ candidate draws per step
///   keeping the one that lowers the potential most, as scikit-learn does) under the squared chordal
///   distance ‖x − c‖² = 2 − 2·cos(x, c); on a seeded sample of the rows when n is large.
/// - Lloyd iterations: assignment = argmax of X·Cᵀ computed by one `sgemm` per fixed block of rows (blocks
///   spread over workers, OpenBLAS at one thread), update = normalised mean of each cluster's members.
///   Empty clusters take the points farthest from their centroids (lowest cosine, ties by row index),
///   never emptying another cluster. Stops after `maxIterations` updates, when the assignment no longer
///   changes, or when the objective (mean cosine) improves by less than `tolerance` relative.
/// - Mini-batch variant (Sculley 2010): per-sample gradient steps with per-centroid learning rate
///   1/(points seen by that centroid), then renormalisation, on seeded random batches.
///
/// Determinism: block boundaries depend only on n and k, every sum runs in a fixed order and all random
/// choices come from seeded SplitMix64 streams, so results are bit-identical for any worker count and run
/// (given a fixed OpenBLAS thread count; these functions pin it to 1 when it is not).
///
/// Cost per Lloyd iteration: 2·n·k·d FLOPs of sgemm (≈ 80 GFLOP/s per worker here) + O(n·d) for the update;
/// memory: the n assignments and similarities (8·n bytes), k×d centroids and a block×k scratch per worker
/// (≤ 4 MB). Seeding costs about 2·(2 + ln k)·k·s·d FLOPs for a sample of s rows.
public enum SphericalKMeans {
    public struct Configuration: Sendable {
        /// k ≥ 1, at most the number of points.
        public var clusterCount: Int
        /// Maximum number of centroid updates (Lloyd iterations).
        public var maxIterations: Int
        /// Stop when (objective − previous objective) < tolerance · |previous objective|.
        public var tolerance: Double
        public var seed: UInt64
        /// Rows used for k-means++ seeding; nil means min(n, max(20 000, 20·k)).
        public var seedingSampleSize: Int?

        public init(clusterCount: Int, maxIterations: Int = 100, tolerance: Double = 1e-4, seed: UInt64 = 0,
                    seedingSampleSize: Int? = nil) {
            self.clusterCount = clusterCount
            self.maxIterations = maxIterations
            self.tolerance = tolerance
            self.seed = seed
            self.seedingSampleSize = seedingSampleSize
        }
    }

    public struct MiniBatchConfiguration: Sendable {
        public var clusterCount: Int
        /// Points per batch (drawn with replacement).
        public var batchSize: Int
        /// Maximum number of batches.
        public var maxBatches: Int
        /// Stop after this many batches without improvement of the smoothed batch objective
        /// (exponential moving average with weight 2·batchSize/(n + 1), as scikit-learn).
        public var patience: Int
        public var seed: UInt64
        /// Rows used for k-means++ seeding; nil means min(n, max(3·batchSize, 20·k)).
        public var seedingSampleSize: Int?

        public init(clusterCount: Int, batchSize: Int = 1024, maxBatches: Int = 1000, patience: Int = 20,
                    seed: UInt64 = 0, seedingSampleSize: Int? = nil) {
            self.clusterCount = clusterCount
            self.batchSize = batchSize
            self.maxBatches = maxBatches
            self.patience = patience
            self.seed = seed
            self.seedingSampleSize = seedingSampleSize
        }
    }

    public struct Result: Sendable {
        /// k×d, unit rows (a cluster whose members sum to zero keeps its previous centroid).
        public var centroids: DenseMatrix
        /// The cluster of each point (argmax of cosine, ties to the lowest cluster index).
        public var assignments: [Int32]
        /// Cosine of each point with its assigned centroid.
        public var similarities: [Float]
        /// Mean cosine to the assigned centroid (the spherical k-means objective), for the returned state.
        public var objective: Double
        /// The objective after each assignment step (Lloyd: non-decreasing up to rounding; mini-batch:
        /// each batch's mean cosine before its update).
        public var objectiveHistory: [Double]
        /// Centroid updates performed (Lloyd iterations or batches).
        public var iterations: Int
        /// Whether a stopping rule other than the iteration limit ended the run.
        public var converged: Bool
        /// How many times an empty cluster was re-seeded from a far point.
        public var reseededClusters: Int

        /// Members per cluster.
        public var clusterSizes: [Int] {
            var sizes = [Int](repeating: 0, count: centroids.rowCount)
            for cluster in assignments { sizes[Int(cluster)] += 1 }
            return sizes
        }
    }

    // MARK: Lloyd

    /// Batch spherical k-means with k-means++ seeding. `points` rows should have unit L2 norm.
    public static func fit(_ points: DenseMatrix, configuration: Configuration) -> Result {
        let n = points.rowCount, k = configuration.clusterCount
        precondition(k >= 1 && k <= n, "SphericalKMeans: need 1 ≤ k ≤ n, got k = \(k), n = \(n)")
        precondition(points.columnCount >= 1, "SphericalKMeans: points need at least one column")
        pinBLAS()
        let sampleSize = configuration.seedingSampleSize ?? max(20_000, 20 * k)
        var centroids = seedCentroids(points, count: k, seed: configuration.seed, sampleSize: sampleSize)

        var history = [Double]()
        var previous: [Int32]? = nil
        var iterations = 0, reseeded = 0
        var converged = false
        var assignments = [Int32](), similarities = [Float]()
        while true {
            (assignments, similarities) = assign(points, to: centroids)
            let objective = mean(similarities)
            if let last = history.last {
                if assignments == previous || objective - last < configuration.tolerance * abs(last) {
                    history.append(objective)
                    converged = true
                    break
                }
            }
            history.append(objective)
            if iterations >= configuration.maxIterations { break }
            reseeded += relocateEmptyClusters(points, assignments: &assignments, similarities: &similarities,
                                              centroids: &centroids)
            updateCentroids(points, assignments: assignments, centroids: &centroids)
            previous = assignments
            iterations += 1
        }
        reseeded += relocateEmptyClusters(points, assignments: &assignments, similarities: &similarities,
                                          centroids: &centroids)
        return Result(centroids: centroids, assignments: assignments, similarities: similarities,
                      objective: mean(similarities), objectiveHistory: history, iterations: iterations,
                      converged: converged, reseededClusters: reseeded)
    }

    // MARK: Mini-batch

    /// Mini-batch spherical k-means (Sculley 2010) for large n, then one full assignment pass.
    ///
    /// Each batch: draw `batchSize` rows with replacement, assign them to the current centroids, then for
    /// each drawn point x in order, with c its centroid and v_c the points c has absorbed so far:
    /// v_c += 1, c ← (1 − 1/v_c)·c + (1/v_c)·x; finally renormalise the touched centroids.
    /// Cost per batch: 2·b·k·d FLOPs + O(b·d); the final pass costs one Lloyd assignment.
    public static func fitMiniBatch(_ points: DenseMatrix, configuration: MiniBatchConfiguration) -> Result {
        let n = points.rowCount, k = configuration.clusterCount, d = points.columnCount
        precondition(k >= 1 && k <= n, "SphericalKMeans: need 1 ≤ k ≤ n, got k = \(k), n = \(n)")
        precondition(d >= 1 && configuration.batchSize >= 1, "SphericalKMeans: bad shape or batch size")
        pinBLAS()
        let batchSize = configuration.batchSize
        let sampleSize = configuration.seedingSampleSize ?? max(3 * batchSize, 20 * k)
        var centroids = seedCentroids(points, count: k, seed: configuration.seed, sampleSize: sampleSize)
        var random = ReductionRandom(seed: configuration.seed, stream: 0xBA7C_4E5)
        var counts = [Double](repeating: 0, count: k)
        var batch = DenseMatrix(rowCount: batchSize, columnCount: d)
        var indices = [Int](repeating: 0, count: batchSize)
        var touched = [Bool](repeating: false, count: k)
        var history = [Double]()
        var stopping = MiniBatchStopping(batchSize: batchSize, rowCount: n, patience: configuration.patience)
        var batches = 0
        var converged = false
        while batches < configuration.maxBatches {
            for slot in 0..<batchSize { indices[slot] = random.nextIndex(below: n) }
            points.values.withUnsafeBufferPointer { source in
                batch.values.withUnsafeMutableBufferPointer { target in
                    for slot in 0..<batchSize {
                        (target.baseAddress! + slot * d).update(from: source.baseAddress! + indices[slot] * d, count: d)
                    }
                }
            }
            let (labels, sims) = assign(batch, to: centroids)
            let objective = mean(sims)
            history.append(objective)
            centroids.values.withUnsafeMutableBufferPointer { centroidBuffer in
                batch.values.withUnsafeBufferPointer { batchBuffer in
                    for slot in 0..<batchSize {
                        let cluster = Int(labels[slot])
                        counts[cluster] += 1
                        let rate = Float(1 / counts[cluster]), keep = 1 - rate
                        let c = centroidBuffer.baseAddress! + cluster * d
                        let x = batchBuffer.baseAddress! + slot * d
                        for j in 0..<d { c[j] = keep * c[j] + rate * x[j] }
                        touched[cluster] = true
                    }
                    for cluster in 0..<k where touched[cluster] {
                        normalize(centroidBuffer.baseAddress! + cluster * d, count: d)
                        touched[cluster] = false
                    }
                }
            }
            batches += 1
            if stopping.shouldStop(after: objective) {
                converged = true
                break
            }
        }
        var (assignments, similarities) = assign(points, to: centroids)
        var reseeded = relocateEmptyClusters(points, assignments: &assignments, similarities: &similarities,
                                             centroids: &centroids)
        if reseeded > 0 {
            (assignments, similarities) = assign(points, to: centroids)
            reseeded += relocateEmptyClusters(points, assignments: &assignments, similarities: &similarities,
                                              centroids: &centroids)
        }
        return Result(centroids: centroids, assignments: assignments, similarities: similarities,
                      objective: mean(similarities), objectiveHistory: history, iterations: batches,
                      converged: converged, reseededClusters: reseeded)
    }

    // MARK: Assignment

    /// The best centroid (largest inner product, ties to the lowest index) of every row, and that inner
    /// product. Cost 2·n·k·d FLOPs in one sgemm per fixed block of rows, blocks spread over workers.
    public static func assign(_ points: DenseMatrix, to centroids: DenseMatrix) -> (assignments: [Int32], similarities: [Float]) {
        precondition(points.columnCount == centroids.columnCount, "SphericalKMeans.assign: dimension mismatch")
        let n = points.rowCount, k = centroids.rowCount
        precondition(k >= 1, "SphericalKMeans.assign: no centroids")
        pinBLAS()
        var assignments = [Int32](repeating: 0, count: n)
        var similarities = [Float](repeating: 0, count: n)
        assignments.withUnsafeMutableBufferPointer { labelBuffer in
            similarities.withUnsafeMutableBufferPointer { simBuffer in
                guard n > 0 else { return }
                let labels = SharedMutablePointer(labelBuffer.baseAddress!)
                let sims = SharedMutablePointer(simBuffer.baseAddress!)
                forEachSimilarityBlock(points, centroids) { rows, block in
                    for (offset, row) in rows.enumerated() {
                        let (best, bestValue) = argmax(block + offset * k, count: k)
                        labels[row] = Int32(best)
                        sims[row] = bestValue
                    }
                }
            }
        }
        return (assignments, similarities)
    }

    /// The first index of the largest value and that value (a strict-greater scan: ties go to the lowest
    /// index). About 0.5 ns per element; Swift's generic SIMD16 `pointwiseMax` measured
    /// 15× slower here, so the plain loop stays.
    @inline(__always)
    static func argmax(_ values: UnsafeMutablePointer<Float>, count: Int) -> (Int, Float) {
        var best = 0
        var bestValue = values[0]
        for index in 1..<max(1, count) where values[index] > bestValue {
            best = index
            bestValue = values[index]
        }
        return (best, bestValue)
    }

    /// Rows per sgemm block: depends only on k (never on the worker count) so results are reproducible.
    public static func blockRows(centroidCount k: Int) -> Int {
        max(64, min(4096, (1 << 20) / max(1, k)))
    }

    /// For fixed blocks of rows, computes S = block·Cᵀ (rows×k, row-major) with one sgemm and hands it to
    /// `body` on the same worker. Blocks are distributed over workers in contiguous ranges.
    public static func forEachSimilarityBlock(_ points: DenseMatrix, _ centroids: DenseMatrix,
                                              _ body: @Sendable (Range<Int>, UnsafeMutablePointer<Float>) -> Void) {
        let n = points.rowCount, k = centroids.rowCount, d = points.columnCount
        guard n > 0, k > 0 else { return }
        let rowsPerBlock = blockRows(centroidCount: k)
        let blockCount = (n + rowsPerBlock - 1) / rowsPerBlock
        points.values.withUnsafeBufferPointer { pointBuffer in
            centroids.values.withUnsafeBufferPointer { centroidBuffer in
                let source = SharedPointer(pointBuffer.baseAddress!)
                let centers = SharedPointer(centroidBuffer.baseAddress!)
                Parallelism.forEachRange(blockCount) { blocks, _ in
                    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: rowsPerBlock * k)
                    defer { scratch.deallocate() }
                    for block in blocks {
                        let lower = block * rowsPerBlock, upper = min(n, lower + rowsPerBlock)
                        BLAS.sgemm(transposeB: true, m: upper - lower, n: k, k: d,
                                   a: source.base + lower * d, lda: d, b: centers.base, ldb: d,
                                   c: scratch, ldc: k)
                        body(lower..<upper, scratch)
                    }
                }
            }
        }
    }

    // MARK: Update

    /// Centroid c ← (Σ of its members) / ‖Σ of its members‖, summed in Double in row order; clusters with
    /// no members or a zero sum keep their centroid. Parallel over contiguous ranges of clusters.
    static func updateCentroids(_ points: DenseMatrix, assignments: [Int32], centroids: inout DenseMatrix) {
        let k = centroids.rowCount, d = points.columnCount, n = points.rowCount
        // Members of each cluster in increasing row order (counting sort).
        var starts = [Int](repeating: 0, count: k + 1)
        for cluster in assignments { starts[Int(cluster) + 1] += 1 }
        for cluster in 0..<k { starts[cluster + 1] += starts[cluster] }
        var members = [Int32](repeating: 0, count: n)
        var cursor = Array(starts.dropLast())
        for row in 0..<n {
            let cluster = Int(assignments[row])
            members[cursor[cluster]] = Int32(truncatingIfNeeded: row)
            cursor[cluster] += 1
        }
        points.values.withUnsafeBufferPointer { pointBuffer in
            centroids.values.withUnsafeMutableBufferPointer { centroidBuffer in
                members.withUnsafeBufferPointer { memberBuffer in
                    starts.withUnsafeBufferPointer { startBuffer in
                        let source = SharedPointer(pointBuffer.baseAddress!)
                        let target = SharedMutablePointer(centroidBuffer.baseAddress!)
                        let memberList = SharedPointer(memberBuffer.baseAddress!)
                        let offsets = SharedPointer(startBuffer.baseAddress!)
                        Parallelism.forEachRange(k) { clusters, _ in
                            var sum = [Double](repeating: 0, count: d)
                            for cluster in clusters {
                                let (lower, upper) = (offsets[cluster], offsets[cluster + 1])
                                guard upper > lower else { continue }
                                for j in 0..<d { sum[j] = 0 }
                                for position in lower..<upper {
                                    let row = source.base + Int(memberList[position]) * d
                                    for j in 0..<d { sum[j] += Double(row[j]) }
                                }
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
            }
        }
    }

    /// Gives every empty cluster the point farthest from its centroid (lowest similarity, ties by row
    /// index) among clusters with at least two members; the point moves to the empty cluster, whose
    /// centroid becomes that (normalised) point. Returns how many clusters were re-seeded.
    static func relocateEmptyClusters(_ points: DenseMatrix, assignments: inout [Int32], similarities: inout [Float],
                                      centroids: inout DenseMatrix) -> Int {
        let k = centroids.rowCount, d = points.columnCount
        var sizes = [Int](repeating: 0, count: k)
        for cluster in assignments { sizes[Int(cluster)] += 1 }
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
            for j in 0..<d { centroids[cluster, j] = points[row, j] }
            centroids.values.withUnsafeMutableBufferPointer { normalize($0.baseAddress! + cluster * d, count: d) }
            var dot: Float = 0
            for j in 0..<d { dot += centroids[cluster, j] * points[row, j] }
            similarities[row] = dot
            relocated += 1
        }
        return relocated
    }

    // MARK: Seeding

    /// Greedy k-means++ seeds (unit rows, k×d) drawn from a seeded sample of at most `sampleSize` rows.
    ///
    /// Step 1 picks a uniform random sample row. Each later step draws 2 + ⌊ln k⌋ candidates with
    /// probability proportional to D(x) = min over chosen c of (2 − 2·x·c), and keeps the candidate that
    /// minimises Σ min(D(x), 2 − 2·x·candidate). When every D is 0 (fewer distinct points than k) the next
    /// unused sample row is taken. Cost ≈ 2·(2 + ln k)·k·s·d FLOPs (sgemm) + O(k·s·ln k).
    public static func seedCentroids(_ points: DenseMatrix, count k: Int, seed: UInt64, sampleSize: Int) -> DenseMatrix {
        let n = points.rowCount, d = points.columnCount
        precondition(k >= 1 && k <= n, "SphericalKMeans.seedCentroids: need 1 ≤ k ≤ n")
        pinBLAS()
        var random = ReductionRandom(seed: seed, stream: 0x5EED)
        let s = max(k, min(n, sampleSize))
        let sample: DenseMatrix
        if s < n {
            // Partial Fisher–Yates, then increasing row order for sequential access.
            var pool = [Int32](repeating: 0, count: n)
            for index in 0..<n { pool[index] = Int32(truncatingIfNeeded: index) }
            for position in 0..<s {
                let other = position + random.nextIndex(below: n - position)
                pool.swapAt(position, other)
            }
            let chosenRows = pool[0..<s].sorted()
            var gathered = DenseMatrix(rowCount: s, columnCount: d)
            for (position, row) in chosenRows.enumerated() {
                let sourceBase = Int(row) * d
                for j in 0..<d { gathered.values[position * d + j] = points.values[sourceBase + j] }
            }
            sample = gathered
        } else {
            sample = points
        }

        let trials = 2 + Int(log(Double(k)))
        var centroids = DenseMatrix(rowCount: k, columnCount: d)
        var used = [Bool](repeating: false, count: s)
        var distances = [Float](repeating: 0, count: s)
        var prefix = [Double](repeating: 0, count: s)

        func copyRow(_ row: Int, to cluster: Int) {
            for j in 0..<d { centroids.values[cluster * d + j] = sample.values[row * d + j] }
            used[row] = true
        }

        let first = random.nextIndex(below: s)
        copyRow(first, to: 0)
        let firstSims = similarities(sample, candidates: [first])
        for row in 0..<s { distances[row] = max(0, 2 - 2 * firstSims.values[row]) }
        var nextUnused = 0
        for cluster in 1..<k {
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
            let sims = similarities(sample, candidates: candidates)   // s × candidates
            let count = candidates.count
            var bestCandidate = 0
            if count > 1 {
                let potentials = blockPotentials(distances: distances, similarities: sims)
                for candidate in 1..<count where potentials[candidate] < potentials[bestCandidate] {
                    bestCandidate = candidate
                }
            }
            copyRow(candidates[bestCandidate], to: cluster)
            for row in 0..<s {
                distances[row] = min(distances[row], max(0, 2 - 2 * sims.values[row * count + bestCandidate]))
            }
        }
        centroids.normalizeRows()
        return centroids
    }

    /// sample·candidatesᵀ (s × candidates.count) with one sgemm per fixed block of rows.
    private static func similarities(_ sample: DenseMatrix, candidates: [Int]) -> DenseMatrix {
        let d = sample.columnCount, count = candidates.count
        var chosen = DenseMatrix(rowCount: count, columnCount: d)
        for (position, row) in candidates.enumerated() {
            for j in 0..<d { chosen.values[position * d + j] = sample.values[row * d + j] }
        }
        var result = DenseMatrix(rowCount: sample.rowCount, columnCount: count)
        result.values.withUnsafeMutableBufferPointer { buffer in
            let output = SharedMutablePointer(buffer.baseAddress!)
            forEachSimilarityBlock(sample, chosen) { rows, block in
                (output.base + rows.lowerBound * count).update(from: block, count: rows.count * count)
            }
        }
        return result
    }

    /// Σ_rows min(D(row), 2 − 2·S[row, t]) for every candidate t, as Double partial sums over fixed blocks
    /// of 4096 rows added in block order (deterministic for any worker count).
    private static func blockPotentials(distances: [Float], similarities sims: DenseMatrix) -> [Double] {
        let s = sims.rowCount, count = sims.columnCount
        let blockSize = 4096
        let blockCount = (s + blockSize - 1) / blockSize
        var partial = [Double](repeating: 0, count: blockCount * count)
        partial.withUnsafeMutableBufferPointer { partialBuffer in
            distances.withUnsafeBufferPointer { distanceBuffer in
                sims.values.withUnsafeBufferPointer { simBuffer in
                    let out = SharedMutablePointer(partialBuffer.baseAddress!)
                    let dist = SharedPointer(distanceBuffer.baseAddress!)
                    let sim = SharedPointer(simBuffer.baseAddress!)
                    Parallelism.forEach(blockCount) { block in
                        let lower = block * blockSize, upper = min(s, lower + blockSize)
                        for candidate in 0..<count {
                            var sum: Double = 0
                            for row in lower..<upper {
                                sum += Double(min(dist[row], max(0, 2 - 2 * sim[row * count + candidate])))
                            }
                            out[block * count + candidate] = sum
                        }
                    }
                }
            }
        }
        var totals = [Double](repeating: 0, count: count)
        for block in 0..<blockCount {
            for candidate in 0..<count { totals[candidate] += partial[block * count + candidate] }
        }
        return totals
    }

    // MARK: Helpers

    private static func mean(_ values: [Float]) -> Double {
        guard !values.isEmpty else { return 0 }
        var sum: Double = 0
        for value in values { sum += Double(value) }
        return sum / Double(values.count)
    }

    private static func normalize(_ vector: UnsafeMutablePointer<Float>, count: Int) {
        var sum: Float = 0
        for j in 0..<count { sum += vector[j] * vector[j] }
        guard sum > 0 else { return }
        let scale = 1 / sum.squareRoot()
        for j in 0..<count { vector[j] *= scale }
    }

    /// Worker threads each run single-threaded sgemm; OpenBLAS must not add its own threads on top, and a
    /// fixed thread count keeps results reproducible.
    private static func pinBLAS() {
        if BLAS.threads != 1 { BLAS.setThreads(1) }
    }
}
