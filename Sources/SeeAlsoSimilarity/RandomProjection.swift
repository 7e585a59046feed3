import Foundation
import SeeAlsoSupport
import SeeAlsoVectorize

/// A seeded very sparse random projection from V to d dimensions (Achlioptas 2003; Li, Hastie & Church
/// 2006): the cheap alternative to LSA, with no fitting pass over the corpus.
///
/// The V×d matrix R has independent entries
///
///     R[v, j] = +√(s/d) with probability 1/(2s),  0 with probability 1 − 1/s,  −√(s/d) with probability 1/(2s)
///
/// with s = 1/density (s = √V by default), so E[⟨x·R, y·R⟩] = ⟨x, y⟩ (Johnson–Lindenstrauss in
/// expectation). A row x maps to x·R, then (by default) to unit L2 norm — the scale √(s/d) then cancels
/// and cosine similarities are preserved approximately (error ≈ 1/√d).
///
/// Term v's non-zero positions and signs come from its own SplitMix64 stream (seed, v), found by geometric
/// skips, so they do not depend on V: a grown vocabulary keeps the old terms' rows.
///
/// Cost: building R is O(V + V·d/s); applying it is 2·Σ_v nnz(column v)·(d/s) ≈ 2·nnz·d/s FLOPs (about
/// 2·nnz·d/√V) plus O(n·d) for zeroing and normalising, parallel over rows and bit-identical for any worker
/// count. Memory: R holds about V·d/s entries at 8 bytes plus 8·(V + 1) bytes of offsets; the result n×d floats.
public struct SparseRandomProjection: Sendable {
    public let inputDimension: Int
    public let outputDimension: Int
    /// The probability 1/s that an entry of R is non-zero.
    public let density: Double
    public let seed: UInt64

    /// Term v's entries are `targets[termStarts[v]..<termStarts[v+1]]` (output dimensions) with `weights` (±√(s/d)).
    let termStarts: [Int]
    let targets: [Int32]
    let weights: [Float]

    /// Stored non-zero entries of R.
    public var storedCount: Int { targets.count }

    /// - Parameters:
    ///   - inputDimension: V, the number of columns of the rows to project.
    ///   - outputDimension: d ≥ 1.
    ///   - density: 1/s in (0, 1]; nil means 1/√V (scikit-learn's `density='auto'`).
    ///   - seed: makes R reproducible.
    public init(inputDimension: Int, outputDimension: Int, density: Double? = nil, seed: UInt64 = 0) {
        precondition(inputDimension >= 0 && outputDimension >= 1, "SparseRandomProjection: bad dimensions")
        precondition(outputDimension <= Int(Int32.max), "SparseRandomProjection: output dimension exceeds Int32")
        let chosen = density ?? 1 / Double(max(1, inputDimension)).squareRoot()
        precondition(chosen > 0 && chosen <= 1, "SparseRandomProjection: density must be in (0, 1], got \(chosen)")
        self.inputDimension = inputDimension
        self.outputDimension = outputDimension
        self.density = chosen
        self.seed = seed

        let magnitude = Float((1 / (chosen * Double(outputDimension))).squareRoot())
        let logKeep = log1p(-chosen)   // log(1 − p); −∞ when p = 1 (every position is kept)
        var starts = [Int](repeating: 0, count: inputDimension + 1)
        var targets = [Int32]()
        var weights = [Float]()
        let expected = Int((Double(inputDimension) * Double(outputDimension) * chosen * 1.1).rounded(.up)) + 16
        targets.reserveCapacity(expected)
        weights.reserveCapacity(expected)
        for term in 0..<inputDimension {
            var random = ReductionRandom(seed: seed, stream: UInt64(term))
            var position = -1
            while true {
                // Skip a Geometric(p) number of zero entries before the next non-zero one.
                let skip: Double = logKeep.isInfinite ? 0 : (log(random.nextOpenUnit()) / logKeep).rounded(.down)
                guard skip < Double(outputDimension - position - 1) else { break }
                position += 1 + Int(skip)
                targets.append(Int32(position))
                weights.append(random.next() & 1 == 0 ? magnitude : -magnitude)
            }
            starts[term + 1] = targets.count
        }
        termStarts = starts
        self.targets = targets
        self.weights = weights
    }

    /// x·R for every row of `rows` (n×V CSR) → n×d, L2-normalised per row when `normalize` (zero rows stay zero).
    public func project(_ rows: CSRMatrix, normalize: Bool = true) -> DenseMatrix {
        precondition(rows.columnCount == inputDimension,
                     "SparseRandomProjection.project: rows have \(rows.columnCount) columns, expected \(inputDimension)")
        let d = outputDimension
        var result = DenseMatrix(rowCount: rows.rowCount, columnCount: d)
        guard rows.rowCount > 0, rows.storedCount > 0, storedCount > 0 else { return result }
        let chunks = rows.balancedRowChunks(parts: Parallelism.workerCount * 4)
        result.values.withUnsafeMutableBufferPointer { output in
            let out = SharedMutablePointer(output.baseAddress!)
            rows.rowStarts.withUnsafeBufferPointer { rowStartsBuffer in
                rows.columns.withUnsafeBufferPointer { columnsBuffer in
                    rows.values.withUnsafeBufferPointer { valuesBuffer in
                        termStarts.withUnsafeBufferPointer { termStartsBuffer in
                            targets.withUnsafeBufferPointer { targetsBuffer in
                                weights.withUnsafeBufferPointer { weightsBuffer in
                                    let rowStarts = SharedPointer(rowStartsBuffer.baseAddress!)
                                    let columns = SharedPointer(columnsBuffer.baseAddress!)
                                    let values = SharedPointer(valuesBuffer.baseAddress!)
                                    let termStarts = SharedPointer(termStartsBuffer.baseAddress!)
                                    let targets = SharedPointer(targetsBuffer.baseAddress!)
                                    let weights = SharedPointer(weightsBuffer.baseAddress!)
                                    Parallelism.forEach(chunks.count) { chunk in
                                        for row in chunks[chunk] {
                                            let line = out.base + row * d
                                            for entry in rowStarts[row]..<rowStarts[row + 1] {
                                                let term = Int(columns[entry])
                                                let value = values[entry]
                                                for index in termStarts[term]..<termStarts[term + 1] {
                                                    line[Int(targets[index])] += value * weights[index]
                                                }
                                            }
                                            if normalize {
                                                var sum: Float = 0
                                                for j in 0..<d { sum += line[j] * line[j] }
                                                if sum > 0 {
                                                    let scale = 1 / sum.squareRoot()
                                                    for j in 0..<d { line[j] *= scale }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return result
    }
}
