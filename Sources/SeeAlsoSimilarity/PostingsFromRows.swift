import SeeAlsoSupport
import SeeAlsoVectorize

/// Postings made from CSR rows without holding the whole inverted index: the rare columns alone (what
/// rare-term votes read while a partitioned index is built), or every column in blocks handed out one
/// after the other (what writing an index's `postings.sal` needs).
extension SparsePostings {
    /// The postings of the columns in at most `maxFrequency` rows; every other column's list is left
    /// empty (its frequency reads 0). Same order as `SparsePostings(matrix)`. O(nnz + columns) time;
    /// memory 8 bytes per kept entry.
    package init(_ matrix: CSRMatrix, columnsInAtMost maxFrequency: Int) {
        let all = Self.columnStarts(of: matrix, firstColumn: 0, columnCount: matrix.columnCount)
        var starts = [Int](repeating: 0, count: matrix.columnCount + 1)
        for column in 0..<matrix.columnCount {
            let frequency = all[column + 1] - all[column]
            starts[column + 1] = starts[column] + (frequency <= maxFrequency ? frequency : 0)
        }
        let total = starts[matrix.columnCount]
        var values = [Float]()
        let rows = [Int32](unsafeUninitializedCapacity: total) { rowBuffer, rowsInitialized in
            values = [Float](unsafeUninitializedCapacity: total) { valueBuffer, valuesInitialized in
                var next = Array(starts.dropLast())
                Self.forEachEntry(of: matrix) { row, column, value in
                    guard next[column] < starts[column + 1] else { return }
                    rowBuffer[next[column]] = Int32(row)
                    valueBuffer[next[column]] = value
                    next[column] += 1
                }
                valuesInitialized = total
            }
            rowsInitialized = total
        }
        self.init(columnStarts: starts, rows: rows, values: values, rowCount: matrix.rowCount)
    }

    /// Where each of columns `firstColumn..<firstColumn + columnCount` starts in `matrix`'s postings,
    /// counted from the block's first entry (`columnCount + 1` offsets). O(nnz + columns).
    package static func columnStarts(of matrix: CSRMatrix, firstColumn: Int, columnCount: Int) -> [Int] {
        var starts = [Int](repeating: 0, count: columnCount + 1)
        let end = firstColumn + columnCount
        matrix.withIndexedRows { rows in
            for column in rows.parts[0].rows.indices where Int(column) >= firstColumn && Int(column) < end {
                starts[Int(column) - firstColumn + 1] += 1
            }
        }
        for column in 0..<columnCount { starts[column + 1] += starts[column] }
        return starts
    }

    /// The two arrays of postings, each written as its own section of an index file.
    package enum Part: Sendable { case rows, values }

    /// Calls `body` with the bytes of `part` (row numbers from `firstRow` as Int32, or values as Float)
    /// of `matrix`'s postings in blocks of consecutive columns, each holding at most `blockEntries`
    /// entries (or one column, when a single column holds more): the blocks concatenated are the bytes
    /// of `SparsePostings(matrix, firstRow:)`'s `rows` or `values`. `columnStarts` is the whole postings'
    /// column starts. Cost: one pass over the stored entries per block; memory: one block (4 bytes per entry).
    package static func forEachBlock(of matrix: CSRMatrix, firstRow: Int = 0, columnStarts: [Int], blockEntries: Int,
                                     part: Part, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        precondition(matrix.rowCount + firstRow <= Int(Int32.max), "SparsePostings: more rows than Int32 can number")
        var first = 0
        while first < matrix.columnCount {
            var end = first + 1
            while end < matrix.columnCount && columnStarts[end + 1] - columnStarts[first] <= blockEntries { end += 1 }
            let base = columnStarts[first], count = columnStarts[end] - base
            var next = Array(columnStarts[first..<end])
            let block = [UInt32](unsafeUninitializedCapacity: count) { buffer, initialized in
                next.withUnsafeMutableBufferPointer { next in
                    forEachEntry(of: matrix) { row, column, value in
                        guard column >= first && column < end else { return }
                        buffer[next[column - first] - base] = part == .rows ? UInt32(bitPattern: Int32(row + firstRow)) : value.bitPattern
                        next[column - first] += 1
                    }
                }
                initialized = count
            }
            try block.withUnsafeBytes(body)
            first = end
        }
    }

    /// Calls `body` with (row, column, value) of every stored entry of `matrix`, row by row.
    @inline(__always)
    private static func forEachEntry(of matrix: CSRMatrix, _ body: (_ row: Int, _ column: Int, _ value: Float) -> Void) {
        matrix.withIndexedRows { indexed in
            let rows = indexed.parts[0].rows
            for row in 0..<matrix.rowCount {
                for entry in rows.starts[row]..<rows.starts[row + 1] { body(row, Int(rows.indices[entry]), rows.values[entry]) }
            }
        }
    }
}
