import SeeAlsoSupport
import SeeAlsoVectorize

/// Sparse × dense products (LSA fitting and projection, k-means on TF-IDF rows), all through one kernel,
/// `sparseRowTimesDense`: every output row is computed on exactly one worker, summing that row's terms
/// in the order of its stored entries, so results are bit-identical for any worker count. Rows are split
/// into chunks of roughly equal stored-entry counts (4 per worker) for load balance.
extension CSRMatrix {
    /// `self · dense`: (n×V sparse) · (V×d dense) → n×d dense.
    ///
    /// Cost: 2·nnz·d FLOPs, reading nnz·(8 + 4·d) bytes (each stored entry pulls one dense row) and
    /// writing 4·n·d bytes. Memory: the n×d result only.
    package func multiplied(by dense: DenseMatrix) -> DenseMatrix {
        precondition(dense.rowCount == columnCount,
                     "multiplied(by:): \(rowCount)×\(columnCount) sparse times \(dense.rowCount)×\(dense.columnCount) dense")
        var result = DenseMatrix(rowCount: rowCount, columnCount: dense.columnCount)
        dense.values.withUnsafeBufferPointer { denseBuffer in
            result.values.withUnsafeMutableBufferPointer { output in
                guard let denseBase = denseBuffer.baseAddress, let outputBase = output.baseAddress else { return }
                multiply(into: outputBase, dense: denseBase, width: dense.columnCount)
            }
        }
        return result
    }

    /// The V×n transpose as a CSR matrix (equivalently, `self` in compressed sparse column form).
    ///
    /// A stable counting sort by column: within each output row the entries keep increasing original
    /// row order, so column indices stay sorted. Cost O(nnz + V) time; memory 8·nnz + 8·(V + 1) bytes.
    package func transposed() -> CSRMatrix {
        let nnz = storedCount
        var starts = [Int](repeating: 0, count: columnCount + 1)
        var newColumns = [Int32](repeating: 0, count: nnz)
        var newValues = [Float](repeating: 0, count: nnz)
        precondition(rowCount <= Int(Int32.max), "transposed(): more rows than Int32 can index")
        columns.withUnsafeBufferPointer { cols in
            values.withUnsafeBufferPointer { vals in
                rowStarts.withUnsafeBufferPointer { offsets in
                    starts.withUnsafeMutableBufferPointer { counts in
                        for entry in 0..<nnz { counts[Int(cols[entry]) + 1] += 1 }
                        for column in 0..<columnCount { counts[column + 1] += counts[column] }
                        var next = [Int](counts.dropLast())
                        newColumns.withUnsafeMutableBufferPointer { outCols in
                            newValues.withUnsafeMutableBufferPointer { outVals in
                                next.withUnsafeMutableBufferPointer { cursor in
                                    for row in 0..<rowCount {
                                        for entry in offsets[row]..<offsets[row + 1] {
                                            let column = Int(cols[entry])
                                            let slot = cursor[column]
                                            cursor[column] = slot + 1
                                            outCols[slot] = Int32(truncatingIfNeeded: row)
                                            outVals[slot] = vals[entry]
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return CSRMatrix(rowCount: columnCount, columnCount: rowCount, rowStarts: starts, columns: newColumns, values: newValues)
    }

    /// The rows at `indices` (in that order) as a new CSR matrix with the same columns. O(rows + their entries).
    package func selectingRows(_ indices: [Int]) -> CSRMatrix {
        var starts = [Int](repeating: 0, count: indices.count + 1)
        var total = 0
        for (position, row) in indices.enumerated() {
            total += rowStarts[row + 1] - rowStarts[row]
            starts[position + 1] = total
        }
        var newColumns = [Int32]()
        var newValues = [Float]()
        newColumns.reserveCapacity(total)
        newValues.reserveCapacity(total)
        for row in indices {
            let range = rowStarts[row]..<rowStarts[row + 1]
            newColumns.append(contentsOf: columns[range])
            newValues.append(contentsOf: values[range])
        }
        return CSRMatrix(rowCount: indices.count, columnCount: columnCount, rowStarts: starts, columns: newColumns, values: newValues)
    }

    /// Writes `self · dense` (dense row stride `width`) into `output` (n×width, row-major), in parallel.
    func multiply(into output: UnsafeMutablePointer<Float>, dense: UnsafePointer<Float>, width: Int) {
        guard rowCount > 0, width > 0 else { return }
        let chunks = balancedRowChunks(parts: Parallelism.workerCount * 4)
        let out = SharedMutablePointer(output)
        let source = SharedPointer(dense)
        Parallelism.forEach(chunks.count) { chunk in
            let rows = chunks[chunk]
            multiplyRows(rows, dense: source.base, width: width, into: out.base + rows.lowerBound * width)
        }
    }

    /// Writes rows `rows` of `self · dense` (dense row stride `width`) into `output` (rows.count × width),
    /// on the calling thread.
    package func multiplyRows(_ rows: Range<Int>, dense: UnsafePointer<Float>, width: Int, into output: UnsafeMutablePointer<Float>) {
        columns.withUnsafeBufferPointer { columns in
            values.withUnsafeBufferPointer { values in
                for row in rows {
                    sparseRowTimesDense(start: rowStarts[row], end: rowStarts[row + 1],
                                        columns: columns.baseAddress ?? UnsafePointer(bitPattern: 8)!,
                                        values: values.baseAddress ?? UnsafePointer(bitPattern: 8)!,
                                        dense: dense, width: width, output: output + (row - rows.lowerBound) * width)
                }
            }
        }
    }

    /// Contiguous row ranges with about equal stored entries each (the split never affects results).
    func balancedRowChunks(parts: Int) -> [Range<Int>] {
        let count = max(1, min(parts, rowCount))
        var ranges = [Range<Int>]()
        ranges.reserveCapacity(count)
        var lower = 0
        let nnz = storedCount
        for part in 1...count {
            let upper: Int
            if part == count {
                upper = rowCount
            } else {
                // First row whose start offset reaches the target share of entries.
                let target = nnz * part / count
                var low = lower, high = rowCount
                while low < high {
                    let middle = (low + high) / 2
                    if rowStarts[middle] < target { low = middle + 1 } else { high = middle }
                }
                upper = max(low, lower)
            }
            if upper > lower { ranges.append(lower..<upper) }
            lower = max(lower, upper)
        }
        return ranges
    }
}

/// output[0..<width] = Σ values[e] · dense[columns[e]·width ..< +width] over e in start..<end, summing in
/// entry order (four entries per pass, combined as ((a + b) + (c + d)) added to the running row).
@inline(__always)
func sparseRowTimesDense(start: Int, end: Int, columns: UnsafePointer<Int32>, values: UnsafePointer<Float>,
                         dense: UnsafePointer<Float>, width: Int, output: UnsafeMutablePointer<Float>) {
    output.update(repeating: 0, count: width)
    var entry = start
    while entry + 4 <= end {
        let v0 = values[entry], v1 = values[entry + 1], v2 = values[entry + 2], v3 = values[entry + 3]
        let r0 = dense + Int(columns[entry]) * width
        let r1 = dense + Int(columns[entry + 1]) * width
        let r2 = dense + Int(columns[entry + 2]) * width
        let r3 = dense + Int(columns[entry + 3]) * width
        for k in 0..<width {
            output[k] += (v0 * r0[k] + v1 * r1[k]) + (v2 * r2[k] + v3 * r3[k])
        }
        entry += 4
    }
    while entry < end {
        let v = values[entry]
        let r = dense + Int(columns[entry]) * width
        for k in 0..<width { output[k] += v * r[k] }
        entry += 1
    }
}
