import Foundation
import SeeAlsoBLAS
import SeeAlsoSimilarity
import SeeAlsoSupport
import SeeAlsoVectorize

/// The rows spherical k-means clusters: dense reduced vectors (LSA, n×d) or sparse TF-IDF rows (CSR,
/// n×V). Rows should have unit L2 norm (cosine = inner product); zero rows are allowed and score 0.
public enum ClusterRows: Sendable {
    case dense(DenseMatrix)
    case sparse(CSRMatrix)

    public var count: Int {
        switch self {
        case .dense(let matrix): return matrix.rowCount
        case .sparse(let matrix): return matrix.rowCount
        }
    }

    public var dimension: Int {
        switch self {
        case .dense(let matrix): return matrix.columnCount
        case .sparse(let matrix): return matrix.columnCount
        }
    }

    /// The rows at `indices`, in that order.
    public func subset(_ indices: [Int]) -> ClusterRows {
        switch self {
        case .dense(let matrix):
            let d = matrix.columnCount
            var result = DenseMatrix(rowCount: indices.count, columnCount: d)
            matrix.values.withUnsafeBufferPointer { source in
                result.values.withUnsafeMutableBufferPointer { target in
                    for (position, row) in indices.enumerated() {
                        (target.baseAddress! + position * d).update(from: source.baseAddress! + row * d, count: d)
                    }
                }
            }
            return .dense(result)
        case .sparse(let matrix):
            return .sparse(matrix.selectingRows(indices))
        }
    }

    /// Row `row` as a dense vector written into `output` (dimension floats).
    func copyRow(_ row: Int, into output: UnsafeMutablePointer<Float>) {
        switch self {
        case .dense(let matrix):
            matrix.values.withUnsafeBufferPointer { source in
                output.update(from: source.baseAddress! + row * matrix.columnCount, count: matrix.columnCount)
            }
        case .sparse(let matrix):
            output.update(repeating: 0, count: matrix.columnCount)
            for entry in matrix.rowStarts[row]..<matrix.rowStarts[row + 1] {
                output[Int(matrix.columns[entry])] = matrix.values[entry]
            }
        }
    }

