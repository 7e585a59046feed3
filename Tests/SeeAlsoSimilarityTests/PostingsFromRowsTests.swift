import Testing
import SeeAlsoSimilarity
import SeeAlsoSupport
import SeeAlsoTestSupport
import SeeAlsoVectorize

/// Postings and vectors made from the rows without holding them whole (what a partitioned build and
/// the index writer use), and exact lists found by scanning the rows (the recall check), against the
/// whole structures they replace.
@Suite struct PostingsFromRowsTests {
    /// The rare columns' postings equal the full postings with every other column's list emptied.
    @Test(arguments: SparseMatrixSpec.standard)
    func rareColumnsKeepTheirFullLists(spec: SparseMatrixSpec) {
        let matrix = spec.matrix()
        let full = SparsePostings(matrix)
        for maxFrequency in [0, 1, 3, 20, matrix.rowCount] {
            let rare = SparsePostings(matrix, columnsInAtMost: maxFrequency)
            var rows: [Int32] = [], values: [Float] = [], starts = [0]
            for column in 0..<matrix.columnCount {
                let range = full.columnStarts[column]..<full.columnStarts[column + 1]
                if range.count <= maxFrequency {
                    rows += full.rows[range]
                    values += full.values[range]
                }
                starts.append(rows.count)
            }
            #expect(rare.columnStarts == starts && rare.rows == rows && rare.values == values, "max \(maxFrequency)")
        }
    }

    /// Blocks of any size, made by any number of workers, concatenated, are the bytes of the postings'
    /// rows and values, and the plan's column starts are the postings'.
    @Test(arguments: SparseMatrixSpec.standard)
    func blocksConcatenateToThePostings(spec: SparseMatrixSpec) {
        let matrix = spec.matrix()
        for firstRow in [0, 37] {
            let full = SparsePostings(matrix, firstRow: firstRow)
            #expect(SparsePostings.columnStarts(of: matrix, firstColumn: 0, columnCount: matrix.columnCount) == full.columnStarts)
            for blockEntries in [1, 7, 100, matrix.storedCount + 1] {
                // More workers than rows on the small matrices only (one dispatch per block and range).
                for workers in [1, 2, 3, 8] + (matrix.rowCount < 100 ? [matrix.rowCount + 5] : []) {
                    expectBlocks(of: matrix, firstRow: firstRow, blockEntries: blockEntries, workers: workers, equal: full)
                }
            }
        }
    }

    /// Edge cases of the parallel blocks: no rows, no columns, empty rows and columns (leading, inner,
    /// trailing), one column longer than a block, more workers than rows, and ranges capped by the
    /// counts they may keep.
    @Test func blocksOfEdgeMatrices() {
        let matrices = [
            Self.matrix(columns: 5, rows: []),
            Self.matrix(columns: 0, rows: [[], [], []]),
            Self.matrix(columns: 4, rows: [[], [], [], []]),
            Self.matrix(columns: 9, rows: [[], [2, 3, 7], [], [], [3], [2, 7], []]),
            Self.matrix(columns: 6, rows: [[0, 1, 2, 3, 4, 5], [3], [3], [3], [0, 3], [3, 5], [3]]),
            Self.matrix(columns: 3, rows: [[1]]),
        ]
        for matrix in matrices {
            let full = SparsePostings(matrix, firstRow: 5)
            for blockEntries in [1, 2, 5, matrix.storedCount + 1] {
                for workers in [1, 2, 4, matrix.rowCount + 3] {
                    expectBlocks(of: matrix, firstRow: 5, blockEntries: blockEntries, workers: workers, equal: full)
                }
            }
            let capped = PostingsBlocks(matrix, blockEntries: 3, workers: 8, maximumCounts: 2 * matrix.columnCount)
            #expect(capped.rangeCount <= max(1, min(2, matrix.rowCount)), "\(matrix.rowCount) rows: \(capped.rangeCount) ranges")
            expectBlocks(of: matrix, firstRow: 0, blockEntries: 3, workers: 8, maximumCounts: 2 * matrix.columnCount,
                         equal: SparsePostings(matrix))
        }
    }

