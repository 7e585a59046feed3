import SeeAlsoSupport
import SeeAlsoVectorize

/// The transpose of a CSR matrix (an inverted index): for each column (term), the rows (articles)
/// that contain it, in increasing row order, with their values.
///
/// Built in O(nnz + columns) time with a counting pass; memory 8 bytes per entry plus 8 per column.
public struct SparsePostings: Sendable {
    public let rowCount: Int
    public let columnCount: Int
    /// Column c's postings are `rows[columnStarts[c] ..< columnStarts[c + 1]]`.
    public let columnStarts: [Int]
    public let rows: [Int32]
    public let values: [Float]

    public init(columnStarts: [Int], rows: [Int32], values: [Float], rowCount: Int) {
        self.columnStarts = columnStarts
        self.rows = rows
        self.values = values
        self.rowCount = rowCount
        columnCount = columnStarts.count - 1
    }

    /// Transposes `matrix`.
    public init(_ matrix: CSRMatrix) {
        var starts = [Int](repeating: 0, count: matrix.columnCount + 1)
        for column in matrix.columns { starts[Int(column) + 1] += 1 }
        for column in 0..<matrix.columnCount { starts[column + 1] += starts[column] }
        var next = starts
        var rows = [Int32](repeating: 0, count: matrix.storedCount)
        var values = [Float](repeating: 0, count: matrix.storedCount)
        for row in 0..<matrix.rowCount {
            for index in matrix.rowStarts[row]..<matrix.rowStarts[row + 1] {
                let column = Int(matrix.columns[index])
                rows[next[column]] = Int32(row)
                values[next[column]] = matrix.values[index]
                next[column] += 1
            }
        }
        self.init(columnStarts: starts, rows: rows, values: values, rowCount: matrix.rowCount)
    }

    /// Number of rows containing `column` (its document frequency).
    @inline(__always) public func frequency(_ column: Int) -> Int { columnStarts[column + 1] - columnStarts[column] }
}
