import SeeAlsoSupport
import SeeAlsoVectorize

/// Compressed sparse buffers read in place: CSR rows (`starts` per row, `indices` = columns) or postings
/// (`starts` per column, `indices` = rows), from arrays (inside `RowStorage.withRows`) or from an index's
/// memory-mapped sections (while the index is open).
package struct SparseBuffers: @unchecked Sendable {
    package let starts: UnsafeBufferPointer<Int>
    package let indices: UnsafeBufferPointer<Int32>
    package let values: UnsafeBufferPointer<Float>

    package init(starts: UnsafeBufferPointer<Int>, indices: UnsafeBufferPointer<Int32>, values: UnsafeBufferPointer<Float>) {
        self.starts = starts
        self.indices = indices
        self.values = values
    }

    /// The entries of row (or column) `index`.
    @inline(__always)
    package func entries(_ index: Int) -> (indices: UnsafeBufferPointer<Int32>, values: UnsafeBufferPointer<Float>) {
        let range = starts[index]..<starts[index + 1]
        return (UnsafeBufferPointer(rebasing: self.indices[range]), UnsafeBufferPointer(rebasing: values[range]))
    }

    /// For postings: scores[r] += Σ_t q_t · x_{r,t} over the postings of the query's terms (columns,
    /// values). Float sums in term order: a fast preselection, not a canonical score. O(Σ_{t ∈ q} df(t)).
    @inlinable
    package func accumulate(columns: ArraySlice<Int32>, values queryValues: ArraySlice<Float>,
                            into scores: UnsafeMutablePointer<Float>) {
        for (column, weight) in zip(columns, queryValues) {
            for position in starts[Int(column)]..<starts[Int(column) + 1] {
                scores[Int(indices[position])] += weight * values[position]
            }
        }
    }
}

/// The indexed rows of a similarity index read in place: the TF-IDF rows in parts (an index's base and
/// tail segments, or one matrix) and their postings in parts (global row numbers, each part's lists in
/// row order, parts in row order). Valid inside `RowStorage.withRows`.
package struct IndexedRows: @unchecked Sendable {
    /// Rows `firstRow..<firstRow + count` of the index.
    package struct Part: @unchecked Sendable {
        package let firstRow: Int
        package let rows: SparseBuffers

        package init(firstRow: Int, rows: SparseBuffers) {
            self.firstRow = firstRow
            self.rows = rows
        }

        var count: Int { rows.starts.count - 1 }
    }

    package let parts: [Part]
    package let postings: [SparseBuffers]
    package let columnCount: Int
    package let rowCount: Int

    package init(parts: [Part], postings: [SparseBuffers], columnCount: Int) {
        self.parts = parts
        self.postings = postings
        self.columnCount = columnCount
        rowCount = parts.last.map { $0.firstRow + $0.count } ?? 0
    }

    /// The columns and values of row `row`.
    @inline(__always)
    package func row(_ row: Int) -> (columns: UnsafeBufferPointer<Int32>, values: UnsafeBufferPointer<Float>) {
        var part = parts[0]
        if parts.count > 1 { part = parts.last { $0.firstRow <= row }! }
        let entries = part.rows.entries(row - part.firstRow)
        return (entries.indices, entries.values)
    }

    /// The rows at `rows` (in that order) as a CSR matrix.
    package func selecting(_ rows: [Int]) -> CSRMatrix {
        var starts = [0], columns: [Int32] = [], values: [Float] = []
        for row in rows {
            let entries = self.row(row)
            columns.append(contentsOf: entries.columns)
            values.append(contentsOf: entries.values)
            starts.append(columns.count)
        }
        return CSRMatrix(rowCount: rows.count, columnCount: columnCount, rowStarts: starts, columns: columns, values: values)
    }

    /// Rows containing `column` (its document frequency).
    @inline(__always)
    package func frequency(_ column: Int) -> Int { postings.reduce(0) { $0 + $1.starts[column + 1] - $1.starts[column] } }
}

