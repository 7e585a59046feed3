import Testing
import SeeAlsoSupport
@testable import SeeAlsoSimilarity

@Suite struct SphericalKMeansTests {
    /// `clusters` random unit centres in `dimension` dims, `perCluster` noisy unit points around each,
    /// in a shuffled order. Returns the points and each point's planted cluster.
    static func planted(clusters: Int, perCluster: Int, dimension: Int, noise: Float, seed: UInt64) -> (DenseMatrix, [Int]) {
        var random = ReductionTestRandom(seed: seed)
        var centres = DenseMatrix(rowCount: clusters, columnCount: dimension,
                                  values: (0..<clusters * dimension).map { _ in random.normal() })
        centres.normalizeRows()
        var labels = (0..<clusters * perCluster).map { $0 / perCluster }
        labels.shuffle(using: &random)
        var points = DenseMatrix(rowCount: labels.count, columnCount: dimension)
        for (row, label) in labels.enumerated() {
            for j in 0..<dimension { points[row, j] = centres[label, j] + noise * random.normal() }
        }
        points.normalizeRows()
        return (points, labels)
    }

    static func randomUnit(rows: Int, dimension: Int, seed: UInt64) -> DenseMatrix {
        var random = ReductionTestRandom(seed: seed)
        var points = DenseMatrix(rowCount: rows, columnCount: dimension,
                                 values: (0..<rows * dimension).map { _ in random.normal() })
        points.normalizeRows()
        return points
    }

