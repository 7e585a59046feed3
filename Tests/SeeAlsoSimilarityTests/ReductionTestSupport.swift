import SeeAlsoSupport
import SeeAlsoVectorize
@testable import SeeAlsoSimilarity

/// Seeded SplitMix64 for these tests.
typealias ReductionTestRandom = SplitMix64

extension SplitMix64 {
    /// Approximately standard normal (sum of 12 uniforms − 6): good enough for test data.
    mutating func normal() -> Float {
        var sum: Float = 0
        for _ in 0..<12 { sum += Float.random(in: 0..<1, using: &self) }
        return sum - 6
    }
}

enum ReductionTestData {
    /// A random sparse matrix with about `density`·rows·columns stored entries in [-1, 1] (some empty rows).
    static func randomSparse(rows: Int, columns: Int, density: Double, seed: UInt64) -> CSRMatrix {
        var random = ReductionTestRandom(seed: seed)
        var starts = [0], cols = [Int32](), vals = [Float]()
        for _ in 0..<rows {
            for column in 0..<columns where Double.random(in: 0..<1, using: &random) < density {
                cols.append(Int32(column))
                vals.append(Float.random(in: -1...1, using: &random))
            }
            starts.append(cols.count)
        }
        return CSRMatrix(rowCount: rows, columnCount: columns, rowStarts: starts, columns: cols, values: vals)
    }

    static func randomDense(rows: Int, columns: Int, seed: UInt64) -> DenseMatrix {
        var random = ReductionTestRandom(seed: seed)
        return DenseMatrix(rowCount: rows, columnCount: columns,
                           values: (0..<rows * columns).map { _ in Float.random(in: -1...1, using: &random) })
    }

    /// Every entry of a dense matrix stored in a CSR matrix (zeros skipped).
    static func csr(_ dense: DenseMatrix) -> CSRMatrix {
        var starts = [0], cols = [Int32](), vals = [Float]()
        for row in 0..<dense.rowCount {
            for column in 0..<dense.columnCount where dense[row, column] != 0 {
                cols.append(Int32(column))
                vals.append(dense[row, column])
            }
            starts.append(cols.count)
        }
        return CSRMatrix(rowCount: dense.rowCount, columnCount: dense.columnCount, rowStarts: starts, columns: cols, values: vals)
    }

    static func dense(_ sparse: CSRMatrix) -> [[Double]] {
        var result = [[Double]](repeating: [Double](repeating: 0, count: sparse.columnCount), count: sparse.rowCount)
        for row in 0..<sparse.rowCount {
            for entry in sparse.rowStarts[row]..<sparse.rowStarts[row + 1] {
                result[row][Int(sparse.columns[entry])] = Double(sparse.values[entry])
            }
        }
        return result
    }

    /// XᵀX in Double.
    static func gram(_ x: [[Double]]) -> [[Double]] {
        let columns = x.first?.count ?? 0
        var g = [[Double]](repeating: [Double](repeating: 0, count: columns), count: columns)
        for row in x {
            for i in 0..<columns where row[i] != 0 {
                for j in 0..<columns { g[i][j] += row[i] * row[j] }
            }
        }
        return g
    }

    /// Runs `body` once per worker count, restoring the previous count afterwards.
    static func withWorkerCounts<T>(_ counts: [Int], _ body: () throws -> T) rethrows -> [T] {
        let before = Parallelism.workerCount
        defer { Parallelism.setWorkerCount(before) }
        var results = [T]()
        for count in counts {
            Parallelism.setWorkerCount(count)
            results.append(try body())
        }
        return results
    }

    static func maxAbsDifference(_ a: [Float], _ b: [Double]) -> Double {
        zip(a, b).map { abs(Double($0) - $1) }.max() ?? 0
    }
}
