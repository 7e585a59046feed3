/// A compressed sparse row matrix of Float32 with sorted column indices in each row.
///
/// Row r's entries are `columns[rowStarts[r]..<rowStarts[r+1]]` with `values` alongside.
/// Memory: 8 bytes per stored entry plus 8 per row.
package struct CSRMatrix: Sendable, Equatable {
    package var rowCount: Int
    package var columnCount: Int
    package var rowStarts: [Int]
    package var columns: [Int32]
    package var values: [Float]

    package init(rowCount: Int, columnCount: Int, rowStarts: [Int], columns: [Int32], values: [Float]) {
        precondition(rowStarts.count == rowCount + 1 && columns.count == values.count && rowStarts.last == columns.count,
                     "CSRMatrix: inconsistent arrays")
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.rowStarts = rowStarts
        self.columns = columns
        self.values = values
    }

    package var storedCount: Int { values.count }

    /// The (column, value) pairs of one row.
    package func row(_ index: Int) -> (columns: ArraySlice<Int32>, values: ArraySlice<Float>) {
        let range = rowStarts[index]..<rowStarts[index + 1]
        return (columns[range], values[range])
    }

    /// Appends the rows of `other` (same column count), in place: O(entries of `other`) amortized.
    package mutating func append(_ other: CSRMatrix) {
        precondition(other.columnCount == columnCount, "CSRMatrix.append: \(other.columnCount) columns, expected \(columnCount)")
        let offset = storedCount
        rowStarts.append(contentsOf: other.rowStarts.dropFirst().lazy.map { $0 + offset })
        columns.append(contentsOf: other.columns)
        values.append(contentsOf: other.values)
        rowCount += other.rowCount
    }

    /// Checks the invariants (offsets monotone, columns in range and strictly increasing per row).
    package func isValid() -> Bool {
        guard rowStarts.count == rowCount + 1, rowStarts.first == 0, rowStarts.last == columns.count,
              columns.count == values.count else { return false }
        for row in 0..<rowCount {
            let (start, end) = (rowStarts[row], rowStarts[row + 1])
            guard start <= end else { return false }
            var previous: Int32 = -1
            for index in start..<end {
                let column = columns[index]
                guard column > previous, Int(column) < columnCount else { return false }
                previous = column
            }
        }
        return true
    }
}