    /// True when the clustering equals the planted partition up to renaming.
    static func recovers(_ assignments: [Int32], _ labels: [Int], k: Int) -> Bool {
        var map = [Int: Int32]()
        for (label, cluster) in zip(labels, assignments) {
            if let existing = map[label], existing != cluster { return false }
            map[label] = cluster
        }
        return Set(map.values).count == k
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func recoversWellSeparatedPlantedClusters(seed: UInt64) {
        let (points, labels) = Self.planted(clusters: 8, perCluster: 50, dimension: 32, noise: 0.05, seed: seed)
        let result = SphericalKMeans.fit(points, configuration: .init(clusterCount: 8, seed: seed))
        #expect(Self.recovers(result.assignments, labels, k: 8))
        #expect(result.objective > 0.95)
        #expect(result.converged)
        #expect(result.clusterSizes.allSatisfy { $0 == 50 })
        // Centroids are unit vectors.
        for c in 0..<8 {
            let norm = (0..<32).reduce(Float(0)) { $0 + result.centroids[c, $1] * result.centroids[c, $1] }
            #expect(abs(norm - 1) < 1e-5)
        }
    }

    @Test func objectiveNeverDecreases() {
        let points = Self.randomUnit(rows: 3_000, dimension: 24, seed: 4)
        let result = SphericalKMeans.fit(points, configuration: .init(clusterCount: 25, maxIterations: 60, tolerance: 0, seed: 4))
        #expect(result.objectiveHistory.count >= 3)
        for (before, after) in zip(result.objectiveHistory, result.objectiveHistory.dropFirst()) {
            #expect(after >= before - 1e-6, "objective went from \(before) to \(after)")
        }
        #expect(abs(result.objective - result.objectiveHistory.last!) < 1e-6)
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

    @Test func deterministicAcrossWorkerCountsAndRuns() {
        let points = Self.randomUnit(rows: 9_000, dimension: 20, seed: 5)   // several sgemm blocks
        let configuration = SphericalKMeans.Configuration(clusterCount: 30, maxIterations: 15, seed: 9, seedingSampleSize: 4_000)
        let results = ReductionTestData.withWorkerCounts([1, 2, 3, 1]) { SphericalKMeans.fit(points, configuration: configuration) }
        for result in results.dropFirst() {
            #expect(result.assignments == results[0].assignments)
            #expect(result.centroids == results[0].centroids)
            #expect(result.objectiveHistory == results[0].objectiveHistory)
        }
        let other = SphericalKMeans.fit(points, configuration: .init(clusterCount: 30, maxIterations: 15, seed: 10, seedingSampleSize: 4_000))
        #expect(other.centroids != results[0].centroids)
    }

    @Test func moreClustersThanDistinctPoints() {
        // Three distinct points, ten copies each; k = 5 must still give five non-empty clusters.
        let base = Self.randomUnit(rows: 3, dimension: 6, seed: 6)
        var points = DenseMatrix(rowCount: 30, columnCount: 6)
        for row in 0..<30 { for j in 0..<6 { points[row, j] = base[row % 3, j] } }
        let result = SphericalKMeans.fit(points, configuration: .init(clusterCount: 5, seed: 1))
        #expect(result.clusterSizes.allSatisfy { $0 > 0 }, "sizes \(result.clusterSizes)")
        #expect(result.reseededClusters > 0)
        #expect(abs(result.objective - 1) < 1e-5)
        for cluster in 0..<5 {
            let members = (0..<30).filter { result.assignments[$0] == cluster }.map { $0 % 3 }
            #expect(Set(members).count == 1, "cluster \(cluster) mixes distinct points")
        }
        // k = n with duplicates: every point its own cluster.
        let all = SphericalKMeans.fit(points, configuration: .init(clusterCount: 30, seed: 2))
        #expect(all.clusterSizes.allSatisfy { $0 == 1 })
    }

    @Test func emptyClusterTakesTheFarthestPoint() {
        // Cluster 1's centroid is far from everything: it gets the point least similar to its centroid.
        let points = DenseMatrix(rowCount: 4, columnCount: 2, values: [1, 0, 0.8, 0.6, 0.6, 0.8, 0.96, 0.28])
        var centroids = DenseMatrix(rowCount: 2, columnCount: 2, values: [1, 0, -1, 0])
        var (assignments, similarities) = SphericalKMeans.assign(points, to: centroids)
        #expect(assignments == [0, 0, 0, 0])
        let moved = SphericalKMeans.relocateEmptyClusters(points, assignments: &assignments, similarities: &similarities, centroids: &centroids)
        #expect(moved == 1)
        #expect(assignments == [0, 0, 1, 0])
        #expect(centroids[1, 0] == 0.6 && centroids[1, 1] == 0.8)
    }

    @Test func assignmentMatchesNaiveArgmax() {
        let points = Self.randomUnit(rows: 5_000, dimension: 16, seed: 7)
        let centroids = Self.randomUnit(rows: 300, dimension: 16, seed: 8)   // blocks of 3495 rows
        let (assignments, similarities) = SphericalKMeans.assign(points, to: centroids)
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
        let (points, labels) = Self.planted(clusters: 10, perCluster: 300, dimension: 16, noise: 0.05, seed: 10)
        let seeds = SphericalKMeans.seedCentroids(points, count: 10, seed: 3, sampleSize: 500)
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
        #expect(SphericalKMeans.seedCentroids(points, count: 10, seed: 3, sampleSize: 500) == seeds)
    }

    @Test func miniBatchRecoversPlantedClustersDeterministically() {
        let (points, labels) = Self.planted(clusters: 12, perCluster: 400, dimension: 24, noise: 0.05, seed: 11)
        let configuration = SphericalKMeans.MiniBatchConfiguration(clusterCount: 12, batchSize: 256, maxBatches: 200, seed: 4)
        let results = ReductionTestData.withWorkerCounts([1, 2, 3]) { SphericalKMeans.fitMiniBatch(points, configuration: configuration) }
        #expect(Self.recovers(results[0].assignments, labels, k: 12))
        #expect(results[0].objective > 0.95)
        #expect(results[0].iterations <= 200)
        for result in results.dropFirst() {
            #expect(result.centroids == results[0].centroids)
            #expect(result.assignments == results[0].assignments)
        }
    }

    @Test func miniBatchIsCloseToLloydOnHarderData() {
        let points = Self.randomUnit(rows: 6_000, dimension: 12, seed: 12)
        let lloyd = SphericalKMeans.fit(points, configuration: .init(clusterCount: 20, seed: 1))
        let mini = SphericalKMeans.fitMiniBatch(points, configuration: .init(clusterCount: 20, batchSize: 512, seed: 1))
        #expect(mini.objective > lloyd.objective - 0.03, "mini-batch \(mini.objective) vs Lloyd \(lloyd.objective)")
    }
}
