import Testing
import SeeAlsoSimilarity
import SeeAlsoSupport
import SeeAlsoTestSupport
import SeeAlsoVectorize
import SeeAlsoClustering

/// Topic clustering around the k-means (which SphericalKMeansTests covers): choosing k, the LSA
/// pipeline refined on TF-IDF rows, and over-clustering merged by average linkage.
@Suite struct TopicClusteringTests {
    @Test func autoKFindsThePlantedK() {
        for (planted, seed) in [(7, UInt64(21)), (4, 22), (15, 23)] {
            let (points, _) = TestMatrices.plantedDense(clusters: planted, perCluster: 80, dimension: 24, noise: 0.08, seed: seed)
            let choice = KSelection.choose(.dense(points), configuration: .init(sampleSize: 800, seed: seed))
            #expect(choice.k == planted, "planted \(planted), chose \(choice.k): \(choice.scores)")
            #expect(choice.result.centroids.rowCount == choice.k)
        }
        let (matrix, _) = TestMatrices.plantedSparse(clusters: 6, perCluster: 60, termsPerCluster: 12, noise: 2, seed: 24)
        let choice = KSelection.choose(.sparse(matrix), configuration: .init(grid: Array(2...10), sampleSize: 300, seed: 1))
        #expect(choice.k == 6, "chose \(choice.k): \(choice.scores)")
        #expect(choice.scores.map(\.k) == Array(2...10))
    }

    @Test func lsaPipelineRefinesOnTfidf() throws {
        let (matrix, labels) = TestMatrices.plantedSparse(clusters: 6, perCluster: 100, seed: 25)
        var options = TopicClustering.Options()
        options.clusterCount = 6
        options.lsaDimensions = 10
        let outcome = try TopicClustering.run(matrix, options: options)
        #expect(outcome.refinedObjective != nil)
        #expect(outcome.reducedVectors?.columnCount == 10)
        #expect(outcome.method.hasSuffix("on lsa-10, refined on tfidf"), "\(outcome.method)")
        #expect(ClusterMetrics.evaluate(gold: labels, predicted: outcome.assignments).normalizedMutualInformation == 1)
        // Mini-batch on the TF-IDF rows finds the same topics.
        options.method = .minibatch
        options.representation = .tfidf
        options.batchSize = 200
        let minibatch = try TopicClustering.run(matrix, options: options)
        #expect(minibatch.refinedObjective == nil && minibatch.reducedVectors == nil)
        #expect(ClusterMetrics.evaluate(gold: labels, predicted: minibatch.assignments).normalizedMutualInformation == 1)
    }

    @Test func overclusterAndMergeKeepsUnequalTopics() throws {
        // One large planted cluster and two small ones: micro-clusters merged by average linkage recover them.
        let (big, _) = TestMatrices.plantedDense(clusters: 3, perCluster: 10, dimension: 16, noise: 0.15, seed: 41)
        var random = SplitMix64(seed: 42)
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
        let rows = VectorRows.dense(DenseMatrix(rowCount: labels.count, columnCount: 16, values: values))
        let fine = SphericalKMeans.fit(rows, configuration: .init(clusterCount: 12, restarts: 2, seed: 1))
        let merged = TopicClustering.mergeByAverageLinkage(rows, assignments: fine.assignments, clusterCount: 12, target: 3)
        #expect(Set(merged).count == 3)
        #expect(TestMatrices.recovers(merged, labels, k: 3))
    }
}