    /// The blocks' columns tile the matrix's in order, each block within `blockEntries` or one column,
    /// and their bytes concatenated are `full`'s rows and values.
    private func expectBlocks(of matrix: CSRMatrix, firstRow: Int, blockEntries: Int, workers: Int,
                              maximumCounts: Int = PostingsBlocks.maximumRangeCounts, equal full: SparsePostings) {
        let blocks = PostingsBlocks(matrix, firstRow: firstRow, blockEntries: blockEntries, workers: workers, maximumCounts: maximumCounts)
        let label = "\(matrix.rowCount)×\(matrix.columnCount), blocks of \(blockEntries), \(workers) workers"
        #expect(blocks.rangeCount >= 1 || matrix.rowCount == 0, "\(label)")
        #expect(blocks.rangeCount <= max(1, min(workers, matrix.rowCount)), "\(label)")
        #expect(blocks.columnStarts == full.columnStarts, "\(label)")
        #expect(blocks.blocks.first?.lowerBound ?? 0 == 0 && blocks.blocks.last?.upperBound ?? 0 == matrix.columnCount, "\(label)")
        for (block, next) in zip(blocks.blocks, blocks.blocks.dropFirst()) { #expect(block.upperBound == next.lowerBound, "\(label)") }
        for block in blocks.blocks {
            let entries = full.columnStarts[block.upperBound] - full.columnStarts[block.lowerBound]
            #expect(!block.isEmpty && (entries <= blockEntries || block.count == 1), "\(label): block \(block)")
        }
        var rowBytes: [UInt8] = [], valueBytes: [UInt8] = [], sizes: [Int] = []
        blocks.forEachBlock(.rows) { rowBytes += $0; sizes.append($0.count / 4) }
        blocks.forEachBlock(.values) { valueBytes += $0 }
        #expect(sizes == blocks.blocks.map { full.columnStarts[$0.upperBound] - full.columnStarts[$0.lowerBound] }, "\(label)")
        #expect(rowBytes == full.rows.withUnsafeBytes { Array($0) }, "rows, \(label)")
        #expect(valueBytes == full.values.withUnsafeBytes { Array($0) }, "values, \(label)")
    }

    /// A matrix whose rows hold `rows`' columns (sorted), with distinct values.
    private static func matrix(columns: Int, rows: [[Int32]]) -> CSRMatrix {
        var starts = [0], entries: [Int32] = [], values: [Float] = []
        for row in rows {
            entries += row
            values += row.indices.map { Float(values.count + $0 + 1) / 8 }
            starts.append(entries.count)
        }
        return CSRMatrix(rowCount: rows.count, columnCount: columns, rowStarts: starts, columns: entries, values: values)
    }

    /// Vectors projected block by block are the whole projection bit for bit.
    @Test func projectedBlocksEqualTheWholeProjection() throws {
        let matrix = SparseMatrixSpec.standard[2].matrix()
        let svd = try RandomizedSVD.fit(matrix, rank: 16, seed: 3)
        let whole = svd.project(matrix, normalize: true)
        for blockRows in [1, 64, 1000] {
            var values: [Float] = []
            ReducedVectors.projected(matrix, svd).forEachBlock(blockRows: blockRows) { values += $0.values }
            #expect(values.map(\.bitPattern) == whole.values.map(\.bitPattern), "blocks of \(blockRows) rows")
        }
        #expect(ReducedVectors.projected(matrix, svd).matrix == whole)
        #expect(ReducedVectors.projected(matrix, svd).dimensions == whole.columnCount)
    }

    /// Scanning the rows finds the same exact lists as the postings search, with deleted rows and each
    /// query's own row left out, on every storage.
    @Test(arguments: SparseMatrixSpec.standard)
    func scanningRowsEqualsThePostingsSearch(spec: SparseMatrixSpec) {
        let matrix = spec.matrix()
        let deleted = RowSet(stride(from: 3, to: matrix.rowCount, by: 11))
        let sample = Array(stride(from: 0, to: matrix.rowCount, by: 3))
        let queries = matrix.selectingRows(sample)
        let excluding = sample.map { Int32($0) }
        let expected = ExactSearch(storage: .arrays(matrix, SparsePostings(matrix)), deleted: deleted)
            .match(queries, k: spec.k, excluding: excluding, floors: nil, progress: nil).lists
        for storage in [RowStorage.arrays(matrix, SparsePostings(matrix)), .rows(matrix)] {
            let scanned = ExactSearch(storage: storage, deleted: deleted).listsByScanningRows(queries, k: spec.k, excluding: excluding)
            #expect(scanned == expected)
        }
    }
}
