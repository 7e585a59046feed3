import Testing
import SeeAlsoSupport
import SeeAlsoTestSupport
import SeeAlsoVectorize
@testable import SeeAlsoSimilarity

/// The similarity-index abstraction: exact search and add, list merging, appended postings.
/// (@testable: `ListOffer`'s memberwise initializer is internal.)
@Suite struct SimilarityIndexTests {
    static let specs = SparseMatrixSpec.standard

    /// Adding rows to an exact index in batches gives, bit for bit, the lists of an exact index built
    /// over all rows (duplicate rows make exact ties; empty rows have no neighbours).
    @Test(arguments: specs)
    func exactAddEqualsABuildOverAllRows(spec: SparseMatrixSpec) {
        let matrix = spec.matrix()
        let built = ExactIndex(building: matrix, k: spec.k, progress: nil)
        #expect(BruteForce.problems(built.lists, truth: BruteForce.scores(matrix), k: spec.k).isEmpty)
        let n = matrix.rowCount
        for cuts in [[n / 2, n / 2 + 1, n * 3 / 4], [n - 1], [1, 2, n / 3]] {
            var index = ExactIndex(building: matrix.selectingRows(Array(0..<cuts[0])), k: spec.k, progress: nil)
            for (start, end) in zip(cuts, cuts.dropFirst() + [n]) {
                index.add(matrix.selectingRows(Array(start..<end)))
            }
            #expect(index.matrix == matrix)
            #expect(index.postings.columnStarts == built.postings.columnStarts && index.postings.rows == built.postings.rows
                    && index.postings.values == built.postings.values)
            let difference = BruteForce.differences(index.lists, built.lists)
            #expect(difference.rows.isEmpty, "cuts \(cuts): \(difference.rows.count) rows differ: \(difference.detail)")
        }
    }

    /// Exact search of rows that are not indexed equals brute force against the indexed rows, and with
    /// floors every pair that may enter an indexed row's list is offered with its canonical score.
    @Test func exactSearchOfNewRowsEqualsBruteForce() {
        let matrix = Self.specs[1].matrix()
        let indexed = matrix.selectingRows(Array(0..<200))
        let queries = matrix.selectingRows(Array(200..<matrix.rowCount))
        let index = ExactIndex(building: indexed, k: 5, progress: nil)
        let matches = index.match(queries, k: 6, reverse: true, progress: nil)
        let truth = BruteForce.scores(matrix)
        for query in 0..<queries.rowCount {
            let row = 200 + query
            var expected = (0..<200).filter { truth[row][$0] > 0 }
            expected.sort { truth[row][$0] != truth[row][$1] ? truth[row][$0] > truth[row][$1] : $0 < $1 }
            let listed = matches.lists.neighbors(of: query)
            #expect(listed.count == min(6, expected.count))
            for (item, id) in zip(listed, expected) where item.id != id {
                #expect(abs(truth[row][item.id] - truth[row][id]) <= 1e-6, "query \(query): \(item.id) vs \(id)")
            }
            for item in listed { #expect(item.score == CanonicalScores.dot(queries, query, indexed, item.id)) }
        }
        let floors = index.lists.entryFloors()
        let offered = Set(matches.offers.map { [Int($0.target), Int($0.source)] })
        for offer in matches.offers {
            #expect(offer.score == CanonicalScores.dot(queries, Int(offer.source), indexed, Int(offer.target)))
        }
        for target in 0..<200 {
            for query in 0..<queries.rowCount where truth[target][200 + query] > Double(floors[target]) + 1e-5 {
                #expect(offered.contains([target, query]), "row \(target) is not offered query \(query)")
            }
        }
    }

    @Test func entryFloorsAndListMerge() {
        // Row 0 is full (k = 3), row 1 has room.
        let lists = NeighborLists(rowCount: 2, k: 3, ids: [4, 2, 3, 0, -1, -1], scores: [0.9, 0.5, 0.5, 0.7, 0, 0])
        #expect(lists.entryFloors(tolerance: 0) == [0.5, 0])
        #expect(lists.entryFloors() == [0.5 - 1e-4, 0])
        var merge = ListMerge(lists: lists)
        merge.offer([ListOffer(target: 0, source: 1, score: 0.5), ListOffer(target: 0, source: 5, score: 0.95),
                     ListOffer(target: 1, source: 4, score: 0.7), ListOffer(target: 1, source: 0, score: 0.7),
                     ListOffer(target: 0, source: 2, score: 0.5)])
        merge.appendRow([ListOffer(target: 2, source: 3, score: 0.2), ListOffer(target: 2, source: 0, score: 0.6),
                         ListOffer(target: 2, source: 3, score: 0.2)])
        let merged = merge.lists
        #expect(merged.rowCount == 3 && merged.k == 3)
        // A newcomer that ties the last score enters only with a lower id; repeats are kept once.
        #expect(merged.neighbors(of: 0).map(\.id) == [5, 4, 1])
        #expect(merged.neighbors(of: 0).map(\.score) == [0.95, 0.9, 0.5])
        #expect(merged.neighbors(of: 1).map(\.id) == [0, 4])
        #expect(merged.neighbors(of: 2).map(\.id) == [0, 3])
        #expect(Array(merged.ids[6..<9]) == [0, 3, -1] && merged.scores[8] == 0)
    }

    @Test func postingsOfAppendedRowsEqualThePostingsOfAllRows() {
        let matrix = Self.specs[2].matrix()
        let whole = SparsePostings(matrix)
        #expect(whole.columnCount == matrix.columnCount && whole.rowCount == matrix.rowCount)
        for cut in [0, 1, 150, matrix.rowCount - 1, matrix.rowCount] {
            let head = matrix.selectingRows(Array(0..<cut))
            let appended = RowStorage.arrays(head, SparsePostings(head))
                .appending(matrix.selectingRows(Array(cut..<matrix.rowCount))).postings
            #expect(appended.rowCount == whole.rowCount && appended.columnStarts == whole.columnStarts)
            #expect(appended.rows == whole.rows && appended.values == whole.values, "cut \(cut)")
        }
        // The buffers accumulate the same scores as a scan of the rows.
        let query = matrix.row(7)
        var scores = [Float](repeating: 0, count: matrix.rowCount)
        whole.withBuffers { buffers in
            scores.withUnsafeMutableBufferPointer { buffers.accumulate(columns: query.columns, values: query.values, into: $0.baseAddress!) }
        }
        for row in 0..<matrix.rowCount { #expect(abs(scores[row] - CanonicalScores.dot(matrix, 7, row)) < 1e-5) }
    }
}
