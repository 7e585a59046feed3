import SeeAlsoSimilarity
import SeeAlsoSupport
import SeeAlsoVectorize

/// Seeded test matrices: random dense and sparse matrices, unit vectors, planted clusters, and
/// conversions between the dense and sparse forms.
package enum TestMatrices {
    /// Entries uniform in [-1, 1].
    package static func randomDense(rows: Int, columns: Int, seed: UInt64) -> DenseMatrix {
        var random = SplitMix64(seed: seed)
        return DenseMatrix(rowCount: rows, columnCount: columns,
                           values: (0..<rows * columns).map { _ in Float.random(in: -1...1, using: &random) })
    }

    /// A random sparse matrix with about `density`·rows·columns stored entries in [-1, 1] (some empty rows).
    package static func randomSparse(rows: Int, columns: Int, density: Double, seed: UInt64) -> CSRMatrix {
        var random = SplitMix64(seed: seed)
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

    /// Unit rows in uniformly random directions (normalised Gaussian vectors).
    package static func unitVectors(rows: Int, dimension: Int, seed: UInt64) -> DenseMatrix {
        var random = SplitMix64(seed: seed)
        var points = DenseMatrix(rowCount: rows, columnCount: dimension, values: (0..<rows * dimension).map { _ in random.normal() })
        points.normalizeRows()
        return points
    }

    /// `clusters` random unit centres, `perCluster` noisy unit points around each, in a shuffled order.
    /// Returns the points and each point's planted cluster.
    package static func plantedDense(clusters: Int, perCluster: Int, dimension: Int, noise: Float, seed: UInt64) -> (DenseMatrix, [Int]) {
        var random = SplitMix64(seed: seed)
        var centres = DenseMatrix(rowCount: clusters, columnCount: dimension,
                                  values: (0..<clusters * dimension).map { _ in random.normal() })
        centres.normalizeRows()
        var labels = (0..<clusters * perCluster).map { $0 / perCluster }
        labels.shuffle(using: &random)
        var points = DenseMatrix(rowCount: labels.count, columnCount: dimension)
        for (row, label) in labels.enumerated() {
            for j in 0..<dimension { points[row, j] = centres[label, j] + noise * random.normal() }
        }
        points.normalizeRows()
        return (points, labels)
    }

    /// TF-IDF-like sparse rows: cluster c owns terms c·termsPerCluster ..< (c+1)·termsPerCluster; each row
    /// takes `own` of its cluster's terms and `noise` terms from the shared tail, weights positive, L2 rows.
    package static func plantedSparse(clusters: Int, perCluster: Int, termsPerCluster: Int = 30, sharedTerms: Int = 200,
                                      own: Int = 8, noise: Int = 4, seed: UInt64) -> (CSRMatrix, [Int]) {
        var random = SplitMix64(seed: seed)
        var labels = (0..<clusters * perCluster).map { $0 / perCluster }
        labels.shuffle(using: &random)
        let columns = clusters * termsPerCluster + sharedTerms
        var starts = [0], cols = [Int32](), vals = [Float]()
        for label in labels {
            var entries: [Int32: Float] = [:]
            for _ in 0..<own {
                entries[Int32(label * termsPerCluster + Int.random(in: 0..<termsPerCluster, using: &random))] = Float.random(in: 0.5...1.5, using: &random)
            }
            for _ in 0..<noise {
                entries[Int32(clusters * termsPerCluster + Int.random(in: 0..<sharedTerms, using: &random))] = Float.random(in: 0.2...1, using: &random)
            }
            let norm = entries.values.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
            for column in entries.keys.sorted() {
                cols.append(column)
                vals.append(entries[column]! / norm)
            }
            starts.append(cols.count)
        }
        return (CSRMatrix(rowCount: labels.count, columnCount: columns, rowStarts: starts, columns: cols, values: vals), labels)
    }

    /// True when `assignments` equal the planted partition `labels` up to renaming (k clusters, one per label).
    package static func recovers(_ assignments: [Int32], _ labels: [Int], k: Int) -> Bool {
        var map = [Int: Int32]()
        var used = Set<Int32>()
        for (label, cluster) in zip(labels, assignments) {
            if let existing = map[label] {
                if existing != cluster { return false }
            } else {
                guard used.insert(cluster).inserted else { return false }
                map[label] = cluster
            }
        }
        return map.count == k
    }

    /// Every non-zero entry of a dense matrix, as CSR.
    package static func sparse(_ dense: DenseMatrix) -> CSRMatrix {
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

    /// A CSR matrix as a dense Float matrix.
    package static func dense(_ sparse: CSRMatrix) -> DenseMatrix {
        var dense = DenseMatrix(rowCount: sparse.rowCount, columnCount: sparse.columnCount)
        for row in 0..<sparse.rowCount {
            for entry in sparse.rowStarts[row]..<sparse.rowStarts[row + 1] {
                dense[row, Int(sparse.columns[entry])] = sparse.values[entry]
            }
        }
        return dense
    }

    /// A CSR matrix as rows of Doubles (for reference computations).
    package static func doubleRows(_ sparse: CSRMatrix) -> [[Double]] {
        let dense = dense(sparse)
        return (0..<dense.rowCount).map { row in dense.row(row).map(Double.init) }
    }
}

/// Shape of a generated TF-IDF-like matrix (`matrix()`): a few very frequent columns (the head), rare
/// Zipf-like terms, empty rows, bit-identical duplicate rows (exact ties) and optionally negative values.
package struct SparseMatrixSpec: Sendable, CustomStringConvertible {
    package var rows: Int
    package var columns: Int
    /// Columns present in about `frequentShare` of the rows (the head).
    package var frequentColumns: Int
    package var frequentShare: Double
    /// Mean number of rare (Zipf-like) terms per row.
    package var rareTerms: Int
    package var emptyShare: Double
    package var duplicateShare: Double
    /// Share of negative values (0 for TF-IDF-like data).
    package var negativeShare: Double = 0
    /// Rare columns drawn with a skew towards the first ones (false: uniformly).
    package var skewed = true
    /// The list length tests use with this matrix.
    package var k: Int
    package var seed: UInt64

    package init(rows: Int, columns: Int, frequentColumns: Int, frequentShare: Double, rareTerms: Int, emptyShare: Double,
                 duplicateShare: Double, negativeShare: Double = 0, k: Int, seed: UInt64) {
        self.rows = rows
        self.columns = columns
        self.frequentColumns = frequentColumns
        self.frequentShare = frequentShare
        self.rareTerms = rareTerms
        self.emptyShare = emptyShare
        self.duplicateShare = duplicateShare
        self.negativeShare = negativeShare
        self.k = k
        self.seed = seed
    }

    package var description: String { "\(rows)×\(columns) k=\(k) seed=\(seed)" }

    /// The all-pairs test cases: small and larger, frequent head columns, empty and duplicate rows,
    /// k above the number of rows, mixed signs.
    package static let standard: [SparseMatrixSpec] = [
        SparseMatrixSpec(rows: 50, columns: 30, frequentColumns: 3, frequentShare: 0.9, rareTerms: 3,
                         emptyShare: 0.06, duplicateShare: 0.1, k: 10, seed: 1),
        SparseMatrixSpec(rows: 263, columns: 700, frequentColumns: 5, frequentShare: 0.95, rareTerms: 8,
                         emptyShare: 0.03, duplicateShare: 0.08, k: 7, seed: 2),
        SparseMatrixSpec(rows: 700, columns: 3000, frequentColumns: 6, frequentShare: 0.92, rareTerms: 12,
                         emptyShare: 0.02, duplicateShare: 0.06, k: 12, seed: 3),
        // k larger than the number of rows: every positive pair is listed.
        SparseMatrixSpec(rows: 61, columns: 200, frequentColumns: 2, frequentShare: 0.5, rareTerms: 4,
                         emptyShare: 0.1, duplicateShare: 0.1, k: 80, seed: 4),
        // Mixed signs: only scores > 0 are listed.
        SparseMatrixSpec(rows: 181, columns: 120, frequentColumns: 4, frequentShare: 0.8, rareTerms: 5,
                         emptyShare: 0.05, duplicateShare: 0.05, negativeShare: 0.3, k: 9, seed: 5),
    ]


    /// The seeded matrix: sparse, rows L2-normalised (empty rows stay empty).
    package func matrix() -> CSRMatrix {
        var random = SplitMix64(seed: seed)
        var starts = [0]
        var columnList: [Int32] = []
        var valueList: [Float] = []
        var rowsSoFar: [[(Int32, Float)]] = []
        for row in 0..<rows {
            var stored: [(Int32, Float)] = []
            if Double.random(in: 0..<1, using: &random) < emptyShare {
                // an empty row
            } else if row > 0, Double.random(in: 0..<1, using: &random) < duplicateShare {
                // A bit-identical copy of an earlier row (exact ties).
                stored = rowsSoFar[Int.random(in: 0..<row, using: &random)]
            } else {
                var entries: [Int32: Double] = [:]
                for column in 0..<min(frequentColumns, columns) where Double.random(in: 0..<1, using: &random) < frequentShare {
                    entries[Int32(column)] = Double.random(in: 0.02...0.3, using: &random)
                }
                let rare = Int.random(in: 1...(2 * rareTerms), using: &random)
                let tail = columns - frequentColumns
                for _ in 0..<rare where tail > 0 {
                    let u = Double.random(in: 0..<1, using: &random)
                    let column = frequentColumns + min(tail - 1, Int((skewed ? u * u * u : u) * Double(tail)))
                    var value = Double.random(in: 0.05...1, using: &random)
                    if Double.random(in: 0..<1, using: &random) < negativeShare { value = -value }
                    entries[Int32(column)] = value
                }
                let sorted = entries.sorted { $0.key < $1.key }
                let norm = sorted.reduce(0.0) { $0 + $1.value * $1.value }.squareRoot()
                stored = sorted.map { ($0.key, Float($0.value / norm)) }
            }
            rowsSoFar.append(stored)
            for (column, value) in stored {
                columnList.append(column)
                valueList.append(value)
            }
            starts.append(columnList.count)
        }
        return CSRMatrix(rowCount: rows, columnCount: columns, rowStarts: starts, columns: columnList, values: valueList)
    }
}
