import Testing
import SeeAlsoClustering

@Suite struct ClusterMetricsTests {
    @Test(arguments: clusterMetricGoldenCases.map(\.name))
    func matchesScikitLearn(name: String) {
        let golden = clusterMetricGoldenCases.first { $0.name == name }!
        let metrics = ClusterMetrics.evaluate(gold: golden.gold, predicted: golden.predicted)
        #expect(abs(metrics.normalizedMutualInformation - golden.nmi) < 1e-12, "NMI \(metrics.normalizedMutualInformation) vs \(golden.nmi)")
        #expect(abs(metrics.adjustedRandIndex - golden.ari) < 1e-12, "ARI \(metrics.adjustedRandIndex) vs \(golden.ari)")
        #expect(abs(metrics.homogeneity - golden.homogeneity) < 1e-12)
        #expect(abs(metrics.completeness - golden.completeness) < 1e-12)
        #expect(abs(metrics.vMeasure - golden.vMeasure) < 1e-12)
        #expect(metrics.items == golden.gold.count)
    }

    @Test func bcubedAndPurityHandComputed() {
        // Cluster 0 = {0, 1} (a, a); cluster 1 = {2, 3, 4} (a, b, b).
        // Precision per item: 1, 1, 1/3, 2/3, 2/3 → 11/15; recall: 2/3, 2/3, 1/3, 1, 1 → 11/15.
        let metrics = ClusterMetrics.evaluate(gold: ["a", "a", "a", "b", "b"], predicted: [0, 0, 1, 1, 1])
        #expect(abs(metrics.bcubedPrecision - 11.0 / 15) < 1e-12)
        #expect(abs(metrics.bcubedRecall - 11.0 / 15) < 1e-12)
        #expect(abs(metrics.bcubedF1 - 11.0 / 15) < 1e-12)
        #expect(abs(metrics.purity - 0.8) < 1e-12)
    }

    @Test func bcubedEdgeCases() {
        // All singletons: precision 1, recall (1/2 + 1/2 + 1) / 3 = 2/3, F1 = 0.8, purity 1.
        let singletons = ClusterMetrics.evaluate(gold: ["a", "a", "b"], predicted: [0, 1, 2])
        #expect(abs(singletons.bcubedPrecision - 1) < 1e-12)
        #expect(abs(singletons.bcubedRecall - 2.0 / 3) < 1e-12)
        #expect(abs(singletons.bcubedF1 - 0.8) < 1e-12)
        #expect(abs(singletons.purity - 1) < 1e-12)
        // One cluster: precision (2/3 + 2/3 + 1/3) / 3 = 5/9, recall 1, purity 2/3.
        let one = ClusterMetrics.evaluate(gold: ["a", "a", "b"], predicted: [7, 7, 7])
        #expect(abs(one.bcubedPrecision - 5.0 / 9) < 1e-12)
        #expect(abs(one.bcubedRecall - 1) < 1e-12)
        #expect(abs(one.purity - 2.0 / 3) < 1e-12)
        #expect(one.clusters == 1 && one.classes == 2)
        // Perfect clustering up to renaming.
        let perfect = ClusterMetrics.evaluate(gold: ["x", "y", "y", "z"], predicted: [3, 1, 1, 0])
        #expect(perfect.bcubedF1 == 1 && perfect.purity == 1 && perfect.normalizedMutualInformation == 1)
    }

    @Test func missingGoldAndUnassignedItemsAreLeftOut() {
        let gold: [String?] = ["a", nil, "a", "b", "b"]
        let metrics = ClusterMetrics.evaluate(gold: gold, assignments: [0, 0, 0, -1, 1])
        #expect(metrics.items == 3)
        #expect(metrics.normalizedMutualInformation == 1)
    }
}
