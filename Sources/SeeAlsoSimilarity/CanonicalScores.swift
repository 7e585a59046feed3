import SeeAlsoSupport
import SeeAlsoVectorize

/// Recomputes the scores of stored lists in one canonical way — the sparse dot product of the two
/// rows summed in Double in column order, then rounded to Float — and re-sorts each list.
///
/// Fast paths sum in different orders (GEMM blocks, postings accumulation), so the same pair can
/// differ in the last bits between a build and an incremental add; canonical scores make lists
/// reproducible across methods, thread counts and `add` versus rebuild. Cost O(n · k · row length).
public enum CanonicalScores {
    /// Rescoring keeps the `keep` best of each list (default: all). Fast sums of the same pair can
    /// differ by an ulp, so a fast search that keeps a few extra candidates (see `margin(for:)`)
    /// and is then cut to `keep` here breaks exact ties by id as the canonical order requires.
    public static func rescore(_ lists: NeighborLists, matrix: CSRMatrix, keep: Int? = nil) -> NeighborLists {
        let keep = min(keep ?? lists.k, lists.k)
        var ids = [Int32](repeating: -1, count: lists.rowCount * keep)
        var scores = [Float](repeating: 0, count: lists.rowCount * keep)
        let k = lists.k
        let sourceIds = lists.ids
        ids.withUnsafeMutableBufferPointer { idBuffer in
            scores.withUnsafeMutableBufferPointer { scoreBuffer in
                let idPointer = SharedMutablePointer(idBuffer.baseAddress!)
                let scorePointer = SharedMutablePointer(scoreBuffer.baseAddress!)
                Parallelism.forEachRange(lists.rowCount, minimumChunk: 256) { rows, _ in
                    var pairs: [(id: Int32, score: Float)] = []
                    for row in rows {
                        pairs.removeAll(keepingCapacity: true)
                        for slot in row * k..<(row + 1) * k where sourceIds[slot] >= 0 {
                            pairs.append((sourceIds[slot], dot(matrix, row, Int(sourceIds[slot]))))
                        }
                        pairs.sort { NeighborLists.ranksBefore($0.score, $0.id, $1.score, $1.id) }
                        for (position, pair) in pairs.prefix(keep).enumerated() {
                            idPointer[row * keep + position] = pair.id
                            scorePointer[row * keep + position] = pair.score
                        }
                    }
                }
            }
        }
        return NeighborLists(rowCount: lists.rowCount, k: keep, ids: ids, scores: scores)
    }

    /// The same value as `dot(matrix, row, other)`, with `row` scattered into `denseRow` (Float values at their columns) and
    /// `present` (a bitmap of its columns): only the shared columns are read from `denseRow`, so the
    /// random accesses touch a bitmap of V/8 bytes instead of the whole dense row. Skipped terms
    /// would add +0 to the Double sum, so the result is bit-identical to `dot(matrix, row, other)`.
    @inline(__always)
    public static func dot(denseRow: UnsafePointer<Float>, present: UnsafePointer<UInt64>, _ matrix: CSRMatrix, _ other: Int) -> Float {
        var sum: Double = 0
        matrix.columns.withUnsafeBufferPointer { columns in
            matrix.values.withUnsafeBufferPointer { values in
                for index in matrix.rowStarts[other]..<matrix.rowStarts[other + 1] {
                    let column = Int(columns[index])
                    if present[column >> 6] & (1 << UInt64(column & 63)) != 0 {
                        sum += Double(denseRow[column]) * Double(values[index])
                    }
                }
            }
        }
        return Float(sum)
    }

    /// Extra candidates a fast search keeps beyond k so that canonical rescoring decides ties.
    public static func margin(for k: Int) -> Int { max(4, k / 4) }

    /// Σ_t a_t · b_t over the shared columns of two rows, in Double, rounded to Float.
    public static func dot(_ matrix: CSRMatrix, _ first: Int, _ second: Int) -> Float {
        var i = matrix.rowStarts[first]
        let iEnd = matrix.rowStarts[first + 1]
        var j = matrix.rowStarts[second]
        let jEnd = matrix.rowStarts[second + 1]
        var sum: Double = 0
        while i < iEnd && j < jEnd {
            let a = matrix.columns[i]
            let b = matrix.columns[j]
            if a == b {
                sum += Double(matrix.values[i]) * Double(matrix.values[j])
                i += 1
                j += 1
            } else if a < b {
                i += 1
            } else {
                j += 1
            }
        }
        return Float(sum)
    }
}
