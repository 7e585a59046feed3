import Foundation
import SeeAlsoBLAS
import SeeAlsoSupport
import SeeAlsoVectorize

/// Truncated SVD of a sparse TF-IDF matrix by the randomized range finder of Halko, Martinsson & Tropp
/// (2011, "Finding structure with randomness", Algorithms 4.3/4.4 and 5.1): latent semantic analysis (LSA).
///
/// For X (n×V, CSR), rank d, oversampling p and q power iterations, with ℓ = d + p:
///
///     Ω  = V×ℓ standard Gaussian (seeded)
///     Q  = qr(X·Ω)                                   n×ℓ, orthonormal columns
///     repeat q times:  Q' = qr(Xᵀ·Q);  Q = qr(X·Q')  (re-orthonormalised every step, as scikit-learn's
///                                                    QR normaliser does, so small directions survive)
///     Bᵀ = Xᵀ·Q                                      V×ℓ, so that X ≈ Q·B
///     Bᵀ = U_B·Σ·Wᵀ  (thin SVD: Bᵀ = Q_z·R, R = U_R·Σ·Wᵀ by sgesdd, U_B = Q_z·U_R)
///                                                    ⇒  X ≈ (Q·W)·Σ·U_Bᵀ
///
/// and keeps the first d singular values σ and right singular vectors V = U_B[:, 0..<d] (V×d). Each
/// right singular vector's sign is fixed so that its largest-magnitude entry is positive (deterministic
/// output). Projection of any rows is X·V (what scikit-learn's `TruncatedSVD.transform` returns), or
/// X·V·Σ⁻¹ (the left singular vectors U for the fitted rows), optionally L2-normalised per row.
///
/// Cost, with nnz stored entries in the fitted rows (m of them):
/// - sparse products: (2q + 2) products with X or Xᵀ at 2·nnz·ℓ FLOPs each, parallel over workers;
/// - QR: 2q + 2 tall-skinny QRs (TSQR over fixed row blocks, blocks in parallel, LAPACK at one BLAS
///   thread each), ≈ 6·ℓ²·(m·(q + 1) + V·(q + 1)) FLOPs in total;
/// - SVD of Bᵀ through its TSQR: sgesdd of the ℓ×ℓ factor R plus one V×ℓ×ℓ sgemm;
/// - drawing Ω: V·ℓ Gaussians.
///
/// Memory: the fitted rows' transpose (8·nnz + 8·V bytes; plus a copy of the sampled rows when fitting
/// on a sample), and about 4·ℓ·(3·m + 4·V) bytes of dense work matrices. For a 1M × 500k corpus with
/// 200 entries per row, fitting on a quarter of the rows at d = 100 needs about 2 GB besides the input.
///
/// Reproducibility: the result depends only on the input, the parameters and the seed — not on the worker
/// count (OpenBLAS runs on one thread: LAPACK's results change slightly with its thread count).
package struct RandomizedSVD: Sendable {
    /// Which rows the decomposition is fitted on. Projection works on any rows afterwards.
    package enum RowSample: Sendable, Equatable {
        /// Every row.
        case all
        /// The first `count` rows (all rows if there are fewer).
        case first(Int)
        /// Each row index i for which a seeded 64-bit hash of (seed, i) falls below `fraction`·2⁶⁴:
        /// an independent, reproducible Bernoulli(fraction) choice per row, stable as the corpus grows.
        case hashed(fraction: Double, seed: UInt64)

        /// The selected row indices in increasing order, or nil for all rows.
        package func rowIndices(rowCount: Int) -> [Int]? {
            switch self {
            case .all:
                return nil
            case .first(let count):
                return count >= rowCount ? nil : Array(0..<max(0, count))
            case .hashed(let fraction, let seed):
                if fraction >= 1 { return nil }
                guard fraction > 0 else { return [] }
                let threshold = UInt64(min(Double(UInt64.max), (fraction * 0x1p64).rounded(.down)))
                return (0..<rowCount).filter { SplitMix64.hash(seed: seed, index: UInt64($0)) < threshold }
            }
        }
    }

    /// σ₀ ≥ σ₁ ≥ … ≥ σ_{d−1} of the fitted rows.
    package let singularValues: [Float]
    /// V×d: column j is the j-th right singular vector; projecting a row x gives x·V.
    package let rightSingularVectors: DenseMatrix
    /// How many rows the decomposition was fitted on.
    package let fittedRowCount: Int

    /// The target dimension d.
    package var rank: Int { singularValues.count }
    /// The input dimension V (vocabulary size).
    package var inputDimension: Int { rightSingularVectors.rowCount }

    package init(singularValues: [Float], rightSingularVectors: DenseMatrix, fittedRowCount: Int) {
        precondition(rightSingularVectors.columnCount == singularValues.count, "RandomizedSVD: shape mismatch")
        self.singularValues = singularValues
        self.rightSingularVectors = rightSingularVectors
        self.fittedRowCount = fittedRowCount
    }

    /// Fits a rank-`rank` truncated SVD of `matrix` (or of the rows `sample` selects).
    ///
    /// - Parameters:
    ///   - rank: d, the number of singular triplets kept; at most min(fitted rows, columns).
    ///   - oversampling: p, extra random directions (ℓ = d + p, capped at min(rows, columns)). 10 by default.
    ///   - powerIterations: q, 2 by default (scikit-learn's TruncatedSVD uses 5). More iterations sharpen
    ///     the tail singular values at 2 sparse products and 2 QRs each.
    ///   - seed: seeds the Gaussian test matrix Ω (row r of Ω comes from its own SplitMix64 stream).
    ///   - sample: fit on all rows, the first m, or a seeded hashed fraction of them.
    /// - Throws: `LAPACKError` if a QR or the small SVD fails.
    package static func fit(_ matrix: CSRMatrix, rank: Int, oversampling: Int = 10, powerIterations: Int = 2,
                           seed: UInt64 = 0, sample: RowSample = .all) throws -> RandomizedSVD {
        let fitted: CSRMatrix
        if let indices = sample.rowIndices(rowCount: matrix.rowCount) {
            fitted = matrix.selectingRows(indices)
        } else {
            fitted = matrix
        }
        let m = fitted.rowCount, vocabulary = fitted.columnCount
        precondition(rank >= 1 && rank <= min(m, vocabulary),
                     "RandomizedSVD: rank \(rank) needs 1 ≤ rank ≤ min(\(m) fitted rows, \(vocabulary) columns)")
        precondition(oversampling >= 0 && powerIterations >= 0, "RandomizedSVD: negative oversampling or iterations")
        let width = min(rank + oversampling, m, vocabulary)
        let transpose = fitted.transposed()

        let omega = gaussianMatrix(rows: vocabulary, columns: width, seed: seed)
        var basis = try orthonormalized(fitted.multiplied(by: omega))                  // m×ℓ
        for _ in 0..<powerIterations {
            let right = try orthonormalized(transpose.multiplied(by: basis))          // V×ℓ
            basis = try orthonormalized(fitted.multiplied(by: right))                 // m×ℓ
        }
        let bTransposed = transpose.multiplied(by: basis)                              // V×ℓ = (Qᵀ·X)ᵀ

        let (values, vectors) = try smallSVD(bTransposed)                              // V×ℓ left vectors
        var components = DenseMatrix(rowCount: vocabulary, columnCount: rank)
        for row in 0..<vocabulary {
            for column in 0..<rank { components[row, column] = vectors[row * width + column] }
        }
        fixSigns(&components)
        return RandomizedSVD(singularValues: Array(values.prefix(rank)), rightSingularVectors: components,
                             fittedRowCount: m)
    }

    /// Projects CSR rows (same columns as the fitted matrix) into the d-dimensional latent space.
    ///
    /// Returns X·V (n×d); with `divideBySingularValues`, X·V·Σ⁻¹ (components with σ = 0 give 0); with
    /// `normalize` (the default, what cosine search and spherical k-means want) each row is then scaled
    /// to unit L2 norm. Cost: 2·nnz·d FLOPs in parallel plus O(n·d); memory: the n×d result.
    package func project(_ rows: CSRMatrix, divideBySingularValues: Bool = false, normalize: Bool = true) -> DenseMatrix {
        precondition(rows.columnCount == inputDimension,
                     "RandomizedSVD.project: rows have \(rows.columnCount) columns, the model \(inputDimension)")
        var result = rows.multiplied(by: rightSingularVectors)
        if divideBySingularValues {
            let largest = singularValues.first ?? 0
            let scales = singularValues.map { $0 > largest * 1e-7 && $0 > 0 ? 1 / $0 : 0 }
            let d = rank, rowCount = result.rowCount
            result.values.withUnsafeMutableBufferPointer { buffer in
                for row in 0..<rowCount {
                    for column in 0..<d { buffer[row * d + column] *= scales[column] }
                }
            }
        }
        if normalize { result.normalizeRows() }
        return result
    }

    // MARK: Steps

    /// V×ℓ standard normal entries by Box–Muller; row r uses the SplitMix64 stream (seed, r), so the
    /// matrix is the same for any worker count. Cost: V·ℓ Gaussians (a log, a square root, a sin/cos per pair).
    static func gaussianMatrix(rows: Int, columns: Int, seed: UInt64) -> DenseMatrix {
        var result = DenseMatrix(rowCount: rows, columnCount: columns)
        result.values.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let output = SharedMutablePointer(base)
            Parallelism.forEachRange(rows, minimumChunk: 256) { range, _ in
                for row in range {
                    var random = SplitMix64(seed: seed, stream: UInt64(row))
                    var column = 0
                    while column < columns {
                        let (first, second) = random.nextGaussianPair()
                        output[row * columns + column] = Float(first)
                        if column + 1 < columns { output[row * columns + column + 1] = Float(second) }
                        column += 2
                    }
                }
            }
        }
        return result
    }

    /// Q of a thin QR of a tall dense matrix (an orthonormal basis of its columns).
    static func orthonormalized(_ matrix: DenseMatrix) throws -> DenseMatrix {
        try tallSkinnyQR(matrix, wantR: false).q
    }

    /// Rows per TSQR block: fixed by the width alone, so the factorisation (and every result built on it)
    /// is the same for any worker count. Each block has at least 16·ℓ rows.
    static func tsqrBlockRows(width: Int) -> Int { max(16 * width, 8_192) }

    /// Tall-skinny QR (Demmel, Grigori, Hoemmen & Langou 2012), one level: the m×ℓ matrix is cut into
    /// fixed blocks A_i = Q_i·R_i factored in parallel (LAPACK, one BLAS thread each), the stacked R_i are
    /// factored once more, [R_1; …; R_b] = Q_s·R, and Q = diag(Q_i)·Q_s is formed block by block with sgemm.
    /// Cost ≈ 4·m·ℓ² (parallel) + 2·m·ℓ² (sgemm) FLOPs; memory: Q, one m×ℓ column-major copy inside the
    /// LAPACK calls, and b·ℓ² for the stacked R_i.
    static func tallSkinnyQR(_ matrix: DenseMatrix, wantR: Bool) throws -> (q: DenseMatrix, r: [Float]?) {
        let m = matrix.rowCount, l = matrix.columnCount
        var q = DenseMatrix(rowCount: m, columnCount: l)
        var r: [Float]? = wantR ? [Float](repeating: 0, count: l * l) : nil
        let blocks = max(1, m / tsqrBlockRows(width: l))
        if blocks == 1 {
            try matrix.values.withUnsafeBufferPointer { input in
                try q.values.withUnsafeMutableBufferPointer { output in
                    if r != nil {
                        try r!.withUnsafeMutableBufferPointer { rBuffer in
                            try LAPACK.thinQR(rows: m, columns: l, input.baseAddress!, q: output.baseAddress!, r: rBuffer.baseAddress!)
                        }
                    } else {
                        try LAPACK.thinQR(rows: m, columns: l, input.baseAddress!, q: output.baseAddress!)
                    }
                }
            }
            return (q, r)
        }
        let bounds = (0...blocks).map { m * $0 / blocks }
        var stacked = [Float](repeating: 0, count: blocks * l * l)
        try matrix.values.withUnsafeBufferPointer { input in
            try q.values.withUnsafeMutableBufferPointer { output in
                try stacked.withUnsafeMutableBufferPointer { stackedBuffer in
                    let source = SharedPointer(input.baseAddress!)
                    let target = SharedMutablePointer(output.baseAddress!)
                    let rs = SharedMutablePointer(stackedBuffer.baseAddress!)
                    try Parallelism.forEach(blocks) { block in
                        let (lower, upper) = (bounds[block], bounds[block + 1])
                        try LAPACK.thinQR(rows: upper - lower, columns: l, source.base + lower * l,
                                          q: target.base + lower * l, r: rs.base + block * l * l)
                    }
                }
            }
        }
        var stackedQ = [Float](repeating: 0, count: blocks * l * l)
        try stacked.withUnsafeBufferPointer { input in
            try stackedQ.withUnsafeMutableBufferPointer { output in
                if r != nil {
                    try r!.withUnsafeMutableBufferPointer { rBuffer in
                        try LAPACK.thinQR(rows: blocks * l, columns: l, input.baseAddress!, q: output.baseAddress!, r: rBuffer.baseAddress!)
                    }
                } else {
                    try LAPACK.thinQR(rows: blocks * l, columns: l, input.baseAddress!, q: output.baseAddress!)
                }
            }
        }
        q.values.withUnsafeMutableBufferPointer { output in
            stackedQ.withUnsafeBufferPointer { small in
                let target = SharedMutablePointer(output.baseAddress!)
                let factors = SharedPointer(small.baseAddress!)
                Parallelism.forEach(blocks) { block in
                    let (lower, upper) = (bounds[block], bounds[block + 1])
                    let local = Array(UnsafeBufferPointer(start: target.base + lower * l, count: (upper - lower) * l))
                    BLAS.sgemm(m: upper - lower, n: l, k: l, a: local, lda: l, b: factors.base + block * l * l, ldb: l,
                               c: target.base + lower * l, ldc: l)
                }
            }
        }
        return (q, r)
    }

    /// Singular values (descending) and left singular vectors (rows×ℓ row-major) of the tall matrix Bᵀ.
    ///
    /// Bᵀ = Q_z·R (TSQR), R = U_R·Σ·Wᵀ (sgesdd on ℓ×ℓ), so the left singular vectors are Q_z·U_R (sgemm per
    /// fixed row block). Cost ≈ 6·V·ℓ² + O(ℓ³) FLOPs, versus ≈ 4× that for sgesdd on the whole V×ℓ matrix.
    /// If sgesdd fails to converge, U_R comes from the eigendecomposition of R·Rᵀ = U_R·Σ²·U_Rᵀ instead.
    static func smallSVD(_ tall: DenseMatrix) throws -> (values: [Float], vectors: [Float]) {
        let rows = tall.rowCount, width = tall.columnCount
        let (basis, triangle) = try tallSkinnyQR(tall, wantR: true)
        let r = triangle!
        var values: [Float]
        var leftOfR: [Float]
        do {
            let svd = try LAPACK.singularValueDecomposition(r, rows: width, columns: width)
            values = svd.values
            leftOfR = svd.u
        } catch let error as LAPACKError where error.info > 0 {
            var gram = [Float](repeating: 0, count: width * width)
            BLAS.sgemm(transposeB: true, m: width, n: width, k: width, a: r, lda: width, b: r, ldb: width, c: &gram, ldc: width)
            let eigen = try LAPACK.symmetricEigen(gram, order: width)
            values = eigen.values.map { max(0, $0).squareRoot() }
            leftOfR = eigen.vectors
        }
        var vectors = [Float](repeating: 0, count: rows * width)
        let blockRows = tsqrBlockRows(width: width)
        let blocks = (rows + blockRows - 1) / blockRows
        basis.values.withUnsafeBufferPointer { basisBuffer in
            leftOfR.withUnsafeBufferPointer { factorBuffer in
                vectors.withUnsafeMutableBufferPointer { output in
                    let source = SharedPointer(basisBuffer.baseAddress!)
                    let factor = SharedPointer(factorBuffer.baseAddress!)
                    let target = SharedMutablePointer(output.baseAddress!)
                    Parallelism.forEach(blocks) { block in
                        let lower = block * blockRows, upper = min(rows, lower + blockRows)
                        BLAS.sgemm(m: upper - lower, n: width, k: width, a: source.base + lower * width, lda: width,
                                   b: factor.base, ldb: width, c: target.base + lower * width, ldc: width)
                    }
                }
            }
        }
        return (values, vectors)
    }

    /// Makes the largest-magnitude entry of every column positive (first such entry on ties).
    static func fixSigns(_ matrix: inout DenseMatrix) {
        for column in 0..<matrix.columnCount {
            var best: Float = 0, bestValue: Float = 0
            for row in 0..<matrix.rowCount {
                let value = matrix[row, column]
                if abs(value) > best { best = abs(value); bestValue = value }
            }
            if bestValue < 0 {
                for row in 0..<matrix.rowCount { matrix[row, column] = -matrix[row, column] }
            }
        }
    }
}
