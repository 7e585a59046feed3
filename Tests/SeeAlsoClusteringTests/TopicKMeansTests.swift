import Testing
import SeeAlsoSimilarity
import SeeAlsoSupport
import SeeAlsoVectorize
@testable import SeeAlsoClustering

@Suite struct TopicKMeansTests {
    @Test(arguments: [UInt64(1), 2, 3])
    func recoversPlantedDenseClusters(seed: UInt64) {
        let (points, labels) = ClusteringTestData.plantedDense(clusters: 8, perCluster: 60, dimension: 32, noise: 0.05, seed: seed)
        let result = TopicKMeans.fit(.dense(points), configuration: .init(clusterCount: 8, restarts: 3, seed: seed))
        #expect(ClusteringTestData.recovers(result.assignments, labels, k: 8))
        #expect(result.clusterSizes.allSatisfy { $0 == 60 })
        #expect(result.converged)
        for c in 0..<8 {
            let norm = result.centroids.row(c).reduce(Float(0)) { $0 + $1 * $1 }
            #expect(abs(norm - 1) < 1e-5)
        }
    }

    @Test(arguments: [UInt64(4), 5])
    func recoversPlantedSparseClusters(seed: UInt64) {
        let (matrix, labels) = ClusteringTestData.plantedSparse(clusters: 6, perCluster: 80, seed: seed)
        let result = TopicKMeans.fit(.sparse(matrix), configuration: .init(clusterCount: 6, restarts: 3, seed: seed))
        #expect(ClusteringTestData.recovers(result.assignments, labels, k: 6))
        let metrics = ClusterMetrics.evaluate(gold: labels, predicted: result.assignments)
        #expect(metrics.normalizedMutualInformation == 1)
    }

    @Test func sparseAssignmentEqualsDenseAssignment() {
        let (matrix, _) = ClusteringTestData.plantedSparse(clusters: 5, perCluster: 1_000, seed: 6)   // several blocks
        let dense = ClusteringTestData.densify(matrix)
        let centroids = TopicKMeans.seedCentroids(.sparse(matrix), count: 12, seed: 3, sampleSize: 2_000)
        let sparseResult = TopicKMeans.assign(.sparse(matrix), to: centroids)
        let denseResult = TopicKMeans.assign(.dense(dense), to: centroids)
        var differing = 0
        for row in 0..<matrix.rowCount {
            #expect(abs(sparseResult.similarities[row] - denseResult.similarities[row]) < 1e-5)
            if sparseResult.assignments[row] != denseResult.assignments[row] { differing += 1 }
        }
        #expect(differing == 0)
        // Seeding from dense and sparse copies of the same rows picks the same centroids.
        let denseCentroids = TopicKMeans.seedCentroids(.dense(dense), count: 12, seed: 3, sampleSize: 2_000)
        #expect(zip(denseCentroids.values, centroids.values).allSatisfy { abs($0 - $1) < 1e-5 })
        // And whole runs agree.
        let a = TopicKMeans.fit(.sparse(matrix), configuration: .init(clusterCount: 5, restarts: 2, seed: 8))
        let b = TopicKMeans.fit(.dense(dense), configuration: .init(clusterCount: 5, restarts: 2, seed: 8))
        #expect(a.assignments == b.assignments)
    }

