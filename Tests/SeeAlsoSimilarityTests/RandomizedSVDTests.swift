import Testing
import SeeAlsoBLAS
import SeeAlsoSupport
import SeeAlsoTestSupport
import SeeAlsoVectorize
@testable import SeeAlsoSimilarity

@Suite struct RandomizedSVDTests {
    /// X = L·diag(s)·R + noise·N(0, 1): 300×200 with ten planted directions.
    static func lowRankPlusNoise(noise: Float = 1, seed: UInt64 = 42) -> DenseMatrix {
        let (n, v) = (300, 200)
        let strengths: [Float] = [10, 8, 6, 5, 4, 3, 2.5, 2, 1.5, 1.2]
        var random = SplitMix64(seed: seed)
        let left = (0..<n * strengths.count).map { _ in random.normal() }
        let right = (0..<strengths.count * v).map { _ in random.normal() }
        var x = DenseMatrix(rowCount: n, columnCount: v)
        for i in 0..<n {
            for j in 0..<v {
                var sum: Float = 0
                for p in strengths.indices { sum += left[i * strengths.count + p] * strengths[p] * right[p * v + j] }
                x[i, j] = sum + noise * random.normal()
            }
        }
        return x
    }

    /// Exact squared singular values (descending) via the eigendecomposition of XᵀX (Gram in Double).
    static func exactEigenvalues(_ x: CSRMatrix) throws -> [Double] {
        let gram = BruteForce.gram(TestMatrices.doubleRows(x))
        let eigen = try LAPACK.symmetricEigen(gram.flatMap { $0.map(Float.init) }, order: x.columnCount)
        return eigen.values.map { Double($0) }
    }

    @Test func topSingularValuesMatchExactSVD() throws {
        let x = TestMatrices.sparse(Self.lowRankPlusNoise())
        let exact = try Self.exactEigenvalues(x).map { max(0, $0).squareRoot() }
        let svd = try RandomizedSVD.fit(x, rank: 10, seed: 1)
        #expect(svd.singularValues.count == 10 && svd.rightSingularVectors.rowCount == 200)
        for i in 0..<10 {
            let relative = abs(Double(svd.singularValues[i]) - exact[i]) / exact[i]
            #expect(relative < 1e-3, "σ\(i): \(svd.singularValues[i]) vs exact \(exact[i])")
        }
        #expect(zip(svd.singularValues, svd.singularValues.dropFirst()).allSatisfy { $0 >= $1 })
    }

