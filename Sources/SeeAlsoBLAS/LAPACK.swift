import COpenBLAS

/// A LAPACK routine reported `info ≠ 0`.
///
/// `info < 0` means argument number `-info` was invalid (a bug in the wrapper or its caller);
/// `info > 0` is the routine's own failure (e.g. an eigen/SVD iteration that did not converge).
public struct LAPACKError: Error, CustomStringConvertible, Sendable {
    public let routine: String
    public let info: Int
    public let message: String

    package init(routine: String, info: Int, message: String) {
        self.routine = routine
        self.info = info
        self.message = message
    }

    public var description: String { "\(routine) failed (info = \(info)): \(message)" }
}

/// Row-major Float32 wrappers around the few LAPACK routines SeeAlso needs (Fortran symbols exported by
/// OpenBLAS, declared in `COpenBLAS/shim.h`).
///
/// LAPACK is column-major; a row-major m×n buffer is the column-major n×m transpose of the same matrix.
/// Each wrapper states how it uses that fact. Workspaces are sized with LAPACK's own query (`lwork = -1`).
/// These calls run on one OpenBLAS thread (see `BLAS.singleThreaded`).
/// LAPACK indexes with 32-bit integers: every matrix must have at most `Int32.max` elements.
package enum LAPACK {
    // MARK: QR

    /// The thin QR factorisation A = Q·R of a row-major m×n matrix with m ≥ n, returning Q.
    ///
    /// - Parameters:
    ///   - a: m×n row-major input (not modified).
    ///   - q: m×n row-major output with orthonormal columns spanning the columns of A (may be the same
    ///     buffer as `a`).
    ///   - r: optional n×n row-major output, the upper-triangular R with A = Q·R (zeros below the diagonal).
    /// - Cost: sgeqrf + sorgqr ≈ 4·m·n² − 4·n³/3 FLOPs; memory: one m×n column-major copy plus n + a
    ///   blocked workspace (≈ 64·n floats). The copy is needed because LAPACK wants A column-major.
    package static func thinQR(rows m: Int, columns n: Int, _ a: UnsafePointer<Float>, q: UnsafeMutablePointer<Float>,
                              r: UnsafeMutablePointer<Float>? = nil) throws {
        _ = BLAS.singleThreaded
        precondition(m >= n && n >= 0, "thinQR: needs rows ≥ columns, got \(m)×\(n)")
        guard n > 0 else { return }
        precondition(m * n <= Int(Int32.max), "thinQR: \(m)×\(n) exceeds LAPACK's 32-bit indexing")
        var columnMajor = [Float](repeating: 0, count: m * n)
        columnMajor.withUnsafeMutableBufferPointer { transposeCopy(a, rows: m, columns: n, into: $0.baseAddress!) }
        var tau = [Float](repeating: 0, count: n)
        var rowsM = Int32(m), colsN = Int32(n), lda = Int32(m), info: Int32 = 0

        // Workspace query for both routines, then one shared buffer.
        var query: Float = 0
        var lwork: Int32 = -1
        sgeqrf_(&rowsM, &colsN, &columnMajor, &lda, &tau, &query, &lwork, &info)
        try check("sgeqrf (workspace query)", info)
        var size = workspaceSize(query)
        sorgqr_(&rowsM, &colsN, &colsN, &columnMajor, &lda, &tau, &query, &lwork, &info)
        try check("sorgqr (workspace query)", info)
        size = max(size, workspaceSize(query), n)
        var work = [Float](repeating: 0, count: size)
        lwork = Int32(size)

        sgeqrf_(&rowsM, &colsN, &columnMajor, &lda, &tau, &work, &lwork, &info)
        try check("sgeqrf", info)
        if let r {
            // R is the upper triangle of the factored column-major matrix: R[i][j] = A'[i + j·m] for i ≤ j.
            for i in 0..<n {
                for j in 0..<n { r[i * n + j] = j >= i ? columnMajor[i + j * m] : 0 }
            }
        }
        sorgqr_(&rowsM, &colsN, &colsN, &columnMajor, &lda, &tau, &work, &lwork, &info)
        try check("sorgqr", info)
        columnMajor.withUnsafeBufferPointer { transposeCopy($0.baseAddress!, rows: n, columns: m, into: q) }
    }

    /// Array form of `thinQR(rows:columns:_:q:)`: returns Q (m×n row-major, orthonormal columns).
    package static func thinQR(_ a: [Float], rows m: Int, columns n: Int) throws -> [Float] {
        precondition(a.count == m * n, "thinQR: \(a.count) values for \(m)×\(n)")
        var q = [Float](repeating: 0, count: m * n)
        try a.withUnsafeBufferPointer { input in
            try q.withUnsafeMutableBufferPointer { output in
                try thinQR(rows: m, columns: n, input.baseAddress!, q: output.baseAddress!)
            }
        }
        return q
    }

    // MARK: Symmetric eigendecomposition

    /// Eigenvalues in descending order and the matching orthonormal eigenvectors of a symmetric matrix.
    package struct SymmetricEigen: Sendable {
        /// λ₀ ≥ λ₁ ≥ … ≥ λₙ₋₁.
        package var values: [Float]
        /// n×n row-major; column i (elements `vectors[r * n + i]`) is the unit eigenvector of `values[i]`,
        /// so that A = V·diag(λ)·Vᵀ.
        package var vectors: [Float]
        package var order: Int
    }

    /// Symmetric eigendecomposition A = V·diag(λ)·Vᵀ (LAPACK ssyevd, divide and conquer).
    ///
    /// `a` is n×n and symmetric; only its lower triangle in row-major terms is read (the upper triangle of
    /// the same buffer read column-major). Row-major and column-major agree on a symmetric matrix, so no
    /// transposition is needed on input. Cost ≈ 9·n³ FLOPs with vectors; memory ≈ 2·n² + 6·n floats of
    /// workspace besides the n×n copy.
    package static func symmetricEigen(_ a: [Float], order n: Int) throws -> SymmetricEigen {
        _ = BLAS.singleThreaded
        precondition(a.count == n * n, "symmetricEigen: \(a.count) values for \(n)×\(n)")
        guard n > 0 else { return SymmetricEigen(values: [], vectors: [], order: 0) }
        precondition(n * n <= Int(Int32.max), "symmetricEigen: order \(n) exceeds LAPACK's 32-bit indexing")
        var matrix = a
        var values = [Float](repeating: 0, count: n)
        var jobz = CChar(UInt8(ascii: "V")), uplo = CChar(UInt8(ascii: "U"))
        var order = Int32(n), lda = Int32(n), info: Int32 = 0
        var workQuery: Float = 0, iworkQuery: Int32 = 0
        var lwork: Int32 = -1, liwork: Int32 = -1
        ssyevd_(&jobz, &uplo, &order, &matrix, &lda, &values, &workQuery, &lwork, &iworkQuery, &liwork, &info, 1, 1)
        try check("ssyevd (workspace query)", info)
        let workCount = max(1, workspaceSize(workQuery)), iworkCount = max(1, Int(iworkQuery))
        var work = [Float](repeating: 0, count: workCount)
        var iwork = [Int32](repeating: 0, count: iworkCount)
        lwork = Int32(workCount)
        liwork = Int32(iworkCount)
        ssyevd_(&jobz, &uplo, &order, &matrix, &lda, &values, &work, &lwork, &iwork, &liwork, &info, 1, 1)
        try check("ssyevd", info)

        // LAPACK: ascending values, eigenvector j = column j of the column-major result = row j of `matrix`.
        var vectors = [Float](repeating: 0, count: n * n)
        for i in 0..<n {
            let source = (n - 1 - i) * n
            for r in 0..<n { vectors[r * n + i] = matrix[source + r] }
        }
        return SymmetricEigen(values: values.reversed(), vectors: vectors, order: n)
    }

    // MARK: Singular value decomposition

    /// A thin SVD A = U·diag(σ)·Vᵀ of an m×n matrix, r = min(m, n).
    package struct SingularValueDecomposition: Sendable {
        /// σ₀ ≥ σ₁ ≥ … ≥ σᵣ₋₁ ≥ 0.
        package var values: [Float]
        /// m×r row-major; column i is the left singular vector of `values[i]`.
        package var u: [Float]
        /// r×n row-major; row i is the right singular vector of `values[i]`.
        package var vt: [Float]
        package var rows: Int
        package var columns: Int
    }

    /// Thin SVD of a row-major m×n matrix (LAPACK sgesdd, divide and conquer, JOBZ = 'S').
    ///
    /// The row-major buffer is handed to LAPACK as the column-major n×m matrix Aᵀ = V·Σ·Uᵀ, so LAPACK's
    /// column-major "U" (n×r) is our Vᵀ read row-major and its "VT" (r×m) is our U read row-major: no
    /// transposition is needed. Cost O(m·n·r) FLOPs (≈ 4·m·n·r + 22·r³ in the thin case); memory: one m×n
    /// copy, U and Vᵀ, and a workspace of about 4·r² + 7·r + max(m, n) floats and 8·r integers.
    package static func singularValueDecomposition(_ a: [Float], rows m: Int, columns n: Int) throws -> SingularValueDecomposition {
        _ = BLAS.singleThreaded
        precondition(a.count == m * n, "singularValueDecomposition: \(a.count) values for \(m)×\(n)")
        let r = min(m, n)
        guard r > 0 else {
            return SingularValueDecomposition(values: [], u: [], vt: [], rows: m, columns: n)
        }
        precondition(m * n <= Int(Int32.max), "singularValueDecomposition: \(m)×\(n) exceeds LAPACK's 32-bit indexing")
        var matrix = a
        var values = [Float](repeating: 0, count: r)
        // LAPACK's view: M' = n rows, N' = m columns, lda = n. Its U is n×r (ldu = n), its VT is r×m (ldvt = r).
        var lapackU = [Float](repeating: 0, count: n * r)   // = our Vᵀ, r×n row-major
        var lapackVT = [Float](repeating: 0, count: r * m)  // = our U, m×r row-major
        var jobz = CChar(UInt8(ascii: "S"))
        var rowsM = Int32(n), colsN = Int32(m), lda = Int32(n), ldu = Int32(n), ldvt = Int32(r), info: Int32 = 0
        var iwork = [Int32](repeating: 0, count: 8 * r)
        var query: Float = 0
        var lwork: Int32 = -1
        sgesdd_(&jobz, &rowsM, &colsN, &matrix, &lda, &values, &lapackU, &ldu, &lapackVT, &ldvt,
                &query, &lwork, &iwork, &info, 1)
        try check("sgesdd (workspace query)", info)
        let workCount = max(1, workspaceSize(query))
        var work = [Float](repeating: 0, count: workCount)
        lwork = Int32(workCount)
        sgesdd_(&jobz, &rowsM, &colsN, &matrix, &lda, &values, &lapackU, &ldu, &lapackVT, &ldvt,
                &work, &lwork, &iwork, &info, 1)
        try check("sgesdd", info)
        return SingularValueDecomposition(values: values, u: lapackVT, vt: lapackU, rows: m, columns: n)
    }

    // MARK: Helpers

    /// LAPACK returns workspace sizes as a Float; round up past any truncation of large values.
    private static func workspaceSize(_ value: Float) -> Int {
        Int(value.nextUp.rounded(.up))
    }

    private static func check(_ routine: String, _ info: Int32) throws {
        guard info != 0 else { return }
        let message: String
        if info < 0 {
            message = "argument \(-info) had an illegal value"
        } else {
            switch routine {
            case "ssyevd": message = "the eigenvalue algorithm failed to converge"
            case "sgesdd": message = "the SVD did not converge (bidiagonal divide and conquer failed)"
            default: message = "computation failed"
            }
        }
        throw LAPACKError(routine: routine, info: Int(info), message: message)
    }

    /// Writes the column-major form of a row-major rows×columns matrix (i.e. its transpose, row-major),
    /// in 32×32 tiles to stay cache-friendly. O(rows·columns), memory-bound.
    static func transposeCopy(_ source: UnsafePointer<Float>, rows: Int, columns: Int, into destination: UnsafeMutablePointer<Float>) {
        let tile = 32
        var rowBlock = 0
        while rowBlock < rows {
            let rowEnd = min(rows, rowBlock + tile)
            var columnBlock = 0
            while columnBlock < columns {
                let columnEnd = min(columns, columnBlock + tile)
                for r in rowBlock..<rowEnd {
                    let base = r * columns
                    for c in columnBlock..<columnEnd {
                        destination[c * rows + r] = source[base + c]
                    }
                }
                columnBlock = columnEnd
            }
            rowBlock = rowEnd
        }
    }
}