    @Test func deterministicAcrossWorkerCounts() {
        let (points, _) = ClusteringTestData.plantedDense(clusters: 30, perCluster: 300, dimension: 20, noise: 0.6, seed: 7)
        let (matrix, _) = ClusteringTestData.plantedSparse(clusters: 10, perCluster: 800, noise: 10, seed: 7)
        let configuration = TopicKMeans.Configuration(clusterCount: 30, restarts: 2, maxIterations: 20, seed: 9, seedingSampleSize: 4_000)
        let dense = ClusteringTestData.withWorkerCounts([1, 2, 3]) { TopicKMeans.fit(.dense(points), configuration: configuration) }
        let sparse = ClusteringTestData.withWorkerCounts([1, 2, 3]) { TopicKMeans.fit(.sparse(matrix), configuration: configuration) }
        let mini = ClusteringTestData.withWorkerCounts([1, 3]) {
            TopicKMeans.fitMiniBatch(.dense(points), configuration: .init(clusterCount: 30, batchSize: 512, maxBatches: 40, seed: 2))
        }
        for results in [dense, sparse, mini] {
            for result in results.dropFirst() {
                #expect(result.assignments == results[0].assignments)
                #expect(result.centroids == results[0].centroids)
                #expect(result.objective == results[0].objective)
            }
        }
        let other = TopicKMeans.fit(.dense(points), configuration: .init(clusterCount: 30, restarts: 2, maxIterations: 20, seed: 10, seedingSampleSize: 4_000))
        #expect(other.centroids != dense[0].centroids)
    }

    @Test func restartsKeepTheBestObjective() {
        let (points, _) = ClusteringTestData.plantedDense(clusters: 12, perCluster: 100, dimension: 10, noise: 0.5, seed: 11)
        let result = TopicKMeans.fit(.dense(points), configuration: .init(clusterCount: 12, restarts: 6, seed: 3))
        #expect(result.restartObjectives.count == 6)
        #expect(result.objective == result.restartObjectives.max())
        #expect(result.restartObjectives[result.bestRestart] == result.objective)
        #expect(result.restartObjectives.firstIndex(of: result.objective) == result.bestRestart)
        // Restart r is the single run with the derived seed.
        let restart = result.bestRestart
        let seed = ClusterRandom.derive(3, UInt64(restart))
        let single = TopicKMeans.lloyd(.dense(points), initial: TopicKMeans.seedCentroids(.dense(points), count: 12, seed: seed, sampleSize: 20_000))
        #expect(single.assignments == result.assignments)
        // More restarts never give a worse objective (the first runs are the same).
        let fewer = TopicKMeans.fit(.dense(points), configuration: .init(clusterCount: 12, restarts: 2, seed: 3))
        #expect(result.objective >= fewer.objective)
        #expect(Set(result.restartObjectives).count > 1)
    }

    @Test func emptyClustersAreReseeded() {
        // Three distinct points, ten copies each; k = 5 must still give five non-empty clusters.
        let (base, _) = ClusteringTestData.plantedDense(clusters: 3, perCluster: 1, dimension: 6, noise: 0, seed: 12)
        var points = DenseMatrix(rowCount: 30, columnCount: 6)
        for row in 0..<30 { for j in 0..<6 { points[row, j] = base[row % 3, j] } }
        let result = TopicKMeans.fit(.dense(points), configuration: .init(clusterCount: 5, restarts: 1, seed: 1))
        #expect(result.clusterSizes.allSatisfy { $0 > 0 }, "sizes \(result.clusterSizes)")
        #expect(result.reseededClusters > 0)
        // The relocation rule: the empty cluster takes the point least similar to its centroid.
        let rows = ClusterRows.dense(DenseMatrix(rowCount: 4, columnCount: 2, values: [1, 0, 0.8, 0.6, 0.6, 0.8, 0.96, 0.28]))
        var centroids = Centroids(count: 2, dimension: 2, values: [1, 0, -1, 0])
        var (assignments, similarities) = TopicKMeans.assign(rows, to: centroids)
        #expect(assignments == [0, 0, 0, 0])
        let moved = TopicKMeans.relocateEmptyClusters(rows, assignments: &assignments, similarities: &similarities, centroids: &centroids)
        #expect(moved == 1)
        #expect(assignments == [0, 0, 1, 0])
        #expect(centroids.values[2] == 0.6 && centroids.values[3] == 0.8)
        // Sparse rows too: an empty cluster from a refinement start gets a point.
        let (matrix, _) = ClusteringTestData.plantedSparse(clusters: 3, perCluster: 20, seed: 13)
        let refined = TopicKMeans.refine(.sparse(matrix), assignments: [Int32](repeating: 0, count: 60), clusterCount: 4)
        #expect(refined.clusterSizes.allSatisfy { $0 > 0 })
    }

