import SeeAlsoSupport
import SeeAlsoVectorize

/// Postings made from CSR rows without holding the whole inverted index: the rare columns alone (what
/// rare-term votes read while a partitioned index is built), or every column in blocks handed out one
/// after the other (`PostingsBlocks`, what writing an index's `postings.sal` needs).
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

/// The postings of a CSR matrix's rows (numbered from `firstRow`) in blocks of consecutive columns, each
/// made by all workers at once and handed out one after the other: what writing an index's
/// `postings.sal` needs without holding the whole inverted index.
///
/// The rows are split into ranges of about equal stored entries, one per worker. `init` counts, in one
/// parallel pass, each range's entries per column; from those counts come the postings' column starts
/// and, for every (range, column), how many of the column's entries lie in earlier ranges, which is
/// where that range's entries of the column go. A block is filled by every worker at once, each walking
/// its own rows from where it stopped in the previous block (a row holds its columns in increasing
/// order, and blocks come in column order, so a row's entries of a block follow one another) and
/// writing to places no other worker writes. The blocks concatenated are, byte for byte, the arrays of
/// `SparsePostings(matrix, firstRow:)` (whose lists keep row order), whatever the worker count.
///
/// Cost: `init` O(nnz / workers + ranges × columns); a pass of `forEachBlock` O(nnz / workers +
/// blocks × rows / workers + ranges × columns), against one pass over every entry per block on one
/// thread. Memory: 8 bytes per column, 4 per (range, column) — the ranges are capped so that this
/// stays within 128 MiB — and during a pass one buffer as large as the largest block (4 bytes per
/// entry, reused by every block), 8 bytes per row and 4 per (range, column of the block).
package struct PostingsBlocks: Sendable {
    /// Where each column's list starts in the postings (`columnCount + 1` offsets, the last = nnz).
    package let columnStarts: [Int]
    /// The blocks' columns, consecutive and in order: each holds at most `blockEntries` entries, or
    /// one column when that column alone holds more.
    package let blocks: [Range<Int>]
    private let matrix: CSRMatrix
    private let firstRow: Int
    /// The workers' rows: contiguous, in order, about equal stored entries each.
    private let rowRanges: [Range<Int>]
    /// Range-major, `rowRanges.count × columnCount`: the entries of each column in the ranges before
    /// this one.
    private let entriesBefore: [Int32]

    /// Most (range, column) counts kept by default (4 bytes each): 128 MiB, a block buffer's worth.
    package static let maximumRangeCounts = 1 << 25

    /// Plans the blocks of `matrix`'s postings (rows numbered from `firstRow`), of at most
    /// `blockEntries` entries each, to be made by `workers` row ranges (fewer when there are fewer rows,
    /// or when `workers × columns` would pass `maximumCounts`, the (range, column) counts kept). Runs
    /// the counting pass on up to `Parallelism.workerCount` threads.
    package init(_ matrix: CSRMatrix, firstRow: Int = 0, blockEntries: Int, workers: Int = Parallelism.workerCount,
                 maximumCounts: Int = PostingsBlocks.maximumRangeCounts) {
        precondition(matrix.rowCount + firstRow <= Int(Int32.max), "PostingsBlocks: more rows than Int32 can number")
        precondition(blockEntries > 0, "PostingsBlocks: blocks must hold at least one entry")
        let columnCount = matrix.columnCount
        let rangeCap = max(1, maximumCounts / max(1, columnCount))
        let rowRanges = matrix.balancedRowChunks(parts: max(1, min(workers, rangeCap)))
        var counts = [Int32](repeating: 0, count: rowRanges.count * columnCount)
        var totals = [Int](repeating: 0, count: columnCount + 1)
        if columnCount > 0 && !rowRanges.isEmpty {
            counts.withUnsafeMutableBufferPointer { counts in
                let counts = SharedMutablePointer(counts.baseAddress!)
                matrix.withIndexedRows { indexed in
                    let rows = indexed.parts[0].rows
                    Parallelism.forEach(rowRanges.count) { range in
                        Self.count(rows, rowRanges[range], into: counts.base + range * columnCount)
                    }
                }
                // Counts → entries of each column in earlier ranges; the column's total goes to `totals`.
                totals.withUnsafeMutableBufferPointer { totals in
                    let totals = SharedMutablePointer(totals.baseAddress!)
                    Parallelism.forEachRange(columnCount, minimumChunk: 4096) { columns, _ in
                        Self.exclusiveSums(counts.base, ranges: rowRanges.count, columnCount: columnCount,
                                           columns: columns, totals: totals.base + 1)
                    }
                }
            }
        }
        for column in 0..<columnCount { totals[column + 1] += totals[column] }
        // Block positions are Int32: a block of several columns holds fewer than 2³¹ entries (one column
        // never more, as rows are numbered by Int32).
        let blockEntries = min(blockEntries, Int(Int32.max))
        var blocks: [Range<Int>] = []
        var first = 0
        while first < columnCount {
            var end = first + 1
            while end < columnCount && totals[end + 1] - totals[first] <= blockEntries { end += 1 }
            blocks.append(first..<end)
            first = end
        }
        self.matrix = matrix
        self.firstRow = firstRow
        self.rowRanges = rowRanges
        self.columnStarts = totals
        self.blocks = blocks
        entriesBefore = counts
    }

    /// How many row ranges (workers, each on its own rows) make every block.
    package var rangeCount: Int { rowRanges.count }

    /// Calls `body` with the bytes of `part` (row numbers from `firstRow` as Int32, or values as Float)
    /// of each block in turn: concatenated, the bytes of `SparsePostings(matrix, firstRow:)`'s `rows` or
    /// `values`. Each block is made in parallel (see the type), then passed to `body` on the calling
    /// thread; the bytes are valid during the call only (the next block reuses them).
    package func forEachBlock(_ part: SparsePostings.Part, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        // Where each row's entries of the next block begin: every row's first entry, to start with.
        var cursors = Array(matrix.rowStarts.dropLast())
        // One buffer, as large as the largest block, for every block: its pages are touched once a pass.
        var buffer = [UInt32](repeating: 0, count: blocks.map { columnStarts[$0.upperBound] - columnStarts[$0.lowerBound] }.max() ?? 0)
        try matrix.withIndexedRows { indexed in
            let rows = indexed.parts[0].rows
            try cursors.withUnsafeMutableBufferPointer { cursors in
                try entriesBefore.withUnsafeBufferPointer { entriesBefore in
                    try buffer.withUnsafeMutableBufferPointer { buffer in
                        for columns in blocks {
                            let base = columnStarts[columns.lowerBound], count = columnStarts[columns.upperBound] - base
                            // No entries (no rows, or only empty columns): no row's cursor moves.
                            guard count > 0 else {
                                try body(UnsafeRawBufferPointer(start: nil, count: 0))
                                continue
                            }
                            let cursors = SharedMutablePointer(cursors.baseAddress!), before = SharedPointer(entriesBefore.baseAddress!)
                            let output = SharedMutablePointer(buffer.baseAddress!)
                            Parallelism.forEach(rowRanges.count) { range in
                                fill(part, rows: rows, range: range, columns: columns, base: base,
                                     entriesBefore: before.base + range * matrix.columnCount, cursors: cursors.base, into: output.base)
                            }
                            try body(UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[0..<count])))
                        }
                    }
                }
            }
        }
    }

    /// Adds one to `counts[c]` for every entry of column c in `rows`' rows `range`. O(entries of the range).
    private static func count(_ rows: SparseBuffers, _ range: Range<Int>, into counts: UnsafeMutablePointer<Int32>) {
        guard !range.isEmpty else { return }
        for entry in rows.starts[range.lowerBound]..<rows.starts[range.upperBound] { counts[Int(rows.indices[entry])] += 1 }
    }

    /// For each of `columns`, replaces the `ranges` counts (range-major rows of `columnCount`) by their
    /// sums over the earlier ranges, and stores the column's total in `totals[column]`. O(ranges × columns).
    private static func exclusiveSums(_ counts: UnsafeMutablePointer<Int32>, ranges: Int, columnCount: Int, columns: Range<Int>,
                                      totals: UnsafeMutablePointer<Int>) {
        for column in columns {
            var sum: Int32 = 0
            for range in 0..<ranges {
                let count = counts[range * columnCount + column]
                counts[range * columnCount + column] = sum
                sum += count
            }
            totals[column] = Int(sum)
        }
    }

    /// Rows whose first entry still to place are read together before any of them is placed.
    static let rowBatch = 64

    /// Writes `part` of the entries in `columns` of the rows of range `range` (from `cursors[row]` on,
    /// which it moves past them) into the block starting at postings entry `base`: a column's entries
    /// go after the `entriesBefore[column]` of earlier ranges, in row order. Rows go by batches of
    /// `rowBatch`: first every row's next entry (column, and value for `.values`) is read — loads that
    /// do not wait on one another, where a row at a time would wait on memory for each row, the cost
    /// that grows with rows × blocks — then the rows with entries in the block are placed. O(those
    /// entries + rows + columns); memory 4 bytes per column of the block.
    private func fill(_ part: SparsePostings.Part, rows: SparseBuffers, range: Int, columns: Range<Int>, base: Int,
                      entriesBefore: UnsafePointer<Int32>, cursors: UnsafeMutablePointer<Int>,
                      into output: UnsafeMutablePointer<UInt32>) {
        // Where this range's next entry of each of the block's columns goes, from the block's start.
        var next = columns.map { Int32(columnStarts[$0] - base) + entriesBefore[$0] }
        let first = columns.lowerBound, end = Int32(columns.upperBound), batch = Self.rowBatch
        next.withUnsafeMutableBufferPointer { next in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: batch) { heads in
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: batch) { headValues in
                    for lower in stride(from: rowRanges[range].lowerBound, to: rowRanges[range].upperBound, by: batch) {
                        let upper = min(lower + batch, rowRanges[range].upperBound)
                        // Each row's next entry: its column (`end` when the row has none left) and value.
                        for row in lower..<upper {
                            let entry = cursors[row], left = entry < rows.starts[row + 1]
                            heads[row - lower] = left ? rows.indices[entry] : end
                            if part == .values { headValues[row - lower] = left ? rows.values[entry].bitPattern : 0 }
                        }
                        for row in lower..<upper where heads[row - lower] < end {
                            let rowEnd = rows.starts[row + 1], number = UInt32(bitPattern: Int32(row + firstRow))
                            var entry = cursors[row], column = heads[row - lower]
                            var bits = part == .rows ? number : headValues[row - lower]
                            while true {
                                let slot = Int(column) - first
                                output[Int(next[slot])] = bits
                                next[slot] += 1
                                entry += 1
                                guard entry < rowEnd else { break }
                                column = rows.indices[entry]
                                guard column < end else { break }
                                bits = part == .rows ? number : rows.values[entry].bitPattern
                            }
                            cursors[row] = entry
                        }
                    }
                }
            }
        }
    }
}
