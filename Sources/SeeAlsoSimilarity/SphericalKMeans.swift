import Foundation
import SeeAlsoSupport

/// Spherical k-means (Dhillon & Modha 2001), SeeAlso's one k-means: topic clustering (on LSA vectors or
/// TF-IDF rows), the partitions of the partitioned index, and `--k auto` all run it. Clusters maximise
/// the mean cosine between each row and its centroid (the objective); centroids are the normalised
/// means of their members. Rows (`VectorRows`, dense or sparse) should have unit L2 norm.
///
/// - Seeding: greedy k-means++ (Arthur & Vassilvitskii 2007; 2 + ⌊ln k⌋ candidates per step, keeping the
///   one that lowers the potential most, as scikit-learn) under the chordal distance 2 − 2·cos, on a
///   seeded sample of the rows when n is large.
/// - Lloyd iterations: assignment = argmax over centroids of X·Cᵀ (dense: one `sgemm` per fixed block of
///   rows; sparse: the sparse × dense kernel with Cᵀ), update = normalised member sums (Double, in row
///   order). A cluster left empty takes the row farthest from its centroid among clusters with ≥ 2
///   members. Stops when the assignment no longer changes, when the objective gains less than
///   `tolerance` relative, or after `maxIterations` updates.
/// - `restarts` (scikit-learn's n_init) independent seedings + Lloyd runs; the run with the best
///   objective is kept (ties: the earliest run). Restart r uses seed `SplitMix64.derive(seed, r)`.
/// - Mini-batch (Sculley 2010, with scikit-learn's per-batch update): centroid c with v_c rows seen and
///   m_c members in the batch of sum s_c becomes c + (s_c − m_c·c) / (v_c + m_c), then is renormalised;
///   stops on the smoothed batch objective (`MiniBatchStopping`) or `maxBatches`; a final full
///   assignment pass gives every row its cluster. With several restarts, each seeding is scored on a
///   held-out batch and the best one is trained.
///
/// Determinism: block boundaries depend only on n and k, each row's score is computed by one worker in a
/// fixed order, sums run in row order and random choices come from seeded SplitMix64 streams, so the
/// result is bit-identical for any worker count (OpenBLAS runs on one thread).
///
/// Cost per Lloyd iteration: 2·n·k·d FLOPs (dense) or 2·nnz·k (sparse) + O(n·d) for the update; memory:
/// the n assignments and similarities (8·n bytes), k×d centroids and one block × k scratch per worker
/// (≤ 4 MB). Seeding costs about 2·(2 + ln k)·k·s·d FLOPs for a sample of s rows.
package enum SphericalKMeans {
    /// Settings of `fit` (Lloyd) and `fitMiniBatch`.
    package struct Configuration: Sendable {
        /// k ≥ 1, at most the number of rows.
        package var clusterCount: Int
        /// Independent seedings (scikit-learn's n_init); the best objective wins (mini-batch: each seeding
        /// is scored on a held-out batch and the best one is trained).
        package var restarts: Int
        package var seed: UInt64
        /// Lloyd: most centroid updates per restart.
        package var maxIterations = 100
        /// Lloyd: stop when (objective − previous objective) < tolerance · |previous objective|.
        package var tolerance = 1e-4
        /// Rows sampled for k-means++ seeding; nil: min(n, max(20 000, 20·k)) for Lloyd, min(n, max(3·batchSize,
        /// 20·k)) for mini-batch.
        package var seedingSampleSize: Int?
        /// Mini-batch: rows per batch (drawn with replacement), most batches, and batches without improvement
        /// of the smoothed objective before stopping.
        package var batchSize = 4096
        package var maxBatches = 500
        package var patience = 30

        package init(clusterCount: Int, restarts: Int = 5, seed: UInt64 = 0) {
            self.clusterCount = clusterCount
            self.restarts = restarts
            self.seed = seed
        }
    }

    package struct Result: Sendable {
        /// k×d, unit rows (a cluster whose members sum to zero keeps its previous centroid).
        package var centroids: DenseMatrix
        /// The cluster of each row (argmax of cosine, ties to the lowest cluster index).
        package var assignments: [Int32]
        /// Cosine of each row with its centroid.
        package var similarities: [Float]
        /// Mean cosine to the assigned centroid (the objective), for the returned state.
        package var objective: Double
        /// Objective of every restart's final state (mini-batch: of every seeding on the held-out batch).
        package var restartObjectives: [Double]
        /// Which restart was kept.
        package var bestRestart: Int
        /// Lloyd iterations (or batches) of the kept run.
        package var iterations: Int
        /// Whether a stopping rule other than the iteration limit ended the kept run.
        package var converged: Bool
        /// Empty clusters re-seeded in the kept run.
        package var reseededClusters: Int

        package var clusterSizes: [Int] {
            var sizes = [Int](repeating: 0, count: centroids.rowCount)
            for cluster in assignments where cluster >= 0 { sizes[Int(cluster)] += 1 }
            return sizes
        }
    }

    // MARK: Lloyd with restarts

    package static func fit(_ rows: VectorRows, configuration: Configuration) -> Result {
        let n = rows.count, k = configuration.clusterCount
        precondition(k >= 1 && k <= n, "SphericalKMeans: need 1 ≤ k ≤ n, got k = \(k), n = \(n)")
        precondition(configuration.restarts >= 1, "SphericalKMeans: restarts must be ≥ 1")
        var best: Result?
        var objectives: [Double] = []
        for restart in 0..<configuration.restarts {
            let seed = SplitMix64.derive(configuration.seed, UInt64(restart))
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
    package static func lloyd(_ rows: VectorRows, initial: DenseMatrix, maxIterations: Int = 100,
                              tolerance: Double = 1e-4) -> Result {
        precondition(initial.columnCount == rows.dimension, "SphericalKMeans.lloyd: dimension mismatch")
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
    package static func refine(_ rows: VectorRows, assignments: [Int32], clusterCount k: Int,
                               maxIterations: Int = 100, tolerance: Double = 1e-4) -> Result {
        precondition(assignments.count == rows.count, "SphericalKMeans.refine: \(assignments.count) assignments for \(rows.count) rows")
        var centroids = DenseMatrix(rowCount: k, columnCount: rows.dimension)
        updateCentroids(rows, assignments: assignments, centroids: &centroids)
        return lloyd(rows, initial: centroids, maxIterations: maxIterations, tolerance: tolerance)
    }

    // MARK: Mini-batch

    package static func fitMiniBatch(_ rows: VectorRows, configuration: Configuration) -> Result {
        let n = rows.count, k = configuration.clusterCount, d = rows.dimension
        precondition(k >= 1 && k <= n, "SphericalKMeans: need 1 ≤ k ≤ n, got k = \(k), n = \(n)")
        precondition(configuration.batchSize >= 1 && configuration.restarts >= 1, "SphericalKMeans: bad batch size or restarts")
        let batchSize = min(configuration.batchSize, n)
        var random = SplitMix64(seed: configuration.seed, stream: 0xBA7C4)
        func drawBatch() -> [Int] { (0..<batchSize).map { _ in random.nextIndex(below: n) } }

        // Choose among seedings by their objective on a held-out batch (as scikit-learn's n_init).
        let sampleSize = configuration.seedingSampleSize ?? max(3 * batchSize, 20 * k)
        var centroids = DenseMatrix(rowCount: k, columnCount: d)
        var restartObjectives: [Double] = []
        var bestRestart = 0
        let validation = configuration.restarts > 1 ? rows.subset(drawBatch()) : nil
        for restart in 0..<configuration.restarts {
            let seed = SplitMix64.derive(configuration.seed, UInt64(restart))
            let candidate = seedCentroids(rows, count: k, seed: seed, sampleSize: sampleSize)
            guard let validation else {
                centroids = candidate
                break
            }
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
                for slot in 0..<batchSize {
                    let c = Int(labels[slot])
                    members[c] += 1
                    batch.add(slot, into: sumBuffer.baseAddress! + c * d)
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

    static func mean(_ values: [Float]) -> Double {
        guard !values.isEmpty else { return 0 }
        var sum: Double = 0
        for value in values { sum += Double(value) }
        return sum / Double(values.count)
    }
}

/// The stopping rule of mini-batch k-means: an exponentially weighted mean of the batch objectives
/// (weight α = min(1, 2·batch / (n + 1)) for the newest batch) must improve on its best value within
/// `patience` batches, or the run stops.
struct MiniBatchStopping {
    private let alpha: Double
    private let patience: Int
    private var smoothed: Double?
    private var best = -Double.infinity
    private var sinceBest = 0

    init(batchSize: Int, rowCount: Int, patience: Int) {
        alpha = min(1, 2 * Double(batchSize) / Double(rowCount + 1))
        self.patience = patience
    }

    /// Records one batch's mean objective; returns true when the run should stop.
    mutating func shouldStop(after objective: Double) -> Bool {
        let next = smoothed.map { (1 - alpha) * $0 + alpha * objective } ?? objective
        smoothed = next
        if next > best {
            best = next
            sinceBest = 0
            return false
        }
        sinceBest += 1
        return sinceBest >= patience
    }
}