    @Test func miniBatchRecoversPlantedClusters() {
        let (points, labels) = ClusteringTestData.plantedDense(clusters: 10, perCluster: 500, dimension: 24, noise: 0.08, seed: 14)
        let result = TopicKMeans.fitMiniBatch(.dense(points), configuration: .init(clusterCount: 10, batchSize: 256, maxBatches: 200, seed: 4))
        let metrics = ClusterMetrics.evaluate(gold: labels, predicted: result.assignments)
        #expect(metrics.normalizedMutualInformation > 0.99, "NMI \(metrics.normalizedMutualInformation)")
        let (matrix, sparseLabels) = ClusteringTestData.plantedSparse(clusters: 5, perCluster: 400, seed: 15)
        let sparse = TopicKMeans.fitMiniBatch(.sparse(matrix), configuration: .init(clusterCount: 5, batchSize: 200, maxBatches: 100, seed: 4))
        #expect(ClusterMetrics.evaluate(gold: sparseLabels, predicted: sparse.assignments).normalizedMutualInformation > 0.99)
    }

    @Test func autoKFindsThePlantedK() {
        for (planted, seed) in [(7, UInt64(21)), (4, 22), (15, 23)] {
            let (points, _) = ClusteringTestData.plantedDense(clusters: planted, perCluster: 80, dimension: 24, noise: 0.08, seed: seed)
            let choice = KSelection.choose(.dense(points), configuration: .init(sampleSize: 800, seed: seed))
            #expect(choice.k == planted, "planted \(planted), chose \(choice.k): \(choice.scores)")
        }
        let (matrix, _) = ClusteringTestData.plantedSparse(clusters: 6, perCluster: 60, termsPerCluster: 12, noise: 2, seed: 24)
        let choice = KSelection.choose(.sparse(matrix), configuration: .init(grid: Array(2...10), sampleSize: 300, seed: 1))
        #expect(choice.k == 6, "chose \(choice.k): \(choice.scores)")
    }

    @Test func lsaPipelineRefinesOnTfidf() throws {
        let (matrix, labels) = ClusteringTestData.plantedSparse(clusters: 6, perCluster: 100, seed: 25)
        var options = TopicClustering.Options()
        options.clusterCount = 6
        options.lsaDimensions = 10
        let outcome = try TopicClustering.run(matrix, options: options)
        #expect(outcome.refinedObjective != nil)
        #expect(outcome.reducedVectors?.columnCount == 10)
        #expect(ClusterMetrics.evaluate(gold: labels, predicted: outcome.assignments).normalizedMutualInformation == 1)
    }

    @Test func overclusterAndMergeKeepsUnequalTopics() throws {
        // One large planted cluster and two small ones: micro-clusters merged by average linkage recover them.
        let (big, _) = ClusteringTestData.plantedDense(clusters: 3, perCluster: 10, dimension: 16, noise: 0.15, seed: 41)
        var random = ClusteringTestRandom(seed: 42)
        var values: [Float] = [], labels: [Int] = []
        for (label, count) in [(0, 400), (1, 30), (2, 30)] {
            for _ in 0..<count {
                var row = (0..<16).map { big[label * 10, $0] + 0.15 * random.normal() }
                let norm = row.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
                row = row.map { $0 / norm }
                values += row
                labels.append(label)
            }
        }
        let rows = ClusterRows.dense(DenseMatrix(rowCount: labels.count, columnCount: 16, values: values))
        let fine = TopicKMeans.fit(rows, configuration: .init(clusterCount: 12, restarts: 2, seed: 1))
        let merged = TopicClustering.mergeByAverageLinkage(rows, assignments: fine.assignments, clusterCount: 12, target: 3)
        #expect(Set(merged).count == 3)
        #expect(ClusteringTestData.recovers(merged, labels, k: 3))
    }
}
