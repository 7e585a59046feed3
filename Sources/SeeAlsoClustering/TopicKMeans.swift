import Foundation
import SeeAlsoBLAS
import SeeAlsoSimilarity
import SeeAlsoSupport

/// Spherical k-means (Dhillon & Modha 2001) for topic clustering, on dense reduced vectors or on sparse
/// TF-IDF rows (`ClusterRows`): clusters maximise the mean cosine between each article and its centroid
/// (the objective), centroids are the normalised means of their members.
///
/// - Seeding: greedy k-means++ (Arthur & Vassilvitskii 2007; 2 + ⌊ln k⌋ candidates per step, keeping the
///   one that lowers the potential most, as scikit-learn) under the chordal distance 2 − 2·cos, on a
///   seeded sample of the rows when n is large.
/// - Lloyd iterations: assignment = argmax over centroids of X·Cᵀ (dense: one `sgemm` per fixed block of
///   rows; sparse: CSR rows × the dense V×k matrix Cᵀ), update = normalised member sums (Double, in row
///   order). A cluster left empty takes the point farthest from its centroid among clusters with ≥ 2
///   members. Stops when the assignment no longer changes, when the objective gains less than
///   `tolerance` relative, or after `maxIterations` updates.
/// - `restarts` (scikit-learn's n_init) independent seedings + Lloyd runs; the run with the best
///   objective is kept (ties: the earliest run). Restart r uses seed derive(seed, r).
/// - Mini-batch (Sculley 2010, with scikit-learn's per-batch update): centroid c with v_c points seen
///   and m_c members in the batch of sum s_c becomes c + (s_c − m_c·c) / (v_c + m_c), then is
///   renormalised; stops on the smoothed batch objective (patience) or `maxBatches`; a final full
///   assignment pass gives every article its cluster.
///
/// Determinism: block boundaries depend only on n and k, each row's score is computed by one worker in a
/// fixed order, sums run in row order and random choices come from seeded SplitMix64 streams, so the
/// result is bit-identical for any worker count (OpenBLAS pinned to one thread).
public enum TopicKMeans {
    public struct Configuration: Sendable {
        public var clusterCount: Int
        /// Independent seedings (scikit-learn's n_init); the best objective wins.
        public var restarts: Int
        public var maxIterations: Int
        public var tolerance: Double
        public var seed: UInt64
        /// Rows sampled for k-means++ seeding; nil: min(n, max(20 000, 20·k)).
        public var seedingSampleSize: Int?

        public init(clusterCount: Int, restarts: Int = 5, maxIterations: Int = 100, tolerance: Double = 1e-4,
                    seed: UInt64 = 0, seedingSampleSize: Int? = nil) {
            self.clusterCount = clusterCount
            self.restarts = restarts
            self.maxIterations = maxIterations
            self.tolerance = tolerance
            self.seed = seed
            self.seedingSampleSize = seedingSampleSize
        }
    }

    public struct MiniBatchConfiguration: Sendable {
        public var clusterCount: Int
        public var batchSize: Int
        public var maxBatches: Int
        /// Batches without improvement of the smoothed objective before stopping.
        public var patience: Int
        /// Independent seedings, each scored on a held-out batch; the best seeding is trained.
        public var restarts: Int
        public var seed: UInt64
        public var seedingSampleSize: Int?

        public init(clusterCount: Int, batchSize: Int = 4096, maxBatches: Int = 500, patience: Int = 30,
                    restarts: Int = 3, seed: UInt64 = 0, seedingSampleSize: Int? = nil) {
            self.clusterCount = clusterCount
            self.batchSize = batchSize
            self.maxBatches = maxBatches
            self.patience = patience
            self.restarts = restarts
            self.seed = seed
            self.seedingSampleSize = seedingSampleSize
        }
    }

    public struct Result: Sendable {
        public var centroids: Centroids
        public var assignments: [Int32]
        /// Cosine of each row with its centroid.
        public var similarities: [Float]
        /// Mean cosine to the assigned centroid.
        public var objective: Double
        /// Objective of every restart's final state, in restart order.
        public var restartObjectives: [Double]
        /// Which restart was kept.
        public var bestRestart: Int
        /// Lloyd iterations (or batches) of the kept run.
        public var iterations: Int
        public var converged: Bool
        /// Empty clusters re-seeded in the kept run.
        public var reseededClusters: Int

        public var clusterSizes: [Int] {
            var sizes = [Int](repeating: 0, count: centroids.count)
            for cluster in assignments where cluster >= 0 { sizes[Int(cluster)] += 1 }
            return sizes
        }
    }

    // MARK: Lloyd with restarts

