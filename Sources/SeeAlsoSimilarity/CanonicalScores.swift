import SeeAlsoSupport
import SeeAlsoVectorize

/// SeeAlso's one canonical similarity score: the sparse dot product of two TF-IDF rows, the products
/// of their shared columns summed in Double in column order, rounded to Float.
///
/// Fast paths sum in different orders (GEMM blocks, postings accumulation), so the same pair can
/// differ in the last bits between a build and an incremental add; every stored or shown score is
/// recomputed here, which makes lists reproducible across methods, thread counts and `add` versus
/// rebuild. `ScatteredRow` computes the same value, bit for bit, for one row against many.
package enum CanonicalScores {
    /// Extra candidates a fast search keeps beyond k so that canonical rescoring decides ties.
    package static func margin(for k: Int) -> Int { max(4, k / 4) }

    /// Rescores every list canonically (row r's query is row r of `queries`, by default of `matrix`;
    /// its items are rows of `matrix`), re-sorts it and keeps the `keep` best (default: all). Fast
    /// sums of the same pair can differ by an ulp, so a fast search that keeps a few extra candidates
    /// (see `margin(for:)`) and is then cut to `keep` here breaks exact ties by id as the canonical
    /// order requires. Each query row is scattered once (`ScatteredRow`, same sum bit for bit) and
    /// dotted with its k items. Cost O(n · k · row length).
    package static func rescore(_ lists: NeighborLists, queries: CSRMatrix? = nil, matrix: CSRMatrix, keep: Int? = nil) -> NeighborLists {
        matrix.withIndexedRows { rescore(lists, queries: queries ?? matrix, rows: $0, keep: keep) }
    }

    /// `rescore` with the listed items read from `rows`.
    package static func rescore(_ lists: NeighborLists, queries: CSRMatrix, rows indexed: IndexedRows, keep: Int? = nil) -> NeighborLists {
        let k = lists.k
        let sourceIds = lists.ids
        return rescore(rowCount: lists.rowCount, keep: min(keep ?? k, k), queries: queries, rows: indexed) { row, body in
            for slot in row * k..<(row + 1) * k where sourceIds[slot] >= 0 { body(sourceIds[slot]) }
        }
    }

    /// `rescore` of the candidates kept in `heaps` (row r's query is row r of `queries`), read from the
    /// heaps in place: the same lists as `rescore(heaps.lists(), …)` without the sorted copy
    /// (8 · rows · heaps.k bytes).
    package static func rescore(_ heaps: TopKHeaps, queries: CSRMatrix, rows indexed: IndexedRows, keep: Int) -> NeighborLists {
        rescore(rowCount: heaps.rowCount, keep: min(keep, heaps.k), queries: queries, rows: indexed) { row, body in
            heaps.forEachID(row: row, body)
        }
    }

    /// The shared loop: row r's candidates (distinct ids, any order) come from `candidates(r, body)`,
    /// each gets its canonical score, and the `keep` best by `RankOrder` fill row r (padded with −1 / 0).
    private static func rescore(rowCount: Int, keep: Int, queries: CSRMatrix, rows indexed: IndexedRows,
                                candidates: @Sendable (Int, (Int32) -> Void) -> Void) -> NeighborLists {
        var ids = [Int32](repeating: -1, count: rowCount * keep)
        var scores = [Float](repeating: 0, count: rowCount * keep)
        ids.withUnsafeMutableBufferPointer { idBuffer in
            scores.withUnsafeMutableBufferPointer { scoreBuffer in
                let idPointer = SharedMutablePointer(idBuffer.baseAddress!)
                let scorePointer = SharedMutablePointer(scoreBuffer.baseAddress!)
                Parallelism.forEachRange(rowCount, minimumChunk: 256) { rows, _ in
                    var pairs: [(id: Int32, score: Float)] = []
                    let scattered = ScatteredRow(columns: queries.columnCount)
                    for row in rows {
                        pairs.removeAll(keepingCapacity: true)
                        scattered.scatter(queries, row)
                        candidates(row) { id in pairs.append((id, scattered.dot(indexed, Int(id)))) }
                        scattered.clear(queries, row)
                        pairs.sort { RankOrder.precedes($0.score, $0.id, $1.score, $1.id) }
                        for (position, pair) in pairs.prefix(keep).enumerated() {
                            idPointer[row * keep + position] = pair.id
                            scorePointer[row * keep + position] = pair.score
                        }
                    }
                }
            }
        }
        return NeighborLists(rowCount: rowCount, k: keep, ids: ids, scores: scores)
    }

    /// The canonical score of two rows of one matrix.
    package static func dot(_ matrix: CSRMatrix, _ first: Int, _ second: Int) -> Float {
        dot(matrix, first, matrix, second)
    }

    /// The canonical score of row `first` of `a` and row `second` of `b` (same columns).
    package static func dot(_ a: CSRMatrix, _ first: Int, _ b: CSRMatrix, _ second: Int) -> Float {
        b.withIndexedRows { dot(a, first, $0, second) }
    }

    /// The canonical score of row `first` of `a` and row `second` of `rows` (same columns).
    package static func dot(_ a: CSRMatrix, _ first: Int, _ rows: IndexedRows, _ second: Int) -> Float {
        let rowA = a.row(first), rowB = rows.row(second)
        return rowA.columns.withUnsafeBufferPointer { aColumns in
            rowA.values.withUnsafeBufferPointer { aValues in
                dot(columns: aColumns, values: aValues, columns: rowB.columns, values: rowB.values)
            }
        }
    }

    /// The canonical score of two sparse vectors given as sorted, distinct columns and their values.
    /// O(|a| + |b|).
    @inline(__always)
    package static func dot(columns aColumns: UnsafeBufferPointer<Int32>, values aValues: UnsafeBufferPointer<Float>,
                            columns bColumns: UnsafeBufferPointer<Int32>, values bValues: UnsafeBufferPointer<Float>) -> Float {
        var i = 0
        var j = 0
        var sum: Double = 0
        while i < aColumns.count && j < bColumns.count {
            let a = aColumns[i]
            let b = bColumns[j]
            if a == b {
                sum += Double(aValues[i]) * Double(bValues[j])
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

extension CanonicalScores {
    /// Whether the canonical score of two sparse vectors is at least `threshold`: the same answer as
    /// `dot(…) >= threshold`, bit for bit, usually after a part of the merge. It sums in the same order
    /// and stops as soon as the remaining columns cannot move the sum across the threshold by
    /// Cauchy–Schwarz (|rest of a·b| ≤ ‖rest of a‖·‖rest of b‖) with a margin of 1e-4 for rounding;
    /// within the margin it finishes the sum. For near-duplicate tests, where most pairs are far below.
    /// O(|a| + |b|), typically a third of the merge.
    package static func dotReaches(_ threshold: Float, columns aColumns: UnsafeBufferPointer<Int32>, values aValues: UnsafeBufferPointer<Float>,
                                   columns bColumns: UnsafeBufferPointer<Int32>, values bValues: UnsafeBufferPointer<Float>) -> Bool {
        var restA: Double = 0
        var restB: Double = 0
        for value in aValues { restA += Double(value) * Double(value) }
        for value in bValues { restB += Double(value) * Double(value) }
        let below = Double(threshold) - 1e-4
        let above = Double(threshold) + 1e-4
        var i = 0
        var j = 0
        var steps = 0
        var sum: Double = 0
        while i < aColumns.count && j < bColumns.count {
            let a = aColumns[i]
            let b = bColumns[j]
            if a == b {
                let x = Double(aValues[i]), y = Double(bValues[j])
                sum += x * y
                restA -= x * x
                restB -= y * y
                i += 1
                j += 1
            } else if a < b {
                restA -= Double(aValues[i]) * Double(aValues[i])
                i += 1
            } else {
                restB -= Double(bValues[j]) * Double(bValues[j])
                j += 1
            }
            steps += 1
            if steps & 15 == 0 {
                let bound = (max(0, restA) * max(0, restB)).squareRoot()
                if sum + bound < below { return false }
                if sum - bound >= above { return true }
            }
        }
        return Float(sum) >= threshold
    }
}

/// One sparse row scattered into a dense Float row (zero elsewhere), for scoring it against many rows:
/// `dot` multiplies each entry of the other row by the dense value at its column, with no branch, so
/// shared and unshared columns cost the same (no mispredicted branch per entry; measured ~5% of an
/// exact build's lists stage on 20NG). A column the scattered row lacks contributes 0 · x = ±0 (values
/// are finite), which leaves the Double sum unchanged (it starts at +0, and s + ±0 = s for s ≠ 0,
/// +0 + ±0 = +0), so `dot` equals `CanonicalScores.dot` bit for bit. One per worker; O(V) memory, reused row after row.
package final class ScatteredRow: @unchecked Sendable {
    private let denseRow: UnsafeMutablePointer<Float>

    package init(columns: Int) {
        denseRow = .allocate(capacity: max(1, columns))
        denseRow.initialize(repeating: 0, count: max(1, columns))
    }

    deinit {
        denseRow.deallocate()
    }

    /// Writes row `row` of `matrix` (its values at their columns).
    package func scatter(_ matrix: CSRMatrix, _ row: Int) {
        for index in matrix.rowStarts[row]..<matrix.rowStarts[row + 1] {
            denseRow[Int(matrix.columns[index])] = matrix.values[index]
        }
    }

    /// Clears what `scatter(matrix, row)` wrote.
    package func clear(_ matrix: CSRMatrix, _ row: Int) {
        for index in matrix.rowStarts[row]..<matrix.rowStarts[row + 1] {
            denseRow[Int(matrix.columns[index])] = 0
        }
    }

    /// The canonical score of the scattered row with row `other` of `matrix`.
    package func dot(_ matrix: CSRMatrix, _ other: Int) -> Float {
        matrix.withIndexedRows { dot($0, other) }
    }

    /// The canonical score of the scattered row with row `other` of `rows`: Σ dense[c]·x_c over the
    /// other row's entries in column order, in Double. O(its length).
    @inline(__always)
    package func dot(_ rows: IndexedRows, _ other: Int) -> Float {
        let (columns, values) = rows.row(other)
        var sum: Double = 0
        for index in columns.indices {
            sum += Double(denseRow[Int(columns[index])]) * Double(values[index])
        }
        return Float(sum)
    }
}
