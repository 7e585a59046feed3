import Testing
import SeeAlsoVectorize
@testable import SeeAlsoSimilarity

@Suite struct RandomProjectionTests {
    @Test func densityAndValuesFollowTheDefinition() {
        let projection = SparseRandomProjection(inputDimension: 10_000, outputDimension: 256, seed: 1)
        #expect(abs(projection.density - 0.01) < 1e-12)
        let expected = 10_000.0 * 256 * 0.01
        #expect(abs(Double(projection.storedCount) - expected) < 4 * expected.squareRoot())
        let magnitude = Float((100.0 / 256).squareRoot())
        #expect(projection.weights.allSatisfy { abs(abs($0) - magnitude) < 1e-6 })
        let positive = projection.weights.filter { $0 > 0 }.count
        #expect(abs(Double(positive) - expected / 2) < 4 * expected.squareRoot())
        // Per-term targets are strictly increasing and in range.
        for term in 0..<10_000 {
            let targets = projection.targets[projection.termStarts[term]..<projection.termStarts[term + 1]]
            #expect(zip(targets, targets.dropFirst()).allSatisfy { $0 < $1 })
            #expect(targets.allSatisfy { $0 >= 0 && $0 < 256 })
        }
    }

    @Test func fullDensityIsDense() {
        let projection = SparseRandomProjection(inputDimension: 20, outputDimension: 7, density: 1, seed: 3)
        #expect(projection.storedCount == 140)
    }

    @Test func seededAndStableAsVocabularyGrows() {
        let small = SparseRandomProjection(inputDimension: 500, outputDimension: 64, density: 0.1, seed: 7)
        let large = SparseRandomProjection(inputDimension: 900, outputDimension: 64, density: 0.1, seed: 7)
        #expect(Array(small.targets) == Array(large.targets[0..<small.storedCount]))
        let other = SparseRandomProjection(inputDimension: 500, outputDimension: 64, density: 0.1, seed: 8)
        #expect(small.targets != other.targets)
    }

    @Test func preservesInnerProductsOnAverage() {
        let v = 2_000, d = 256
        let x = ReductionTestData.randomSparse(rows: 200, columns: v, density: 0.02, seed: 12)
        var normRatios = 0.0, cosineErrors = 0.0, pairs = 0, bias = 0.0, scale = 0.0
        for seed in 0..<8 {
            let projection = SparseRandomProjection(inputDimension: v, outputDimension: d, seed: UInt64(seed))
            let raw = projection.project(x, normalize: false)
            let unit = projection.project(x)
            let original = ReductionTestData.dense(x)
            for i in stride(from: 0, to: 200, by: 2) {
                let j = i + 1
                let xx = original[i].reduce(0) { $0 + $1 * $1 }, yy = original[j].reduce(0) { $0 + $1 * $1 }
                let xy = zip(original[i], original[j]).reduce(0) { $0 + $1.0 * $1.1 }
                var rx = 0.0, ry = 0.0, rxy = 0.0, cosine = 0.0
                for c in 0..<d {
                    rx += Double(raw[i, c] * raw[i, c])
                    ry += Double(raw[j, c] * raw[j, c])
                    rxy += Double(raw[i, c] * raw[j, c])
                    cosine += Double(unit[i, c] * unit[j, c])
                }
                normRatios += rx / xx + ry / yy
                bias += rxy - xy
                scale += (xx * yy).squareRoot()
                cosineErrors += abs(cosine - xy / (xx * yy).squareRoot())
                pairs += 1
            }
        }
        #expect(abs(normRatios / Double(2 * pairs) - 1) < 0.03, "mean ‖Rx‖²/‖x‖² = \(normRatios / Double(2 * pairs))")
        #expect(abs(bias / scale) < 0.02, "relative bias of ⟨Rx, Ry⟩: \(bias / scale)")
        #expect(cosineErrors / Double(pairs) < 0.1, "mean |cosine error| = \(cosineErrors / Double(pairs))")
    }

    @Test func normalisedRowsAndWorkerCountIndependence() {
        let x = ReductionTestData.randomSparse(rows: 3_000, columns: 1_000, density: 0.03, seed: 13)
        let projection = SparseRandomProjection(inputDimension: 1_000, outputDimension: 128, seed: 2)
        let results = ReductionTestData.withWorkerCounts([1, 2, 5]) { projection.project(x) }
        for result in results.dropFirst() { #expect(result.values == results[0].values) }
        for row in 0..<3_000 where x.rowStarts[row + 1] > x.rowStarts[row] {
            let norm = (0..<128).reduce(Float(0)) { $0 + results[0][row, $1] * results[0][row, $1] }
            // A row may vanish only if none of its terms has a non-zero in R.
            #expect(norm == 0 || abs(norm - 1) < 1e-5)
        }
    }
}
