import Testing
import SeeAlsoSupport
import SeeAlsoTestSupport
import SeeAlsoVectorize
@testable import SeeAlsoSimilarity

/// SeeAlso's one k-means (topics, partitions, `--k auto`) on dense and sparse rows.
@Suite struct SphericalKMeansTests {
    static func isUnit(_ centroids: DenseMatrix) -> Bool {
        (0..<centroids.rowCount).allSatisfy { abs(centroids.row($0).reduce(Float(0)) { $0 + $1 * $1 } - 1) < 1e-5 }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func recoversPlantedDenseClusters(seed: UInt64) {
        let (points, labels) = TestMatrices.plantedDense(clusters: 8, perCluster: 50, dimension: 32, noise: 0.05, seed: seed)
        let result = SphericalKMeans.fit(.dense(points), configuration: .init(clusterCount: 8, restarts: 3, seed: seed))
        #expect(TestMatrices.recovers(result.assignments, labels, k: 8))
        #expect(result.objective > 0.95)
        #expect(result.converged)
        #expect(result.clusterSizes.allSatisfy { $0 == 50 })
        #expect(Self.isUnit(result.centroids))
    }

    /// On sparse rows the chordal distances within and between clusters are close, so a k-means++
    /// seeding often puts two seeds in one cluster and Lloyd cannot separate them again (about half of
    /// the restarts here): enough restarts find the planted partition, whose objective is the best.
    @Test(arguments: [UInt64(4), 5, 8])
    func recoversPlantedSparseClusters(seed: UInt64) {
        let (matrix, labels) = TestMatrices.plantedSparse(clusters: 6, perCluster: 80, termsPerCluster: 12, seed: seed)
        let result = SphericalKMeans.fit(.sparse(matrix), configuration: .init(clusterCount: 6, restarts: 10, seed: seed))
        #expect(TestMatrices.recovers(result.assignments, labels, k: 6), "restart objectives \(result.restartObjectives)")
        #expect(Self.isUnit(result.centroids))
        let planted = SphericalKMeans.refine(.sparse(matrix), assignments: labels.map { Int32($0) }, clusterCount: 6)
        #expect(result.objective >= planted.objective - 1e-6)
    }

    @Test func sparseAndDenseRowsGiveTheSameAnswers() {
        let (matrix, _) = TestMatrices.plantedSparse(clusters: 5, perCluster: 1_000, seed: 6)   // several blocks
        let dense = TestMatrices.dense(matrix)
        let centroids = SphericalKMeans.seedCentroids(.sparse(matrix), count: 12, seed: 3, sampleSize: 2_000)
        let sparseResult = SphericalKMeans.assign(.sparse(matrix), to: centroids)
        let denseResult = SphericalKMeans.assign(.dense(dense), to: centroids)
        var differing = 0
        for row in 0..<matrix.rowCount {
            #expect(abs(sparseResult.similarities[row] - denseResult.similarities[row]) < 1e-5)
            if sparseResult.assignments[row] != denseResult.assignments[row] { differing += 1 }
        }
        #expect(differing == 0)
        // Seeding from dense and sparse copies of the same rows picks the same centroids.
        let denseCentroids = SphericalKMeans.seedCentroids(.dense(dense), count: 12, seed: 3, sampleSize: 2_000)
        #expect(zip(denseCentroids.values, centroids.values).allSatisfy { abs($0 - $1) < 1e-5 })
        // And whole runs agree.
        let a = SphericalKMeans.fit(.sparse(matrix), configuration: .init(clusterCount: 5, restarts: 2, seed: 8))
        let b = SphericalKMeans.fit(.dense(dense), configuration: .init(clusterCount: 5, restarts: 2, seed: 8))
        #expect(a.assignments == b.assignments)
    }

    /// Lloyd iterations never lower the objective: runs from the same seeds stopped after 0, 1, 2, …
    /// updates are the states of one run.
    @Test func objectiveNeverDecreases() {
        let points = TestMatrices.unitVectors(rows: 3_000, dimension: 24, seed: 4)
        let initial = SphericalKMeans.seedCentroids(.dense(points), count: 25, seed: 4, sampleSize: 20_000)
        let runs = (0...12).map { SphericalKMeans.lloyd(.dense(points), initial: initial, maxIterations: $0, tolerance: 0) }
        let objectives = runs.map(\.objective)
        for (before, after) in zip(objectives, objectives.dropFirst()) {
            #expect(after >= before - 1e-6, "objective went from \(before) to \(after)")
        }
        #expect(objectives.last! > objectives.first!)
        let result = runs.last!
        #expect(result.iterations == 12 || result.converged)
        // The reported objective is the mean cosine to the assigned centroid, which is the best one.
        var total = 0.0
        for row in 0..<points.rowCount {
            var best = -Float.infinity
            for c in 0..<25 {
                var dot: Float = 0
                for j in 0..<24 { dot += points[row, j] * result.centroids[c, j] }
                best = max(best, dot)
            }
            #expect(abs(best - result.similarities[row]) < 1e-5)
            total += Double(result.similarities[row])
        }
        #expect(abs(total / Double(points.rowCount) - result.objective) < 1e-9)
    }

    @Test func restartsKeepTheBestObjective() {
        let (points, _) = TestMatrices.plantedDense(clusters: 12, perCluster: 100, dimension: 10, noise: 0.5, seed: 11)
        let result = SphericalKMeans.fit(.dense(points), configuration: .init(clusterCount: 12, restarts: 6, seed: 3))
        #expect(result.restartObjectives.count == 6)
        #expect(result.objective == result.restartObjectives.max())
        #expect(result.restartObjectives[result.bestRestart] == result.objective)
        #expect(result.restartObjectives.firstIndex(of: result.objective) == result.bestRestart)
        // Restart r is the single run with the derived seed.
        let seed = SplitMix64.derive(3, UInt64(result.bestRestart))
        let single = SphericalKMeans.lloyd(.dense(points), initial: SphericalKMeans.seedCentroids(.dense(points), count: 12, seed: seed, sampleSize: 20_000))
        #expect(single.assignments == result.assignments)
        // More restarts never give a worse objective (the first runs are the same).
        let fewer = SphericalKMeans.fit(.dense(points), configuration: .init(clusterCount: 12, restarts: 2, seed: 3))
        #expect(result.objective >= fewer.objective)
        #expect(Set(result.restartObjectives).count > 1)
    }

    /// Bit-identical results for any worker count (dense, sparse, mini-batch); another seed differs.
    @Test func deterministicAcrossWorkerCounts() {
        let (points, _) = TestMatrices.plantedDense(clusters: 30, perCluster: 300, dimension: 20, noise: 0.6, seed: 7)  // several blocks
        let (matrix, _) = TestMatrices.plantedSparse(clusters: 10, perCluster: 800, noise: 10, seed: 7)
        var configuration = SphericalKMeans.Configuration(clusterCount: 30, restarts: 2, seed: 9)
        configuration.maxIterations = 20
        configuration.seedingSampleSize = 4_000
        let dense = withWorkerCounts([1, 2, 3, 1]) { SphericalKMeans.fit(.dense(points), configuration: configuration) }
        let sparse = withWorkerCounts([1, 2, 3]) { SphericalKMeans.fit(.sparse(matrix), configuration: configuration) }
        let mini = withWorkerCounts([1, 3]) {
            SphericalKMeans.fitMiniBatch(.dense(points), configuration: miniBatch(30, batchSize: 512, maxBatches: 40, seed: 2))
        }
        for results in [dense, sparse, mini] {
            for result in results.dropFirst() {
                #expect(result.assignments == results[0].assignments)
                #expect(result.centroids == results[0].centroids)
                #expect(result.objective == results[0].objective)
                #expect(result.restartObjectives == results[0].restartObjectives)
            }
        }
        var other = configuration
        other.seed = 10
        #expect(SphericalKMeans.fit(.dense(points), configuration: other).centroids != dense[0].centroids)
    }

    @Test func emptyClustersAreReseeded() {
        // Three distinct points, ten copies each; k = 5 must still give five non-empty clusters.
        let base = TestMatrices.unitVectors(rows: 3, dimension: 6, seed: 6)
        let points = base.selectingRows((0..<30).map { $0 % 3 })
        let result = SphericalKMeans.fit(.dense(points), configuration: .init(clusterCount: 5, restarts: 1, seed: 1))
        #expect(result.clusterSizes.allSatisfy { $0 > 0 }, "sizes \(result.clusterSizes)")
        #expect(result.reseededClusters > 0)
        #expect(abs(result.objective - 1) < 1e-5)
        for cluster in 0..<5 {
            let members = (0..<30).filter { result.assignments[$0] == cluster }.map { $0 % 3 }
            #expect(Set(members).count == 1, "cluster \(cluster) mixes distinct points")
        }
        // k = n with duplicates: every point its own cluster.
        let all = SphericalKMeans.fit(.dense(points), configuration: .init(clusterCount: 30, seed: 2))
        #expect(all.clusterSizes.allSatisfy { $0 == 1 })

        // The relocation rule: the empty cluster takes the point least similar to its centroid.
        let rows = VectorRows.dense(DenseMatrix(rowCount: 4, columnCount: 2, values: [1, 0, 0.8, 0.6, 0.6, 0.8, 0.96, 0.28]))
        var centroids = DenseMatrix(rowCount: 2, columnCount: 2, values: [1, 0, -1, 0])
        var (assignments, similarities) = SphericalKMeans.assign(rows, to: centroids)
        #expect(assignments == [0, 0, 0, 0])
        let moved = SphericalKMeans.relocateEmptyClusters(rows, assignments: &assignments, similarities: &similarities, centroids: &centroids)
        #expect(moved == 1)
        #expect(assignments == [0, 0, 1, 0])
        #expect(centroids[1, 0] == 0.6 && centroids[1, 1] == 0.8)

        // Sparse rows too: an empty cluster of a refinement start gets a point.
        let (matrix, _) = TestMatrices.plantedSparse(clusters: 3, perCluster: 20, seed: 13)
        let refined = SphericalKMeans.refine(.sparse(matrix), assignments: [Int32](repeating: 0, count: 60), clusterCount: 4)
        #expect(refined.clusterSizes.allSatisfy { $0 > 0 })
    }

    /// `refine` starts from an assignment (as topic clustering refines LSA clusters on TF-IDF rows):
    /// the planted partition is a fixed point, and a damaged one is repaired.
    @Test func refineStartsFromAnAssignment() {
        let (matrix, labels) = TestMatrices.plantedSparse(clusters: 5, perCluster: 60, seed: 14)
        let planted = labels.map { Int32($0) }
        let kept = SphericalKMeans.refine(.sparse(matrix), assignments: planted, clusterCount: 5)
        #expect(kept.assignments == planted)
        #expect(kept.iterations <= 1)
        var damaged = planted
        for row in stride(from: 0, to: damaged.count, by: 7) { damaged[row] = (damaged[row] + 1) % 5 }
        let repaired = SphericalKMeans.refine(.sparse(matrix), assignments: damaged, clusterCount: 5)
        #expect(repaired.assignments == planted)
        #expect(repaired.objective >= kept.objective - 1e-9)
    }

    @Test func assignmentMatchesNaiveArgmax() {
        let points = TestMatrices.unitVectors(rows: 5_000, dimension: 16, seed: 7)
        let centroids = TestMatrices.unitVectors(rows: 300, dimension: 16, seed: 8)   // blocks of 3495 rows
        let (assignments, similarities) = SphericalKMeans.assign(.dense(points), to: centroids)
        for row in stride(from: 0, to: 5_000, by: 7) {
            var best = 0, bestValue = -Double.infinity
            for c in 0..<300 {
                var dot = 0.0
                for j in 0..<16 { dot += Double(points[row, j]) * Double(centroids[c, j]) }
                if dot > bestValue { best = c; bestValue = dot }
            }
            #expect(abs(Double(similarities[row]) - bestValue) < 1e-5)
            if Int(assignments[row]) != best {
                // Only a near-tie may differ from the Double computation.
                #expect(abs(Double(similarities[row]) - bestValue) < 1e-6)
            }
        }
    }

    @Test func seedingIsDistinctAndSampled() {
        let (points, labels) = TestMatrices.plantedDense(clusters: 10, perCluster: 300, dimension: 16, noise: 0.05, seed: 10)
        let seeds = SphericalKMeans.seedCentroids(.dense(points), count: 10, seed: 3, sampleSize: 500)
        #expect(Self.isUnit(seeds))
        // Greedy k-means++ puts one seed in every well-separated cluster.
        var hit = Set<Int>()
        for c in 0..<10 {
            var best = 0, bestValue = -Float.infinity
            for row in 0..<points.rowCount {
                var dot: Float = 0
                for j in 0..<16 { dot += points[row, j] * seeds[c, j] }
                if dot > bestValue { best = row; bestValue = dot }
            }
            hit.insert(labels[best])
        }
        #expect(hit.count == 10)
        #expect(SphericalKMeans.seedCentroids(.dense(points), count: 10, seed: 3, sampleSize: 500) == seeds)
        #expect(SphericalKMeans.seedCentroids(.dense(points), count: 10, seed: 4, sampleSize: 500) != seeds)
    }

    @Test func miniBatchRecoversPlantedClusters() {
        let (points, labels) = TestMatrices.plantedDense(clusters: 12, perCluster: 400, dimension: 24, noise: 0.05, seed: 11)
        let result = SphericalKMeans.fitMiniBatch(.dense(points), configuration: miniBatch(12, batchSize: 256, maxBatches: 200, seed: 4))
        #expect(TestMatrices.recovers(result.assignments, labels, k: 12))
        #expect(result.objective > 0.95)
        #expect(result.iterations <= 200)
        let (matrix, sparseLabels) = TestMatrices.plantedSparse(clusters: 5, perCluster: 400, seed: 15)
        let sparse = SphericalKMeans.fitMiniBatch(.sparse(matrix), configuration: miniBatch(5, batchSize: 200, maxBatches: 100, seed: 4))
        #expect(TestMatrices.recovers(sparse.assignments, sparseLabels, k: 5))
    }

    @Test func miniBatchIsCloseToLloydOnHarderData() {
        let points = TestMatrices.unitVectors(rows: 6_000, dimension: 12, seed: 12)
        let lloyd = SphericalKMeans.fit(.dense(points), configuration: .init(clusterCount: 20, seed: 1))
        let mini = SphericalKMeans.fitMiniBatch(.dense(points), configuration: miniBatch(20, batchSize: 512, seed: 1))
        #expect(mini.objective > lloyd.objective - 0.03, "mini-batch \(mini.objective) vs Lloyd \(lloyd.objective)")
    }
}

/// A mini-batch configuration with three seedings.
private func miniBatch(_ k: Int, batchSize: Int, maxBatches: Int = 500, seed: UInt64) -> SphericalKMeans.Configuration {
    var configuration = SphericalKMeans.Configuration(clusterCount: k, restarts: 3, seed: seed)
    configuration.batchSize = batchSize
    configuration.maxBatches = maxBatches
    return configuration
}
