import Testing
import SeeAlsoSimilarity
import SeeAlsoSupport
import SeeAlsoTestSupport
import SeeAlsoVectorize

private func maxAbsDifference(_ a: [Float], _ b: [Double]) -> Double {
    zip(a, b).map { abs(Double($0) - $1) }.max() ?? 0
}

@Suite struct SparseDenseProductTests {
    @Test(arguments: [(1, 1, 1, 0.5), (37, 23, 5, 0.2), (300, 150, 13, 0.05), (200, 500, 100, 0.01)])
    func productMatchesNaiveLoop(shape: (Int, Int, Int, Double)) {
        let (n, v, d, density) = shape
        let x = TestMatrices.randomSparse(rows: n, columns: v, density: density, seed: UInt64(n * 7 + v))
        let b = TestMatrices.randomDense(rows: v, columns: d, seed: UInt64(d))
        let product = x.multiplied(by: b)
        #expect(product.rowCount == n && product.columnCount == d)
        var expected = [Double](repeating: 0, count: n * d)
        for row in 0..<n {
            for entry in x.rowStarts[row]..<x.rowStarts[row + 1] {
                let column = Int(x.columns[entry])
                for j in 0..<d { expected[row * d + j] += Double(x.values[entry]) * Double(b[column, j]) }
            }
        }
        #expect(maxAbsDifference(product.values, expected) < 1e-5)
    }

    /// Xᵀ·B as RandomizedSVD computes it: the transpose (a counting sort) times B.
    @Test(arguments: [(1, 1, 1, 0.5), (37, 23, 5, 0.2), (300, 150, 13, 0.05), (200, 500, 100, 0.01)])
    func transposedProductMatchesNaiveLoop(shape: (Int, Int, Int, Double)) {
        let (n, v, d, density) = shape
        let x = TestMatrices.randomSparse(rows: n, columns: v, density: density, seed: UInt64(n * 11 + v))
        let b = TestMatrices.randomDense(rows: n, columns: d, seed: UInt64(d + 1))
        let product = x.transposed().multiplied(by: b)
        #expect(product.rowCount == v && product.columnCount == d)
        var expected = [Double](repeating: 0, count: v * d)
        for row in 0..<n {
            for entry in x.rowStarts[row]..<x.rowStarts[row + 1] {
                let column = Int(x.columns[entry])
                for j in 0..<d { expected[column * d + j] += Double(x.values[entry]) * Double(b[row, j]) }
            }
        }
        #expect(maxAbsDifference(product.values, expected) < 1e-5)
    }

    @Test func transposeIsValidAndInvolutive() {
        let x = TestMatrices.randomSparse(rows: 120, columns: 80, density: 0.07, seed: 5)
        let t = x.transposed()
        #expect(t.isValid())
        #expect(t.rowCount == 80 && t.columnCount == 120 && t.storedCount == x.storedCount)
        #expect(t.transposed() == x)
    }

    @Test func resultsAreBitIdenticalForAnyWorkerCount() {
        let x = TestMatrices.randomSparse(rows: 2_000, columns: 700, density: 0.02, seed: 77)
        let right = TestMatrices.randomDense(rows: 700, columns: 33, seed: 78)
        let left = TestMatrices.randomDense(rows: 2_000, columns: 33, seed: 79)
        let results = withWorkerCounts([1, 2, 3, 8]) {
            (x.multiplied(by: right), x.transposed().multiplied(by: left))
        }
        for result in results.dropFirst() {
            #expect(result.0.values == results[0].0.values)
            #expect(result.1.values == results[0].1.values)
        }
    }

    @Test func emptyRowsAndMatricesGiveZeros() {
        let empty = CSRMatrix(rowCount: 3, columnCount: 4, rowStarts: [0, 0, 0, 0], columns: [], values: [])
        let b = TestMatrices.randomDense(rows: 4, columns: 2, seed: 1)
        #expect(empty.multiplied(by: b).values == [Float](repeating: 0, count: 6))
        let c = TestMatrices.randomDense(rows: 3, columns: 2, seed: 2)
        #expect(empty.transposed().multiplied(by: c).values == [Float](repeating: 0, count: 8))
        let none = CSRMatrix(rowCount: 0, columnCount: 4, rowStarts: [0], columns: [], values: [])
        #expect(none.multiplied(by: b).rowCount == 0)
    }

    @Test func selectingRowsCopiesThoseRows() {
        let x = TestMatrices.randomSparse(rows: 30, columns: 10, density: 0.3, seed: 3)
        let picked = x.selectingRows([4, 0, 29, 4])
        #expect(picked.isValid() && picked.rowCount == 4)
        for (position, row) in [4, 0, 29, 4].enumerated() {
            #expect(picked.row(position).columns.elementsEqual(x.row(row).columns))
            #expect(picked.row(position).values.elementsEqual(x.row(row).values))
        }
    }
}

/// `CanonicalScores.dotReaches` gives `dot >= threshold` exactly, early exits included.
@Suite struct DotReachesTests {
    @Test func equalsTheFullComparisonAtEveryThreshold() {
        var random = SplitMix64(seed: 77)
        func vector(_ columns: [Int32], normalized: Bool) -> [Float] {
            var values = columns.map { _ in Float.random(in: 0.01...1, using: &random) }
            if normalized {
                let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
                values = values.map { $0 / norm }
            }
            return values
        }
        var decided = 0
        var early = 0
        for trial in 0..<3_000 {
            let vocabulary = Int32([50, 400, 5_000][trial % 3])
            let a = Array(Set((0..<Int.random(in: 1...300, using: &random)).map { _ in Int32.random(in: 0..<vocabulary, using: &random) })).sorted()
            // b shares a random part of a's columns (near-duplicates at high overlap), plus its own.
            let shared = a.filter { _ in Double.random(in: 0..<1, using: &random) < [0.0, 0.3, 0.9, 1.0][trial % 4] }
            let own = (0..<Int.random(in: 0...200, using: &random)).map { _ in Int32.random(in: 0..<vocabulary, using: &random) }
            let b = Array(Set(shared + own)).sorted()
            guard !b.isEmpty else { continue }
            let normalized = trial % 5 != 0
            let aValues = vector(a, normalized: normalized), bValues = vector(b, normalized: normalized)
            a.withUnsafeBufferPointer { ac in aValues.withUnsafeBufferPointer { av in
                b.withUnsafeBufferPointer { bc in bValues.withUnsafeBufferPointer { bv in
                    let exact = CanonicalScores.dot(columns: ac, values: av, columns: bc, values: bv)
                    for threshold: Float in [0.05, 0.3, 0.8, 0.95, exact, exact.nextUp, exact.nextDown, exact + 2e-4, exact - 2e-4] {
                        let reaches = CanonicalScores.dotReaches(threshold, columns: ac, values: av, columns: bc, values: bv)
                        #expect(reaches == (exact >= threshold), "trial \(trial): dot \(exact), threshold \(threshold)")
                        decided += 1
                        if abs(exact - threshold) > 0.05 { early += 1 }
                    }
                } }
            } }
        }
        #expect(decided > 20_000 && early > 5_000)
    }
}