    public static func fit(_ rows: ClusterRows, configuration: Configuration) -> Result {
        let n = rows.count, k = configuration.clusterCount
        precondition(k >= 1 && k <= n, "TopicKMeans: need 1 ≤ k ≤ n, got k = \(k), n = \(n)")
        precondition(configuration.restarts >= 1, "TopicKMeans: restarts must be ≥ 1")
        var best: Result?
        var objectives: [Double] = []
        for restart in 0..<configuration.restarts {
            let seed = ClusterRandom.derive(configuration.seed, UInt64(restart))
            let sampleSize = configuration.seedingSampleSize ?? max(20_000, 20 * k)
            let initial = seedCentroids(rows, count: k, seed: seed, sampleSize: sampleSize)
            var run = lloyd(rows, initial: initial, maxIterations: configuration.maxIterations,
                            tolerance: configuration.tolerance)
            objectives.append(run.objective)
            if best == nil || run.objective > best!.objective {
                run.bestRestart = restart
                best = run
            }
        }
        best!.restartObjectives = objectives
        return best!
    }

    /// Lloyd iterations from given centroids (unit rows).
    public static func lloyd(_ rows: ClusterRows, initial: Centroids, maxIterations: Int = 100,
                             tolerance: Double = 1e-4) -> Result {
        precondition(initial.dimension == rows.dimension, "TopicKMeans.lloyd: dimension mismatch")
        var centroids = initial
        var previous: [Int32]? = nil
        var lastObjective: Double? = nil
        var iterations = 0, reseeded = 0
        var converged = false
        var assignments = [Int32](), similarities = [Float]()
        while true {
            (assignments, similarities) = assign(rows, to: centroids)
            let objective = mean(similarities)
            if let last = lastObjective,
               assignments == previous || objective - last < tolerance * abs(last) {
                converged = true
                break
            }
            lastObjective = objective
            if iterations >= maxIterations { break }
            reseeded += relocateEmptyClusters(rows, assignments: &assignments, similarities: &similarities,
                                              centroids: &centroids)
            updateCentroids(rows, assignments: assignments, centroids: &centroids)
            previous = assignments
            iterations += 1
        }
        reseeded += relocateEmptyClusters(rows, assignments: &assignments, similarities: &similarities,
                                          centroids: &centroids)
        return Result(centroids: centroids, assignments: assignments, similarities: similarities,
                      objective: mean(similarities), restartObjectives: [], bestRestart: 0,
                      iterations: iterations, converged: converged, reseededClusters: reseeded)
    }

    /// Spherical k-means started from a given assignment (e.g. clusters found on reduced vectors, refined
    /// on the full TF-IDF rows): centroids are the normalised member sums, then Lloyd iterations.
    public static func refine(_ rows: ClusterRows, assignments: [Int32], clusterCount k: Int,
                              maxIterations: Int = 100, tolerance: Double = 1e-4) -> Result {
        precondition(assignments.count == rows.count, "TopicKMeans.refine: \(assignments.count) assignments for \(rows.count) rows")
        var centroids = Centroids(count: k, dimension: rows.dimension)
        updateCentroids(rows, assignments: assignments, centroids: &centroids)
        return lloyd(rows, initial: centroids, maxIterations: maxIterations, tolerance: tolerance)
    }

    // MARK: Mini-batch