/// Where a similarity index's rows and postings live: arrays (built in memory), the rows alone (a freshly
/// built partitioned index, whose postings are made from the rows when read: its build reads rare
/// terms' postings only, and writing streams them from the rows), or read in place from an index's
/// memory-mapped files (`owner` keeps them open), materialized into arrays only when asked for
/// (`matrix`, `postings`: appending rows, writing a whole index).
package enum RowStorage: @unchecked Sendable {
    case arrays(CSRMatrix, SparsePostings)
    case rows(CSRMatrix)
    case mapped(IndexedRows, owner: AnyObject)

    package var rowCount: Int {
        switch self {
        case .arrays(let matrix, _), .rows(let matrix): return matrix.rowCount
        case .mapped(let rows, _): return rows.rowCount
        }
    }

    /// Calls `body` with the rows and postings read in place (`.rows`: postings transposed for the call,
    /// O(nnz) time and 8 bytes per entry).
    package func withRows<Result>(_ body: (IndexedRows) throws -> Result) rethrows -> Result {
        switch self {
        case .mapped(let rows, let owner):
            return try withExtendedLifetime(owner) { try body(rows) }
        case .arrays(let matrix, let postings):
            return try matrix.withIndexedRows(postings: postings, body)
        case .rows(let matrix):
            return try matrix.withIndexedRows(postings: SparsePostings(matrix), body)
        }
    }

    /// Calls `body` with the rows read in place and no postings (`IndexedRows.postings` empty).
    package func withRowsOnly<Result>(_ body: (IndexedRows) throws -> Result) rethrows -> Result {
        switch self {
        case .mapped(let rows, let owner):
            return try withExtendedLifetime(owner) { try body(IndexedRows(parts: rows.parts, postings: [], columnCount: rows.columnCount)) }
        case .arrays(let matrix, _), .rows(let matrix):
            return try matrix.withIndexedRows(body)
        }
    }

    /// The rows as one CSR matrix (a copy when mapped: O(nnz)).
    package var matrix: CSRMatrix {
        switch self {
        case .arrays(let matrix, _), .rows(let matrix): return matrix
        case .mapped(let rows, let owner):
            return withExtendedLifetime(owner) {
                var parts = rows.parts.map { CSRMatrix(copying: $0.rows, columnCount: rows.columnCount) }
                var matrix = parts.removeFirst()
                for part in parts { matrix.append(part) }
                return matrix
            }
        }
    }

    /// The postings as one inverted index (a copy when mapped: O(nnz)).
    package var postings: SparsePostings {
        switch self {
        case .arrays(_, let postings): return postings
        case .rows(let matrix): return SparsePostings(matrix)
        case .mapped(let rows, let owner):
            return withExtendedLifetime(owner) { SparsePostings(concatenating: rows.postings, rowCount: rows.rowCount) }
        }
    }

    /// The rows and postings with `newRows` appended, as arrays: each column's list stays in increasing
    /// row order, the stored postings (all their parts) and the new rows' joined in one pass.
    /// O(nnz of both + parts · columns).
    package func appending(_ newRows: CSRMatrix) -> RowStorage {
        let added = SparsePostings(newRows, firstRow: rowCount)
        let postings = withRows { rows in
            added.withBuffers { SparsePostings(concatenating: rows.postings + [$0], rowCount: added.rowCount) }
        }
        var matrix = matrix
        matrix.append(newRows)
        return .arrays(matrix, postings)
    }
}

extension CSRMatrix {
    /// A copy of CSR rows read in place (`rows.starts` from 0): O(nnz).
    package init(copying rows: SparseBuffers, columnCount: Int) {
        self.init(rowCount: rows.starts.count - 1, columnCount: columnCount, rowStarts: Array(rows.starts),
                  columns: Array(rows.indices), values: Array(rows.values))
    }

    /// Calls `body` with the rows and `postings` (this matrix's, or a part of them) read in place.
    package func withIndexedRows<Result>(postings: SparsePostings, _ body: (IndexedRows) throws -> Result) rethrows -> Result {
        try withIndexedRows { rows in
            try postings.withBuffers { try body(IndexedRows(parts: rows.parts, postings: [$0], columnCount: columnCount)) }
        }
    }

    /// Calls `body` with the rows read in place (no postings).
    package func withIndexedRows<Result>(_ body: (IndexedRows) throws -> Result) rethrows -> Result {
        try rowStarts.withUnsafeBufferPointer { starts in
            try columns.withUnsafeBufferPointer { columns in
                try values.withUnsafeBufferPointer { values in
                    let part = IndexedRows.Part(firstRow: 0, rows: SparseBuffers(starts: starts, indices: columns, values: values))
                    return try body(IndexedRows(parts: [part], postings: [], columnCount: columnCount))
                }
            }
        }
    }
}
