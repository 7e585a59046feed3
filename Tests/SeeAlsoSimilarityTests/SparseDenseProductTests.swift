import Testing
import SeeAlsoSupport
import SeeAlsoVectorize
@testable import SeeAlsoSimilarity

@Suite struct SparseDenseProductTests {
    @Test(arguments: [(1, 1, 1, 0.5), (37, 23, 5, 0.2), (300, 150, 13, 0.05), (200, 500, 100, 0.01)])
    func productMatchesNaiveLoop(shape: (Int, Int, Int, Double)) {
        let (n, v, d, density) = shape
        let x = ReductionTestData.randomSparse(rows: n, columns: v, density: density, seed: UInt64(n * 7 + v))
        let b = ReductionTestData.randomDense(rows: v, columns: d, seed: UInt64(d))
        let product = x.multiplied(by: b)
        #expect(product.rowCount == n && product.columnCount == d)
        var expected = [Double](repeating: 0, count: n * d)
        for row in 0..<n {
            for entry in x.rowStarts[row]..<x.rowStarts[row + 1] {
                let column = Int(x.columns[entry])
                for j in 0..<d { expected[row * d + j] += Double(x.values[entry]) * Double(b[column, j]) }
            }
        }
        #expect(ReductionTestData.maxAbsDifference(product.values, expected) < 1e-5)
    }

    @Test(arguments: [(1, 1, 1, 0.5), (37, 23, 5, 0.2), (300, 150, 13, 0.05), (200, 500, 100, 0.01)])
    func transposedProductMatchesNaiveLoop(shape: (Int, Int, Int, Double)) {
        let (n, v, d, density) = shape
        let x = ReductionTestData.randomSparse(rows: n, columns: v, density: density, seed: UInt64(n * 11 + v))
        let b = ReductionTestData.randomDense(rows: n, columns: d, seed: UInt64(d + 1))
        let product = x.transposeMultiplied(by: b)
        #expect(product.rowCount == v && product.columnCount == d)
        var expected = [Double](repeating: 0, count: v * d)
        for row in 0..<n {
            for entry in x.rowStarts[row]..<x.rowStarts[row + 1] {
                let column = Int(x.columns[entry])
                for j in 0..<d { expected[column * d + j] += Double(x.values[entry]) * Double(b[row, j]) }
            }
        }
        #expect(ReductionTestData.maxAbsDifference(product.values, expected) < 1e-5)
        // A precomputed transpose gives the same bits.
        #expect(x.transposeMultiplied(by: b, transpose: x.transposed()) == product)
    }

    @Test func transposeIsValidAndInvolutive() {
        let x = ReductionTestData.randomSparse(rows: 120, columns: 80, density: 0.07, seed: 5)
        let t = x.transposed()
        #expect(t.isValid())
        #expect(t.rowCount == 80 && t.columnCount == 120 && t.storedCount == x.storedCount)
        #expect(t.transposed() == x)
    }

    @Test func resultsAreBitIdenticalForAnyWorkerCount() {
        let x = ReductionTestData.randomSparse(rows: 2_000, columns: 700, density: 0.02, seed: 77)
        let right = ReductionTestData.randomDense(rows: 700, columns: 33, seed: 78)
        let left = ReductionTestData.randomDense(rows: 2_000, columns: 33, seed: 79)
        let results = ReductionTestData.withWorkerCounts([1, 2, 3, 8]) {
            (x.multiplied(by: right), x.transposeMultiplied(by: left))
        }
        for result in results.dropFirst() {
            #expect(result.0.values == results[0].0.values)
            #expect(result.1.values == results[0].1.values)
        }
    }

    @Test func emptyRowsAndMatricesGiveZeros() {
        let empty = CSRMatrix(rowCount: 3, columnCount: 4, rowStarts: [0, 0, 0, 0], columns: [], values: [])
        let b = ReductionTestData.randomDense(rows: 4, columns: 2, seed: 1)
        #expect(empty.multiplied(by: b).values == [Float](repeating: 0, count: 6))
        let c = ReductionTestData.randomDense(rows: 3, columns: 2, seed: 2)
        #expect(empty.transposeMultiplied(by: c).values == [Float](repeating: 0, count: 8))
        let none = CSRMatrix(rowCount: 0, columnCount: 4, rowStarts: [0], columns: [], values: [])
        #expect(none.multiplied(by: b).rowCount == 0)
    }

    @Test func selectingRowsCopiesThoseRows() {
        let x = ReductionTestData.randomSparse(rows: 30, columns: 10, density: 0.3, seed: 3)
        let picked = x.selectingRows([4, 0, 29, 4])
        #expect(picked.isValid() && picked.rowCount == 4)
        for (position, row) in [4, 0, 29, 4].enumerated() {
            #expect(picked.row(position).columns.elementsEqual(x.row(row).columns))
            #expect(picked.row(position).values.elementsEqual(x.row(row).values))
        }
    }
}
