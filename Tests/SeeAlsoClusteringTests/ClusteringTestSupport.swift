import SeeAlsoSimilarity
import SeeAlsoSupport
import SeeAlsoVectorize
@testable import SeeAlsoClustering

/// Seeded SplitMix64 for these tests.
typealias ClusteringTestRandom = SplitMix64

extension SplitMix64 {
    /// Approximately standard normal (sum of 12 uniforms − 6): good enough for test data.
    mutating func normal() -> Float {
        var sum: Float = 0
        for _ in 0..<12 { sum += Float.random(in: 0..<1, using: &self) }
        return sum - 6
    }
}

enum ClusteringTestData {
    /// `clusters` random unit centres, `perCluster` noisy unit points around each, shuffled.
    static func plantedDense(clusters: Int, perCluster: Int, dimension: Int, noise: Float, seed: UInt64) -> (DenseMatrix, [Int]) {
        var random = ClusteringTestRandom(seed: seed)
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
    static func plantedSparse(clusters: Int, perCluster: Int, termsPerCluster: Int = 30, sharedTerms: Int = 200,
                              own: Int = 8, noise: Int = 4, seed: UInt64) -> (CSRMatrix, [Int]) {
        var random = ClusteringTestRandom(seed: seed)
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

    static func densify(_ matrix: CSRMatrix) -> DenseMatrix {
        var dense = DenseMatrix(rowCount: matrix.rowCount, columnCount: matrix.columnCount)
        for row in 0..<matrix.rowCount {
            for entry in matrix.rowStarts[row]..<matrix.rowStarts[row + 1] {
                dense[row, Int(matrix.columns[entry])] = matrix.values[entry]
            }
        }
        return dense
    }

    /// True when the clustering equals the planted partition up to renaming.
    static func recovers(_ assignments: [Int32], _ labels: [Int], k: Int) -> Bool {
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
}
