import COpenBLAS

/// The only place SeeAlso calls OpenBLAS (CBLAS and LAPACK). Everything is row-major Float32.
///
/// Sizes are `Int` here and checked to fit the `Int32` that OpenBLAS's LP64 interface takes.
///
/// Threads: SeeAlso's own workers (`Parallelism`) run BLAS calls side by side, so OpenBLAS is pinned
/// to one thread before the first call of the process, here and nowhere else. Two BLAS threads inside
/// two workers would oversubscribe the cores, and LAPACK's results change slightly with OpenBLAS's
/// thread count, so the pin also keeps results reproducible.
package enum BLAS {
    /// Pins OpenBLAS to one thread, once per process; every wrapper touches it before calling OpenBLAS.
    package static let singleThreaded: Void = openblas_set_num_threads(1)

    /// Sets OpenBLAS's own thread count, overriding the pin: for measurements of OpenBLAS itself
    /// (`seealso-kernels --limits`), which restore 1 afterwards.
    package static func setThreads(_ count: Int) {
        _ = singleThreaded
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// OpenBLAS's current thread count.
    package static var threads: Int { Int(openblas_get_num_threads()) }

    /// The CPU kernel family OpenBLAS chose at load time (e.g. "Zen", "Haswell").
    package static var coreName: String { String(cString: openblas_get_corename()) }

    /// C ← alpha·op(A)·op(B) + beta·C, row-major, where op(A) is m×k and op(B) is k×n.
    ///
    /// `lda`, `ldb`, `ldc` are the row strides in elements. Cost: 2·m·n·k FLOPs.
    package static func sgemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        _ = singleThreaded
        precondition(m >= 0 && n >= 0 && k >= 0, "sgemm: negative size")
        precondition(max(m, n, k, lda, ldb, ldc) <= Int(Int32.max), "sgemm: size exceeds Int32")
        cblas_sgemm(
            CblasRowMajor,
            transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k),
            alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// y ← alpha·op(A)·x + beta·y, row-major A of m×n. Cost: 2·m·n FLOPs (memory-bound).
    package static func sgemv(
        transpose: Bool = false, m: Int, n: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, beta: Float = 0, y: UnsafeMutablePointer<Float>
    ) {
        _ = singleThreaded
        precondition(max(m, n, lda) <= Int(Int32.max), "sgemv: size exceeds Int32")
        cblas_sgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
    }

    /// Σ x[i]·y[i] over `count` elements.
    package static func sdot(_ count: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
        _ = singleThreaded
        return cblas_sdot(Int32(count), x, 1, y, 1)
    }

    /// Euclidean norm √(Σ x[i]²) over `count` elements.
    package static func snrm2(_ count: Int, _ x: UnsafePointer<Float>) -> Float {
        _ = singleThreaded
        return cblas_snrm2(Int32(count), x, 1)
    }
}
