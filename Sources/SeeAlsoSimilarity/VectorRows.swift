import SeeAlsoBLAS
import SeeAlsoSupport
import SeeAlsoVectorize

/// The rows spherical k-means and the partitioned index work on: dense reduced vectors (LSA, n×d)
/// or sparse TF-IDF rows (CSR, n×V). Rows should have unit L2 norm (cosine = inner product); zero rows
/// are allowed and score 0 against everything.
package enum VectorRows: Sendable {
    case dense(DenseMatrix)
    case sparse(CSRMatrix)

    package var count: Int {
        switch self {
        case .dense(let matrix): return matrix.rowCount
        case .sparse(let matrix): return matrix.rowCount
        }
    }

    package var dimension: Int {
        switch self {
        case .dense(let matrix): return matrix.columnCount
        case .sparse(let matrix): return matrix.columnCount
        }
    }

    /// The rows at `indices`, in that order.
    package func subset(_ indices: [Int]) -> VectorRows {
        switch self {
        case .dense(let matrix): return .dense(matrix.selectingRows(indices))
        case .sparse(let matrix): return .sparse(matrix.selectingRows(indices))
        }
    }

    /// Row `row` as a dense vector written into `output` (`dimension` floats).
    package func copyRow(_ row: Int, into output: UnsafeMutablePointer<Float>) {
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

    /// Adds row `row` into a Double accumulator of `dimension` entries (in stored order).
    package func add(_ row: Int, into sum: UnsafeMutablePointer<Double>) {
        switch self {
        case .dense(let matrix):
            let d = matrix.columnCount
            matrix.values.withUnsafeBufferPointer { values in
                let source = values.baseAddress! + row * d
                for j in 0..<d { sum[j] += Double(source[j]) }
            }
        case .sparse(let matrix):
            for entry in matrix.rowStarts[row]..<matrix.rowStarts[row + 1] {
                sum[Int(matrix.columns[entry])] += Double(matrix.values[entry])
            }
        }
    }

    /// S = rows·Cᵀ as one n × k row-major array: the blocks of `forEachScoreBlock` gathered.
    package func scoreMatrix(_ centroids: DenseMatrix) -> [Float] {
        let k = centroids.rowCount
        var scores = [Float](repeating: 0, count: count * k)
        scores.withUnsafeMutableBufferPointer { buffer in
            let output = SharedMutablePointer(buffer.baseAddress!)
            forEachScoreBlock(centroids) { range, block in
                (output.base + range.lowerBound * k).update(from: block, count: range.count * k)
            }
        }
        return scores
    }

    /// Rows per score block: depends only on the number of centroids (never on the worker count), so
    /// results are reproducible; a block's scores take at most 4 MB.
    package static func blockRows(centroidCount k: Int) -> Int { max(64, min(4096, (1 << 20) / max(1, k))) }

    /// For fixed blocks of rows computes S = rows·Cᵀ (block × k, row-major) and hands it to `body` on the
    /// worker that computed it. Dense rows: one `sgemm` per block. Sparse rows: the sparse × dense kernel
    /// with Cᵀ (V×k). Either way every value depends only on its row and C, whatever the scheduling.
    ///
    /// Cost: dense 2·n·k·d FLOPs; sparse 2·nnz·k FLOPs plus reading one k-wide row of Cᵀ per entry.
    package func forEachScoreBlock(_ centroids: DenseMatrix, _ body: @Sendable (Range<Int>, UnsafeMutablePointer<Float>) -> Void) {
        let n = count, k = centroids.rowCount
        precondition(centroids.columnCount == dimension, "VectorRows: centroids of dimension \(centroids.columnCount), rows \(dimension)")
        guard n > 0, k > 0 else { return }
        let rowsPerBlock = Self.blockRows(centroidCount: k)
        let blockCount = (n + rowsPerBlock - 1) / rowsPerBlock
        switch self {
        case .dense(let points):
            let d = points.columnCount
            points.values.withUnsafeBufferPointer { pointBuffer in
                centroids.values.withUnsafeBufferPointer { centroidBuffer in
                    let source = SharedPointer(pointBuffer.baseAddress!)
                    let centers = SharedPointer(centroidBuffer.baseAddress!)
                    Self.forEachBlock(blockCount, rowsPerBlock: rowsPerBlock, n: n, k: k) { rows, scratch in
                        BLAS.sgemm(transposeB: true, m: rows.count, n: k, k: d, a: source.base + rows.lowerBound * d, lda: d,
                                   b: centers.base, ldb: d, c: scratch, ldc: k)
                        body(rows, scratch)
                    }
                }
            }
        case .sparse(let matrix):
            let transposed = centroids.transposed()
            transposed.values.withUnsafeBufferPointer { centroidBuffer in
                let centers = SharedPointer(centroidBuffer.baseAddress!)
                Self.forEachBlock(blockCount, rowsPerBlock: rowsPerBlock, n: n, k: k) { rows, scratch in
                    matrix.multiplyRows(rows, dense: centers.base, width: k, into: scratch)
                    body(rows, scratch)
                }
            }
        }
    }

    /// Runs `fill` for every block on the workers, each with its own scratch of rowsPerBlock × k floats.
    private static func forEachBlock(_ blockCount: Int, rowsPerBlock: Int, n: Int, k: Int,
                                     _ fill: @Sendable (Range<Int>, UnsafeMutablePointer<Float>) -> Void) {
        let workers = Parallelism.workerCount
        let scratch = (0..<workers).map { _ in ScoreBuffer(count: rowsPerBlock * k) }
        Parallelism.forEachDynamic(blockCount, workers: workers) { block, worker in
            let lower = block * rowsPerBlock
            fill(lower..<min(n, lower + rowsPerBlock), scratch[worker].pointer)
        }
    }
}
