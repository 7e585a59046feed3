/// A compressed sparse row matrix of Float32 with sorted column indices in each row.
///
/// Row r's entries are `columns[rowStarts[r]..<rowStarts[r+1]]` with `values` alongside.
/// Memory: 8 bytes per stored entry plus 8 per row.
public struct CSRMatrix: Sendable, Equatable {
    public var rowCount: Int
    public var columnCount: Int
    public var rowStarts: [Int]
    public var columns: [Int32]
    public var values: [Float]

    public init(rowCount: Int, columnCount: Int, rowStarts: [Int], columns: [Int32], values: [Float]) {
        precondition(rowStarts.count == rowCount + 1 && columns.count == values.count && rowStarts.last == columns.count,
                     "CSRMatrix: inconsistent arrays")
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.rowStarts = rowStarts
        self.columns = columns
        self.values = values
    }

    public var storedCount: Int { values.count }

    /// The (column, value) pairs of one row.
    public func row(_ index: Int) -> (columns: ArraySlice<Int32>, values: ArraySlice<Float>) {
        let range = rowStarts[index]..<rowStarts[index + 1]
        return (columns[range], values[range])
    }

    /// Checks the invariants (offsets monotone, columns in range and strictly increasing per row).
    public func isValid() -> Bool {
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
