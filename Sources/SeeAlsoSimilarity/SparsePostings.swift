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

    /// The postings of consecutive parts of an index (each part's lists in row order, parts in row order),
    /// column by column: O(nnz + parts · columns), one block copy per column and part.
    package init(concatenating parts: [SparseBuffers], rowCount: Int) {
        let columnCount = (parts.first?.starts.count ?? 1) - 1
        var starts = [Int](repeating: 0, count: columnCount + 1)
        for column in 0..<columnCount {
            starts[column + 1] = starts[column] + parts.reduce(0) { $0 + $1.starts[column + 1] - $1.starts[column] }
        }
        let total = starts[columnCount]
        var mergedValues = [Float]()
        let mergedRows = [Int32](unsafeUninitializedCapacity: total) { rowBuffer, rowsInitialized in
            mergedValues = [Float](unsafeUninitializedCapacity: total) { valueBuffer, valuesInitialized in
                for column in 0..<columnCount {
                    var target = starts[column]
                    for part in parts {
                        let range = part.starts[column]..<part.starts[column + 1]
                        guard !range.isEmpty else { continue }
                        (rowBuffer.baseAddress! + target).initialize(from: part.indices.baseAddress! + range.lowerBound, count: range.count)
                        (valueBuffer.baseAddress! + target).initialize(from: part.values.baseAddress! + range.lowerBound, count: range.count)
                        target += range.count
                    }
                }
                valuesInitialized = total
            }
            rowsInitialized = total
        }
        self.init(columnStarts: starts, rows: mergedRows, values: mergedValues, rowCount: rowCount)
    }

    /// Number of rows containing `column` (its document frequency).
    @inline(__always) package func frequency(_ column: Int) -> Int { columnStarts[column + 1] - columnStarts[column] }

    /// The postings of `matrix`'s rows as rows `firstRow..<firstRow + m` of a larger index (a tail
    /// segment, rows being appended); `rowCount` is firstRow + m. O(nnz + columns).
    package init(_ matrix: CSRMatrix, firstRow: Int) {
        let local = SparsePostings(matrix)
        let offset = Int32(firstRow)
        self.init(columnStarts: local.columnStarts, rows: local.rows.map { $0 + offset }, values: local.values,
                  rowCount: firstRow + matrix.rowCount)
    }

    /// Calls `body` with the postings as buffers (`indices` are rows).
    package func withBuffers<Result>(_ body: (SparseBuffers) throws -> Result) rethrows -> Result {
        try columnStarts.withUnsafeBufferPointer { starts in
            try rows.withUnsafeBufferPointer { rows in
                try values.withUnsafeBufferPointer { values in
                    try body(SparseBuffers(starts: starts, indices: rows, values: values))
                }
            }
        }
    }
}
