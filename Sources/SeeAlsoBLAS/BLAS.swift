import COpenBLAS

/// The only place SeeAlso calls OpenBLAS (CBLAS and LAPACK). Everything is row-major Float32.
///
/// Sizes are `Int` here and checked to fit the `Int32` that OpenBLAS's LP64 interface takes.
public enum BLAS {
    /// Sets OpenBLAS's own thread count. SeeAlso pins it to 1 when its own workers run BLAS calls in
    /// parallel, and to the core count when one call should use every core.
    public static func setThreads(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// OpenBLAS's current thread count.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// The CPU kernel family OpenBLAS chose at load time (e.g. "Zen", "Haswell").
    public static var coreName: String { String(cString: openblas_get_corename()) }

    /// C ← alpha·op(A)·op(B) + beta·C, row-major, where op(A) is m×k and op(B) is k×n.
    ///
    /// `lda`, `ldb`, `ldc` are the row strides in elements. Cost: 2·m·n·k FLOPs.
    public static func sgemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
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
    public static func sgemv(
        transpose: Bool = false, m: Int, n: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, beta: Float = 0, y: UnsafeMutablePointer<Float>
    ) {
        precondition(max(m, n, lda) <= Int(Int32.max), "sgemv: size exceeds Int32")
        cblas_sgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
    }

    /// Σ x[i]·y[i] over `count` elements.
    public static func sdot(_ count: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
        cblas_sdot(Int32(count), x, 1, y, 1)
    }

    /// Euclidean norm √(Σ x[i]²) over `count` elements.
    public static func snrm2(_ count: Int, _ x: UnsafePointer<Float>) -> Float {
        cblas_snrm2(Int32(count), x, 1)
    }

    /// x ← alpha·x over `count` elements.
    public static func sscal(_ count: Int, _ alpha: Float, _ x: UnsafeMutablePointer<Float>) {
        cblas_sscal(Int32(count), alpha, x, 1)
    }
}
