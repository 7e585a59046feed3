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

    /// Blocks of any size, concatenated, are the bytes of the postings' rows and values.
    @Test(arguments: SparseMatrixSpec.standard)
    func blocksConcatenateToThePostings(spec: SparseMatrixSpec) {
        let matrix = spec.matrix()
        for firstRow in [0, 37] {
            let full = SparsePostings(matrix, firstRow: firstRow)
            let starts = SparsePostings.columnStarts(of: matrix, firstColumn: 0, columnCount: matrix.columnCount)
            #expect(starts == full.columnStarts)
            for blockEntries in [1, 7, 100, matrix.storedCount + 1] {
                var rowBytes: [UInt8] = [], valueBytes: [UInt8] = []
                SparsePostings.forEachBlock(of: matrix, firstRow: firstRow, columnStarts: starts, blockEntries: blockEntries, part: .rows) {
                    rowBytes += $0
                }
                SparsePostings.forEachBlock(of: matrix, firstRow: firstRow, columnStarts: starts, blockEntries: blockEntries, part: .values) {
                    valueBytes += $0
                }
                #expect(rowBytes == full.rows.withUnsafeBytes { Array($0) }, "rows, blocks of \(blockEntries)")
                #expect(valueBytes == full.values.withUnsafeBytes { Array($0) }, "values, blocks of \(blockEntries)")
            }
        }
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
