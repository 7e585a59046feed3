import Testing
import SeeAlsoClustering

@Suite struct RankingMetricsTests {
    @Test func handComputedExample() {
        // Groups: a = {0, 1, 2}, b = {3, 4}, c = {5} (skipped: no other member).
        let gold: [String?] = ["a", "a", "a", "b", "b", "c"]
        let lists = [[1, 3, 2], [3, 4, 0], [5, 3, 4], [4, 0, 1], [0, 1, 2], [0, 1, 2]]
        let metrics = RankingMetrics.evaluate(lists: lists, gold: gold, k: 2)
        #expect(metrics.queries == 5)
        #expect(abs(metrics.precisionAt1 - 2.0 / 5) < 1e-12)              // queries 0 and 3
        #expect(abs(metrics.precisionAtK - (0.5 + 0 + 0 + 0.5 + 0) / 5) < 1e-12)
        #expect(abs(metrics.recallAtK - (0.5 + 0 + 0 + 1 + 0) / 5) < 1e-12)
        #expect(abs(metrics.meanReciprocalRank - (1 + 1.0 / 3 + 0 + 1 + 0) / 5) < 1e-12)
    }

    @Test func missingGoldIsSkipped() {
        let metrics = RankingMetrics.evaluate(lists: [[1], [0]], gold: [nil, "x"], k: 1)
        #expect(metrics.queries == 0)
    }
}