    /// For fixed blocks of rows computes S = rows·Cᵀ (block × k, row-major) and hands it to `body` on the
    /// worker that computed it. Dense rows: one `sgemm` per block (OpenBLAS at 1 thread inside the
    /// workers). Sparse rows: the sparse × dense product with Cᵀ (V×k), each row summed in its stored
    /// order by one worker. Either way every value depends only on its row and C.
    ///
    /// Cost: dense 2·n·k·d FLOPs; sparse 2·nnz·k FLOPs plus reading one k-wide row of Cᵀ per entry.
    func forEachScoreBlock(_ centroids: Centroids, _ body: @Sendable (Range<Int>, UnsafeMutablePointer<Float>) -> Void) {
        let n = count, k = centroids.count
        guard n > 0, k > 0 else { return }
        if BLAS.threads != 1 { BLAS.setThreads(1) }
        switch self {
        case .dense(let points):
            SphericalKMeans.forEachSimilarityBlock(points, centroids.matrix, body)
        case .sparse(let matrix):
            let rowsPerBlock = SphericalKMeans.blockRows(centroidCount: k)
            let blockCount = (n + rowsPerBlock - 1) / rowsPerBlock
            let transposed = centroids.transposedValues()
            matrix.rowStarts.withUnsafeBufferPointer { startBuffer in
                matrix.columns.withUnsafeBufferPointer { columnBuffer in
                    matrix.values.withUnsafeBufferPointer { valueBuffer in
                        transposed.withUnsafeBufferPointer { centroidBuffer in
                            let starts = SharedPointer(startBuffer.baseAddress!)
                            let columns = SharedPointer(columnBuffer.baseAddress ?? UnsafePointer(bitPattern: 8)!)
                            let values = SharedPointer(valueBuffer.baseAddress ?? UnsafePointer(bitPattern: 8)!)
                            let centers = SharedPointer(centroidBuffer.baseAddress!)
                            Parallelism.forEachDynamic(blockCount) { block, _ in
                                let lower = block * rowsPerBlock, upper = min(n, lower + rowsPerBlock)
                                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: (upper - lower) * k)
                                defer { scratch.deallocate() }
                                for row in lower..<upper {
                                    sparseRowTimesCentroids(start: starts[row], end: starts[row + 1],
                                                            columns: columns.base, values: values.base,
                                                            transposed: centers.base, k: k,
                                                            output: scratch + (row - lower) * k)
                                }
                                body(lower..<upper, scratch)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Adds row `row` times `scale` into a Double accumulator of `dimension` entries.
    @inline(__always)
    func accumulate(_ row: Int, into sum: UnsafeMutablePointer<Double>, dense: UnsafePointer<Float>?,
                    starts: UnsafePointer<Int>?, columns: UnsafePointer<Int32>?, values: UnsafePointer<Float>?) {
        if let dense {
            let d = dimension
            let source = dense + row * d
            for j in 0..<d { sum[j] += Double(source[j]) }
        } else if let starts, let columns, let values {
            for entry in starts[row]..<starts[row + 1] { sum[Int(columns[entry])] += Double(values[entry]) }
        }
    }

    /// Calls `body` with raw pointers to the row data (dense values, or CSR arrays).
    func withRawRows<R>(_ body: (UnsafePointer<Float>?, UnsafePointer<Int>?, UnsafePointer<Int32>?, UnsafePointer<Float>?) -> R) -> R {
        switch self {
        case .dense(let matrix):
            return matrix.values.withUnsafeBufferPointer { body($0.baseAddress, nil, nil, nil) }
        case .sparse(let matrix):
            return matrix.rowStarts.withUnsafeBufferPointer { starts in
                matrix.columns.withUnsafeBufferPointer { columns in
                    matrix.values.withUnsafeBufferPointer { values in
                        body(nil, starts.baseAddress, columns.baseAddress ?? UnsafePointer(bitPattern: 8)!,
                             values.baseAddress ?? UnsafePointer(bitPattern: 8)!)
                    }
                }
            }
        }
    }
}

/// k centroids of dimension d, row-major (k×d), unit rows.
public struct Centroids: Sendable, Equatable {
    public var count: Int
    public var dimension: Int
    public var values: [Float]

    public init(count: Int, dimension: Int, values: [Float]? = nil) {
        self.count = count
        self.dimension = dimension
        self.values = values ?? [Float](repeating: 0, count: count * dimension)
        precondition(self.values.count == count * dimension, "Centroids: \(self.values.count) values for \(count)×\(dimension)")
    }

    public var matrix: DenseMatrix { DenseMatrix(rowCount: count, columnCount: dimension, values: values) }

    public func row(_ index: Int) -> ArraySlice<Float> { values[index * dimension..<(index + 1) * dimension] }

    /// d×k (Cᵀ), for the sparse kernel. O(k·d).
    func transposedValues() -> [Float] {
        let k = count, d = dimension
        var result = [Float](repeating: 0, count: k * d)
        values.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                for c in 0..<k {
                    let row = source.baseAddress! + c * d
                    for j in 0..<d { target[j * k + c] = row[j] }
                }
            }
        }
        return result
    }
}

/// output[0..<k] = Σ values[e] · transposed[columns[e]·k ..< +k] over the row's entries in stored order
/// (two entries per pass, combined as (a + b) and added to the running sums).
@inline(__always)
func sparseRowTimesCentroids(start: Int, end: Int, columns: UnsafePointer<Int32>, values: UnsafePointer<Float>,
                             transposed: UnsafePointer<Float>, k: Int, output: UnsafeMutablePointer<Float>) {
    output.update(repeating: 0, count: k)
    var entry = start
    while entry + 2 <= end {
        let v0 = values[entry], v1 = values[entry + 1]
        let r0 = transposed + Int(columns[entry]) * k
        let r1 = transposed + Int(columns[entry + 1]) * k
        for c in 0..<k { output[c] += v0 * r0[c] + v1 * r1[c] }
        entry += 2
    }
    if entry < end {
        let v = values[entry]
        let r = transposed + Int(columns[entry]) * k
        for c in 0..<k { output[c] += v * r[c] }
    }
}

/// SplitMix64 streams for the clustering code: (seed, stream) pairs give unrelated sequences.
struct ClusterRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64, stream: UInt64 = 0) {
        state = ClusterRandom.finalize(seed &+ ClusterRandom.finalize(stream &+ 0x632B_E59B_D9B4_E019))
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return ClusterRandom.finalize(state)
    }

    /// Uniform in (0, 1).
    mutating func nextOpenUnit() -> Double { (Double(next() >> 11) + 0.5) * 0x1p-53 }

    /// Uniform in [0, bound).
    mutating func nextIndex(below bound: Int) -> Int { Int(next().multipliedFullWidth(by: UInt64(bound)).high) }

    /// A derived seed (for restart r of a seeded procedure).
    static func derive(_ seed: UInt64, _ index: UInt64) -> UInt64 { finalize(finalize(seed ^ 0xA076_1D64_78BD_642F) &+ index) }

    static func finalize(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