    @Test func flatSpectrumTopValuesAreClose() throws {
        // A sparse random matrix has no spectral gap (a Marchenko–Pastur bulk): the range finder needs
        // more power iterations there, and its estimates can only fall short of the true values.
        let x = TestMatrices.randomSparse(rows: 400, columns: 250, density: 0.05, seed: 8)
        let exact = try Self.exactEigenvalues(x).map { max(0, $0).squareRoot() }
        let svd = try RandomizedSVD.fit(x, rank: 5, oversampling: 20, powerIterations: 7, seed: 3)
        for i in 0..<5 {
            #expect(Double(svd.singularValues[i]) <= exact[i] * (1 + 1e-4))
            #expect(abs(Double(svd.singularValues[i]) - exact[i]) / exact[i] < 0.02,
                    "σ\(i): \(svd.singularValues[i]) vs exact \(exact[i])")
        }
    }

    @Test func reconstructionErrorIsNearOptimal() throws {
        let x = TestMatrices.sparse(Self.lowRankPlusNoise(noise: 3))
        let eigen = try Self.exactEigenvalues(x)
        let dense = TestMatrices.doubleRows(x)
        let total = dense.reduce(0) { $0 + $1.reduce(0) { $0 + $1 * $1 } }
        for rank in [3, 6, 10] {
            let svd = try RandomizedSVD.fit(x, rank: rank, seed: 11)
            // ‖X − X·V·Vᵀ‖² = ‖X‖² − ‖X·V‖² for orthonormal V.
            var captured = 0.0
            for row in dense {
                for c in 0..<rank {
                    var dot = 0.0
                    for (j, value) in row.enumerated() where value != 0 {
                        dot += value * Double(svd.rightSingularVectors[j, c])
                    }
                    captured += dot * dot
                }
            }
            let error = total - captured
            let optimal = total - eigen.prefix(rank).reduce(0, +)
            #expect(error <= optimal * 1.01 + 1e-6 * total, "rank \(rank): error \(error), optimal \(optimal)")
            #expect(error >= optimal * (1 - 1e-3) - 1e-6 * total)
        }
    }

    @Test func rightSingularVectorsAreOrthonormalAndProjectionGivesU() throws {
        let x = TestMatrices.sparse(Self.lowRankPlusNoise())
        let svd = try RandomizedSVD.fit(x, rank: 8, seed: 2)
        let v = svd.rightSingularVectors
        for p in 0..<8 {
            for q in 0..<8 {
                var dot = 0.0
                for j in 0..<v.rowCount { dot += Double(v[j, p]) * Double(v[j, q]) }
                #expect(abs(dot - (p == q ? 1 : 0)) < 1e-4)
            }
        }
        // X·V·Σ⁻¹ = U has orthonormal columns on the fitted rows.
        let u = svd.project(x, divideBySingularValues: true, normalize: false)
        for p in 0..<8 {
            for q in 0..<8 {
                var dot = 0.0
                for i in 0..<u.rowCount { dot += Double(u[i, p]) * Double(u[i, q]) }
                #expect(abs(dot - (p == q ? 1 : 0)) < 1e-3, "UᵀU[\(p),\(q)] = \(dot)")
            }
        }
        // Normalised projection: unit rows, same direction as X·V.
        let raw = svd.project(x, normalize: false), unit = svd.project(x)
        for i in [0, 17, 299] {
            let norm = (0..<8).reduce(Float(0)) { $0 + raw[i, $1] * raw[i, $1] }.squareRoot()
            for c in 0..<8 { #expect(abs(unit[i, c] - raw[i, c] / norm) < 1e-5) }
        }
    }

    @Test func deterministicForSeedAndWorkerCount() throws {
        let x = TestMatrices.randomSparse(rows: 500, columns: 300, density: 0.03, seed: 21)
        let fits = try withWorkerCounts([1, 2, 3]) { try RandomizedSVD.fit(x, rank: 6, seed: 5) }
        for fit in fits.dropFirst() {
            #expect(fit.singularValues == fits[0].singularValues)
            #expect(fit.rightSingularVectors == fits[0].rightSingularVectors)
        }
        let other = try RandomizedSVD.fit(x, rank: 6, seed: 6)
        #expect(other.rightSingularVectors != fits[0].rightSingularVectors)
        // Largest-magnitude entry of every component is positive.
        let v = fits[0].rightSingularVectors
        for c in 0..<6 {
            let column = (0..<v.rowCount).map { v[$0, c] }
            let largest = column.max { abs($0) < abs($1) }!
            #expect(largest > 0)
        }
    }

    @Test func rowSamples() throws {
        #expect(RandomizedSVD.RowSample.all.rowIndices(rowCount: 10) == nil)
        #expect(RandomizedSVD.RowSample.first(3).rowIndices(rowCount: 10) == [0, 1, 2])
        #expect(RandomizedSVD.RowSample.first(30).rowIndices(rowCount: 10) == nil)
        let hashed = RandomizedSVD.RowSample.hashed(fraction: 0.25, seed: 9).rowIndices(rowCount: 100_000)!
        #expect(abs(hashed.count - 25_000) < 600)
        #expect(hashed == RandomizedSVD.RowSample.hashed(fraction: 0.25, seed: 9).rowIndices(rowCount: 100_000))
        #expect(hashed != RandomizedSVD.RowSample.hashed(fraction: 0.25, seed: 10).rowIndices(rowCount: 100_000))
        // A prefix of a longer corpus selects the same rows (stable as the corpus grows).
        let shorter = RandomizedSVD.RowSample.hashed(fraction: 0.25, seed: 9).rowIndices(rowCount: 50_000)!
        #expect(shorter == hashed.filter { $0 < 50_000 })

        // Fitting on half of a homogeneous matrix finds nearly the same leading directions.
        let x = TestMatrices.sparse(Self.lowRankPlusNoise())
        let full = try RandomizedSVD.fit(x, rank: 3, seed: 4)
        let half = try RandomizedSVD.fit(x, rank: 3, seed: 4, sample: .hashed(fraction: 0.5, seed: 1))
        let first = try RandomizedSVD.fit(x, rank: 3, seed: 4, sample: .first(120))
        #expect(first.fittedRowCount == 120 && half.fittedRowCount < 200 && half.fittedRowCount > 100)
        for c in 0..<2 {
            var dot: Float = 0
            for j in 0..<200 { dot += full.rightSingularVectors[j, c] * half.rightSingularVectors[j, c] }
            #expect(abs(dot) > 0.98, "component \(c): |cos| = \(abs(dot))")
        }
        // Projection works on all rows, not just the fitted ones.
        #expect(half.project(x).rowCount == 300)
    }

    @Test func rankUpToMatrixSize() throws {
        let x = TestMatrices.randomSparse(rows: 12, columns: 9, density: 0.6, seed: 31)
        let svd = try RandomizedSVD.fit(x, rank: 9, seed: 0)
        let exact = try Self.exactEigenvalues(x).map { max(0, $0).squareRoot() }
        for i in 0..<9 { #expect(abs(Double(svd.singularValues[i]) - exact[i]) < 1e-3 * exact[0]) }
    }

    @Test func tallSkinnyQROverSeveralBlocks() throws {
        // 20 000 rows of width 6: blocks of 8 192 rows, so two blocks plus the stacked factor.
        let (m, l) = (20_000, 6)
        let a = TestMatrices.randomDense(rows: m, columns: l, seed: 44)
        #expect(m / RandomizedSVD.tsqrBlockRows(width: l) == 2)
        let results = try withWorkerCounts([1, 2]) { try RandomizedSVD.tallSkinnyQR(a, wantR: true) }
        #expect(results[0].q == results[1].q && results[0].r! == results[1].r!)
        let (q, r) = (results[0].q, results[0].r!)
        for p in 0..<l {
            for c in 0..<l {
                var dot = 0.0
                for i in 0..<m { dot += Double(q[i, p]) * Double(q[i, c]) }
                #expect(abs(dot - (p == c ? 1 : 0)) < 1e-4, "QᵀQ[\(p),\(c)] = \(dot)")
            }
        }
        var worst = 0.0
        for i in stride(from: 0, to: m, by: 13) {
            for j in 0..<l {
                var sum = 0.0
                for p in 0...j { sum += Double(q[i, p]) * Double(r[p * l + j]) }
                worst = max(worst, abs(sum - Double(a[i, j])))
            }
        }
        #expect(worst < 1e-4)
        for i in 0..<l { for j in 0..<i { #expect(r[i * l + j] == 0) } }
    }
}
