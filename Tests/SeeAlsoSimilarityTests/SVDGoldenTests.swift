import Testing
import SeeAlsoVectorize
import SeeAlsoSimilarity

/// Parity with scikit-learn's TruncatedSVD(n_components=5, algorithm='arpack') on the matrix embedded in
/// SVDGoldenFixture.swift (regenerate with scripts/fixtures/make_svd_golden.py).
@Suite struct SVDGoldenTests {
    static let matrix = CSRMatrix(rowCount: SVDGoldenFixture.rowCount, columnCount: SVDGoldenFixture.columnCount,
                                  rowStarts: SVDGoldenFixture.rowStarts, columns: SVDGoldenFixture.columns,
                                  values: SVDGoldenFixture.values)

    /// Default settings (q = 2) leave an error of a few 1e-4 on this small spectral gap (σ₅/σ₆ ≈ 1.65);
    /// seven power iterations make the randomized result agree with ARPACK to Float precision.
    @Test(arguments: [(UInt64(0), 2), (1, 2), (2, 2), (0, 7), (1, 7), (2, 7)])
    func matchesScikitLearnArpack(seed: UInt64, powerIterations: Int) throws {
        #expect(Self.matrix.isValid())
        let svd = try RandomizedSVD.fit(Self.matrix, rank: 5, powerIterations: powerIterations, seed: seed)
        let (valueTolerance, vectorTolerance) = powerIterations >= 7 ? (2e-5, 1e-3) : (1e-3, 2e-2)
        for (index, expected) in SVDGoldenFixture.singularValues.enumerated() {
            let relative = abs(Double(svd.singularValues[index]) - expected) / expected
            #expect(relative < valueTolerance, "σ\(index): \(svd.singularValues[index]) vs scikit-learn \(expected)")
        }
        // Same sign convention (largest-magnitude entry positive), so the vectors compare directly.
        let columns = SVDGoldenFixture.columnCount
        for component in 0..<5 {
            var worst = 0.0
            for term in 0..<columns {
                let expected = SVDGoldenFixture.components[component * columns + term]
                worst = max(worst, abs(Double(svd.rightSingularVectors[term, component]) - expected))
            }
            #expect(worst < vectorTolerance, "component \(component): max difference \(worst)")
        }
    }
}
