import Testing
import SeeAlsoBLAS
import SeeAlsoTestSupport

@Suite struct LAPACKWrapperTests {
    private func random(_ rows: Int, _ columns: Int, seed: UInt64) -> [Float] {
        TestMatrices.randomDense(rows: rows, columns: columns, seed: seed).values
    }

    /// max |(Aᵀ·B)[i][j] − expected(i, j)| for row-major A (m×p) and B (m×q).
    private func worstGram(_ a: [Float], _ b: [Float], m: Int, p: Int, q: Int, expected: (Int, Int) -> Double) -> Double {
        var worst = 0.0
        for i in 0..<p {
            for j in 0..<q {
                var sum = 0.0
                for r in 0..<m { sum += Double(a[r * p + i]) * Double(b[r * q + j]) }
                worst = max(worst, abs(sum - expected(i, j)))
            }
        }
        return worst
    }

    @Test(arguments: [(1, 1), (5, 5), (50, 7), (300, 40)])
    func thinQRIsOrthonormalAndReconstructs(shape: (Int, Int)) throws {
        let (m, n) = shape
        let a = random(m, n, seed: UInt64(m * 31 + n))
        let q = try LAPACK.thinQR(a, rows: m, columns: n)
        #expect(worstGram(q, q, m: m, p: n, q: n) { $0 == $1 ? 1 : 0 } < 2e-5)
        // R = Qᵀ·A must be upper triangular and Q·R must give A back.
        var r = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var sum = 0.0
                for row in 0..<m { sum += Double(q[row * n + i]) * Double(a[row * n + j]) }
                r[i * n + j] = sum
            }
        }
        var worstLower = 0.0
        for i in 0..<n { for j in 0..<i { worstLower = max(worstLower, abs(r[i * n + j])) } }
        #expect(worstLower < 1e-4)
        var worst = 0.0
        for row in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for i in 0...j { sum += Double(q[row * n + i]) * r[i * n + j] }
                worst = max(worst, abs(sum - Double(a[row * n + j])))
            }
        }
        #expect(worst < 1e-4, "m=\(m) n=\(n) worst=\(worst)")
    }

    @Test func thinQRWorksInPlace() throws {
        var a = random(20, 4, seed: 9)
        let expected = try LAPACK.thinQR(a, rows: 20, columns: 4)
        a.withUnsafeMutableBufferPointer { buffer in
            try? LAPACK.thinQR(rows: 20, columns: 4, UnsafePointer(buffer.baseAddress!), q: buffer.baseAddress!)
        }
        #expect(a == expected)
    }

    @Test func thinQRReturnsR() throws {
        let (m, n) = (30, 5)
        let a = random(m, n, seed: 12)
        var q = [Float](repeating: 0, count: m * n), r = [Float](repeating: .nan, count: n * n)
        try a.withUnsafeBufferPointer { input in
            try LAPACK.thinQR(rows: m, columns: n, input.baseAddress!, q: &q, r: &r)
        }
        #expect(q == (try LAPACK.thinQR(a, rows: m, columns: n)))
        var worst = 0.0
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<n { sum += Double(q[i * n + p]) * Double(r[p * n + j]) }
                worst = max(worst, abs(sum - Double(a[i * n + j])))
            }
        }
        #expect(worst < 1e-5)
        for i in 0..<n { for j in 0..<i { #expect(r[i * n + j] == 0) } }
    }

    @Test(arguments: [1, 2, 9, 64])
    func symmetricEigenReconstructs(order n: Int) throws {
        let m = random(n, n, seed: UInt64(100 + n))
        var a = [Float](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { a[i * n + j] = m[i * n + j] + m[j * n + i] } }
        let eigen = try LAPACK.symmetricEigen(a, order: n)
        #expect(eigen.values.count == n)
        #expect(zip(eigen.values, eigen.values.dropFirst()).allSatisfy { $0 >= $1 }, "not descending")
        #expect(worstGram(eigen.vectors, eigen.vectors, m: n, p: n, q: n) { $0 == $1 ? 1 : 0 } < 2e-5)
        var worst = 0.0
        for i in 0..<n {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<n {
                    sum += Double(eigen.vectors[i * n + p]) * Double(eigen.values[p]) * Double(eigen.vectors[j * n + p])
                }
                worst = max(worst, abs(sum - Double(a[i * n + j])))
            }
        }
        #expect(worst < 1e-4 * Double(n), "n=\(n) worst=\(worst)")
    }

    @Test func symmetricEigenOfDiagonal() throws {
        let eigen = try LAPACK.symmetricEigen([1, 0, 0, 0, 3, 0, 0, 0, 2], order: 3)
        #expect(eigen.values == [3, 2, 1])
        // Column 0 is ±e1 (the eigenvector of 3).
        #expect(abs(eigen.vectors[1 * 3 + 0]) == 1)
    }

    @Test(arguments: [(40, 12), (12, 40), (7, 7), (1, 5)])
    func singularValueDecompositionReconstructs(shape: (Int, Int)) throws {
        let (m, n) = shape
        let r = min(m, n)
        let a = random(m, n, seed: UInt64(7 * m + n))
        let svd = try LAPACK.singularValueDecomposition(a, rows: m, columns: n)
        #expect(svd.values.count == r && svd.u.count == m * r && svd.vt.count == r * n)
        #expect(zip(svd.values, svd.values.dropFirst()).allSatisfy { $0 >= $1 } && svd.values.allSatisfy { $0 >= 0 })
        #expect(worstGram(svd.u, svd.u, m: m, p: r, q: r) { $0 == $1 ? 1 : 0 } < 2e-5)
        var worst = 0.0
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<r { sum += Double(svd.u[i * r + p]) * Double(svd.values[p]) * Double(svd.vt[p * n + j]) }
                worst = max(worst, abs(sum - Double(a[i * n + j])))
            }
        }
        #expect(worst < 1e-4, "m=\(m) n=\(n) worst=\(worst)")
        // Rows of Vᵀ are orthonormal.
        var worstV = 0.0
        for p in 0..<r {
            for q in 0..<r {
                var sum = 0.0
                for j in 0..<n { sum += Double(svd.vt[p * n + j]) * Double(svd.vt[q * n + j]) }
                worstV = max(worstV, abs(sum - (p == q ? 1 : 0)))
            }
        }
        #expect(worstV < 2e-5)
    }

    @Test func errorDescriptionNamesTheRoutine() {
        let error = LAPACKError(routine: "sgesdd", info: 3, message: "the SVD did not converge")
        #expect(error.description == "sgesdd failed (info = 3): the SVD did not converge")
    }
}
