import Testing
import SeeAlsoBLAS
import SeeAlsoSupport

private func randomMatrix(_ rows: Int, _ cols: Int, _ rng: inout SplitMix64) -> [Float] {
    (0..<rows * cols).map { _ in Float.random(in: -1...1, using: &rng) }
}

private func naiveProduct(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, transposeB: Bool) -> [Float] {
    var c = [Float](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var sum: Double = 0
            for p in 0..<k {
                let bValue = transposeB ? b[j * k + p] : b[p * n + j]
                sum += Double(a[i * k + p]) * Double(bValue)
            }
            c[i * n + j] = Float(sum)
        }
    }
    return c
}

@Suite struct BLASTests {
    @Test(arguments: [(1, 1, 1), (7, 5, 3), (33, 17, 64), (128, 97, 250)])
    func sgemmMatchesNaiveProduct(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        var rng = SplitMix64(seed: UInt64(m * 1000 + n * 10 + k))
        let a = randomMatrix(m, k, &rng)
        let b = randomMatrix(k, n, &rng)
        for transposeB in [false, true] {
            let bLaidOut = transposeB ? (0..<n * k).map { b[($0 % k) * n + $0 / k] } : b
            var c = [Float](repeating: .nan, count: m * n)
            BLAS.sgemm(transposeB: transposeB, m: m, n: n, k: k, a: a, lda: k,
                       b: bLaidOut, ldb: transposeB ? k : n, c: &c, ldc: n)
            let expected = naiveProduct(a, bLaidOut, m: m, n: n, k: k, transposeB: transposeB)
            let worst = zip(c, expected).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 1e-4 * Float(k), "m=\(m) n=\(n) k=\(k) transposeB=\(transposeB) worst=\(worst)")
        }
    }

    @Test func sgemmAccumulatesWithBeta() {
        let a: [Float] = [1, 2, 3, 4]      // 2×2
        let b: [Float] = [5, 6, 7, 8]      // 2×2
        var c: [Float] = [1, 1, 1, 1]
        BLAS.sgemm(m: 2, n: 2, k: 2, alpha: 2, a: a, lda: 2, b: b, ldb: 2, beta: 1, c: &c, ldc: 2)
        #expect(c == [39, 45, 87, 101])
    }

    @Test func vectorKernels() {
        let x: [Float] = [3, 4, 0]
        let y: [Float] = [1, 2, 5]
        #expect(BLAS.sdot(3, x, y) == 11)
        #expect(abs(BLAS.snrm2(3, x) - 5) < 1e-6)
        let a: [Float] = [1, 2, 3, 4, 5, 6] // 2×3
        var out = [Float](repeating: 0, count: 2)
        BLAS.sgemv(m: 2, n: 3, a: a, lda: 3, x: y, y: &out)
        #expect(out == [20, 44])
    }

    @Test func threadCountCanBePinned() {
        let before = BLAS.threads
        BLAS.setThreads(1)
        #expect(BLAS.threads == 1)
        BLAS.setThreads(before)
        #expect(!BLAS.coreName.isEmpty)
    }
}