    public static func fitMiniBatch(_ rows: ClusterRows, configuration: MiniBatchConfiguration) -> Result {
        let n = rows.count, k = configuration.clusterCount, d = rows.dimension
        precondition(k >= 1 && k <= n, "TopicKMeans: need 1 ≤ k ≤ n, got k = \(k), n = \(n)")
        precondition(configuration.batchSize >= 1 && configuration.restarts >= 1, "TopicKMeans: bad batch size or restarts")
        let batchSize = min(configuration.batchSize, n)
        var random = ClusterRandom(seed: configuration.seed, stream: 0xBA7C4)
        func drawBatch() -> [Int] { (0..<batchSize).map { _ in random.nextIndex(below: n) } }

        // Choose among seedings by their objective on a held-out batch (as scikit-learn's n_init).
        let sampleSize = configuration.seedingSampleSize ?? max(3 * batchSize, 20 * k)
        let validation = rows.subset(drawBatch())
        var centroids = Centroids(count: k, dimension: d)
        var restartObjectives: [Double] = []
        var bestRestart = 0
        for restart in 0..<configuration.restarts {
            let seed = ClusterRandom.derive(configuration.seed, UInt64(restart))
            let candidate = seedCentroids(rows, count: k, seed: seed, sampleSize: sampleSize)
            let score = mean(assign(validation, to: candidate).similarities)
            restartObjectives.append(score)
            if restart == 0 || score > restartObjectives[bestRestart] {
                bestRestart = restart
                centroids = candidate
            }
        }

        var seen = [Double](repeating: 0, count: k)
        var stopping = MiniBatchStopping(batchSize: batchSize, rowCount: n, patience: configuration.patience)
        var batches = 0
        var converged = false
        var sums = [Double](repeating: 0, count: k * d)
        var members = [Int](repeating: 0, count: k)
        while batches < configuration.maxBatches {
            let batch = rows.subset(drawBatch())
            let (labels, sims) = assign(batch, to: centroids)
            let objective = mean(sims)
            for c in 0..<k { members[c] = 0 }
            sums.withUnsafeMutableBufferPointer { sumBuffer in
                sumBuffer.update(repeating: 0)
                batch.withRawRows { dense, starts, columns, values in
                    for slot in 0..<batchSize {
                        let c = Int(labels[slot])
                        members[c] += 1
                        batch.accumulate(slot, into: sumBuffer.baseAddress! + c * d, dense: dense, starts: starts,
                                         columns: columns, values: values)
                    }
                }
            }
            centroids.values.withUnsafeMutableBufferPointer { centroidBuffer in
                sums.withUnsafeBufferPointer { sumBuffer in
                    for c in 0..<k where members[c] > 0 {
                        let m = Double(members[c])
                        seen[c] += m
                        let rate = 1 / seen[c]
                        let centroid = centroidBuffer.baseAddress! + c * d
                        let sum = sumBuffer.baseAddress! + c * d
                        var norm = 0.0
                        for j in 0..<d {
                            let value = Double(centroid[j]) + (sum[j] - m * Double(centroid[j])) * rate
                            centroid[j] = Float(value)
                            norm += value * value
                        }
                        if norm > 0 {
                            let scale = Float(1 / norm.squareRoot())
                            for j in 0..<d { centroid[j] *= scale }
                        }
                    }
                }
            }
            batches += 1
            if stopping.shouldStop(after: objective) {
                converged = true
                break
            }
        }
        var (assignments, similarities) = assign(rows, to: centroids)
        var reseeded = relocateEmptyClusters(rows, assignments: &assignments, similarities: &similarities,
                                             centroids: &centroids)
        if reseeded > 0 {
            (assignments, similarities) = assign(rows, to: centroids)
            reseeded += relocateEmptyClusters(rows, assignments: &assignments, similarities: &similarities,
                                              centroids: &centroids)
        }
        return Result(centroids: centroids, assignments: assignments, similarities: similarities,
                      objective: mean(similarities), restartObjectives: restartObjectives, bestRestart: bestRestart,
                      iterations: batches, converged: converged, reseededClusters: reseeded)
    }

    // MARK: Assignment

