import SeeAlsoSupport
import SeeAlsoVectorize

/// The transpose of a CSR matrix (an inverted index): for each column (term), the rows (articles)
/// that contain it, in increasing row order, with their values.
///
/// Built in O(nnz + columns) time with a counting pass; memory 8 bytes per entry plus 8 per column.
package struct SparsePostings: Sendable {
    package let rowCount: Int
    package let columnCount: Int
    /// Column c's postings are `rows[columnStarts[c] ..< columnStarts[c + 1]]`.
    package let columnStarts: [Int]
    package let rows: [Int32]
    package let values: [Float]

    package init(columnStarts: [Int], rows: [Int32], values: [Float], rowCount: Int) {
        self.columnStarts = columnStarts
        self.rows = rows
        self.values = values
        self.rowCount = rowCount
        columnCount = columnStarts.count - 1
    }

    /// Transposes `matrix` (a stable counting sort by column, `CSRMatrix.transposed()`).
    package init(_ matrix: CSRMatrix) {
        let transpose = matrix.transposed()
        self.init(columnStarts: transpose.rowStarts, rows: transpose.columns, values: transpose.values, rowCount: matrix.rowCount)
    }

    /// Number of rows containing `column` (its document frequency).
    @inline(__always) package func frequency(_ column: Int) -> Int { columnStarts[column + 1] - columnStarts[column] }

    /// These postings followed by those of `newRows`, numbered from `rowCount` on: each column's list
    /// stays in increasing row order. O(nnz of both + columns): one block copy per column and source.
    package func appending(rowsOf newRows: CSRMatrix) -> SparsePostings {
        let added = SparsePostings(newRows)
        var starts = [Int](repeating: 0, count: columnCount + 1)
        for column in 0..<columnCount { starts[column + 1] = starts[column] + frequency(column) + added.frequency(column) }
        let total = starts[columnCount]
        let offset = Int32(rowCount)
        var mergedValues = [Float]()
        let mergedRows = [Int32](unsafeUninitializedCapacity: total) { rowBuffer, rowsInitialized in
            mergedValues = [Float](unsafeUninitializedCapacity: total) { valueBuffer, valuesInitialized in
                withBuffers { old in
                    added.withBuffers { new in
                        for column in 0..<columnCount {
                            let oldRange = old.starts[column]..<old.starts[column + 1]
                            let newRange = new.starts[column]..<new.starts[column + 1]
                            let target = starts[column]
                            if !oldRange.isEmpty {
                                (rowBuffer.baseAddress! + target).initialize(from: old.rows.baseAddress! + oldRange.lowerBound, count: oldRange.count)
                                (valueBuffer.baseAddress! + target).initialize(from: old.values.baseAddress! + oldRange.lowerBound, count: oldRange.count)
                            }
                            for (step, position) in newRange.enumerated() {
                                rowBuffer[target + oldRange.count + step] = new.rows[position] + offset
                                valueBuffer[target + oldRange.count + step] = new.values[position]
                            }
                        }
                    }
                }
                valuesInitialized = total
            }
            rowsInitialized = total
        }
        return SparsePostings(columnStarts: starts, rows: mergedRows, values: mergedValues, rowCount: rowCount + newRows.rowCount)
    }

    /// Calls `body` with the postings as buffers (for `accumulatePostings`).
    package func withBuffers<Result>(_ body: (PostingBuffers) throws -> Result) rethrows -> Result {
        try columnStarts.withUnsafeBufferPointer { starts in
            try rows.withUnsafeBufferPointer { rows in
                try values.withUnsafeBufferPointer { values in
                    try body(PostingBuffers(starts: starts, rows: rows, values: values))
                }
            }
        }
    }
}

/// Postings read in place: from `SparsePostings.withBuffers`, or from an index's memory-mapped file.
package struct PostingBuffers: @unchecked Sendable {
    package let starts: UnsafeBufferPointer<Int>
    package let rows: UnsafeBufferPointer<Int32>
    package let values: UnsafeBufferPointer<Float>

    package init(starts: UnsafeBufferPointer<Int>, rows: UnsafeBufferPointer<Int32>, values: UnsafeBufferPointer<Float>) {
        self.starts = starts
        self.rows = rows
        self.values = values
    }

    /// scores[r] += Σ_t q_t · x_{r,t} over the postings of the query's terms (columns, values), for the
    /// rows r below `limit` only (postings are in row order, so each list is cut where it passes it).
    /// Float sums in term order: a fast preselection, not a canonical score. O(Σ_{t ∈ q} df(t)).
    @inlinable
    package func accumulate(columns: ArraySlice<Int32>, values queryValues: ArraySlice<Float>, below limit: Int = .max,
                            into scores: UnsafeMutablePointer<Float>) {
        for (column, weight) in zip(columns, queryValues) {
            for position in starts[Int(column)]..<starts[Int(column) + 1] {
                let row = Int(rows[position])
                if row >= limit { break }
                scores[row] += weight * values[position]
            }
        }
    }
}
