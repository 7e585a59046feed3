import Testing
import SeeAlsoSupport
import SeeAlsoTestSupport
import SeeAlsoVectorize
@testable import SeeAlsoSimilarity

@Suite struct HeapRescoringTests {
    /// Rescoring the heaps in place equals rescoring their sorted lists, whatever the keep.
    @Test(arguments: [1, 5, 12])
    func rescoringHeapsEqualsRescoringTheirLists(keep: Int) {
        let matrix = TestMatrices.randomSparse(rows: 60, columns: 40, density: 0.2, seed: UInt64(keep))
        let heaps = TopKHeaps(rowCount: matrix.rowCount, k: 10)
        var random = SplitMix64(seed: 3)
        for row in 0..<matrix.rowCount {
            for other in (0..<Int32(matrix.rowCount)).shuffled(using: &random).prefix(row % 17) {
                // Fast scores that disagree with the canonical ones, so that rescoring reorders.
                heaps.push(row: row, id: other, score: Float.random(in: 0.01...1, using: &random))
            }
        }
        let expected = CanonicalScores.rescore(heaps.lists(), queries: matrix, matrix: matrix, keep: keep)
        let found = matrix.withIndexedRows { CanonicalScores.rescore(heaps, queries: matrix, rows: $0, keep: keep) }
        #expect(found == expected)
    }
}