    /// The best centroid of every row (largest inner product, ties to the lowest index) and that value.
    public static func assign(_ rows: ClusterRows, to centroids: Centroids) -> (assignments: [Int32], similarities: [Float]) {
        precondition(rows.dimension == centroids.dimension, "TopicKMeans.assign: dimension mismatch")
        let n = rows.count, k = centroids.count
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
    static func updateCentroids(_ rows: ClusterRows, assignments: [Int32], centroids: inout Centroids) {
        let k = centroids.count, d = rows.dimension, n = rows.count
        var starts = [Int](repeating: 0, count: k + 1)
        for cluster in assignments where cluster >= 0 { starts[Int(cluster) + 1] += 1 }
        for cluster in 0..<k { starts[cluster + 1] += starts[cluster] }
        var members = [Int32](repeating: 0, count: max(1, starts[k]))
        var cursor = Array(starts.dropLast())
        for row in 0..<n where assignments[row] >= 0 {
            let cluster = Int(assignments[row])
            members[cursor[cluster]] = Int32(truncatingIfNeeded: row)
            cursor[cluster] += 1
        }
        rows.withRawRows { dense, rowStarts, columns, values in
            let denseP = dense.map { SharedPointer($0) }
            let startsP = rowStarts.map { SharedPointer($0) }
            let columnsP = columns.map { SharedPointer($0) }
            let valuesP = values.map { SharedPointer($0) }
            centroids.values.withUnsafeMutableBufferPointer { centroidBuffer in
                members.withUnsafeBufferPointer { memberBuffer in
                    starts.withUnsafeBufferPointer { startBuffer in
                        let target = SharedMutablePointer(centroidBuffer.baseAddress!)
                        let memberList = SharedPointer(memberBuffer.baseAddress!)
                        let offsets = SharedPointer(startBuffer.baseAddress!)
                        Parallelism.forEachRange(k) { clusters, _ in
                            let sum = UnsafeMutablePointer<Double>.allocate(capacity: d)
                            defer { sum.deallocate() }
                            for cluster in clusters {
                                let (lower, upper) = (offsets[cluster], offsets[cluster + 1])
                                guard upper > lower else { continue }
                                sum.update(repeating: 0, count: d)
                                for position in lower..<upper {
                                    rows.accumulate(Int(memberList[position]), into: sum, dense: denseP?.base,
                                                    starts: startsP?.base, columns: columnsP?.base, values: valuesP?.base)
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

    /// Gives every empty cluster the row farthest from its centroid (lowest similarity, ties by row)
    /// among clusters with at least two members; the row moves to the empty cluster, whose centroid
    /// becomes that (normalised) row. Returns how many clusters were re-seeded.
    static func relocateEmptyClusters(_ rows: ClusterRows, assignments: inout [Int32], similarities: inout [Float],
                                      centroids: inout Centroids) -> Int {
        let k = centroids.count, d = rows.dimension
        var sizes = [Int](repeating: 0, count: k)
        for cluster in assignments where cluster >= 0 { sizes[Int(cluster)] += 1 }
        let empty = (0..<k).filter { sizes[$0] == 0 }
        guard !empty.isEmpty else { return 0 }
        let order = similarities.indices.sorted { (similarities[$0], $0) < (similarities[$1], $1) }
        var next = 0, relocated = 0
        var vector = [Float](repeating: 0, count: d)
        for cluster in empty {
            while next < order.count && sizes[Int(assignments[order[next]])] < 2 { next += 1 }
            guard next < order.count else { break }
            let row = order[next]
            next += 1
            sizes[Int(assignments[row])] -= 1
            assignments[row] = Int32(cluster)
            sizes[cluster] = 1
            vector.withUnsafeMutableBufferPointer { rows.copyRow(row, into: $0.baseAddress!) }
            var norm: Float = 0
            for value in vector { norm += value * value }
            let scale: Float = norm > 0 ? 1 / norm.squareRoot() : 0
            for j in 0..<d { centroids.values[cluster * d + j] = vector[j] * scale }
            similarities[row] = norm.squareRoot()
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
    public static func seedCentroids(_ rows: ClusterRows, count k: Int, seed: UInt64, sampleSize: Int) -> Centroids {
        let n = rows.count, d = rows.dimension
        precondition(k >= 1 && k <= n, "TopicKMeans.seedCentroids: need 1 ≤ k ≤ n")
        var random = ClusterRandom(seed: seed, stream: 0x5EED)
        let s = max(k, min(n, sampleSize))
        let sample: ClusterRows
        if s < n {
            var pool = (0..<n).map { Int32(truncatingIfNeeded: $0) }
            for position in 0..<s {
                pool.swapAt(position, position + random.nextIndex(below: n - position))
            }
            sample = rows.subset(pool[0..<s].sorted().map { Int($0) })
        } else {
            sample = rows
        }

        let trials = 2 + Int(log(Double(k)))
        var centroids = Centroids(count: k, dimension: d)
        var used = [Bool](repeating: false, count: s)
        var distances = [Float](repeating: 0, count: s)
        var prefix = [Double](repeating: 0, count: s)

        /// The candidates as unit centroids, and their scores against every sample row (s × count).
        func score(_ candidates: [Int]) -> (Centroids, [Float]) {
            var chosen = Centroids(count: candidates.count, dimension: d)
            chosen.values.withUnsafeMutableBufferPointer { buffer in
                for (position, row) in candidates.enumerated() {
                    let target = buffer.baseAddress! + position * d
                    sample.copyRow(row, into: target)
                    var norm: Float = 0
                    for j in 0..<d { norm += target[j] * target[j] }
                    if norm > 0 {
                        let scale = 1 / norm.squareRoot()
                        for j in 0..<d { target[j] *= scale }
                    }
                }
            }
            let count = candidates.count
            var scores = [Float](repeating: 0, count: s * count)
            scores.withUnsafeMutableBufferPointer { buffer in
                let output = SharedMutablePointer(buffer.baseAddress!)
                sample.forEachScoreBlock(chosen) { range, block in
                    (output.base + range.lowerBound * count).update(from: block, count: range.count * count)
                }
            }
            return (chosen, scores)
        }

        func take(_ chosen: Centroids, _ index: Int, row: Int, as cluster: Int) {
            for j in 0..<d { centroids.values[cluster * d + j] = chosen.values[index * d + j] }
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
                var potentials = [Double](repeating: 0, count: count)
                for row in 0..<s {
                    let current = distances[row]
                    for candidate in 0..<count {
                        potentials[candidate] += Double(min(current, max(0, 2 - 2 * scores[row * count + candidate])))
                    }
                }
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

    // MARK: Helpers

    static func mean(_ values: [Float]) -> Double {
        guard !values.isEmpty else { return 0 }
        var sum: Double = 0
        for value in values { sum += Double(value) }
        return sum / Double(values.count)
    }
}
