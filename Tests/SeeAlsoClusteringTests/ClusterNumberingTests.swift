import Testing
import SeeAlsoSimilarity
import SeeAlsoSupport
import SeeAlsoTestSupport
import SeeAlsoVectorize
import SeeAlsoClustering

/// Stable cluster ids: numbered by size, largest first, ties by first member, whatever ids the
/// algorithm gave; topic clustering returns them so.
@Suite struct ClusterNumberingTests {
    @Test func numbersBySizeThenFirstMember() {
        // Sizes: 7 → 2, 3 → 3, 9 → 2 (first member row 1, before cluster 7's row 2), none → −1.
        let assignments: [Int32] = [3, 9, 7, 3, -1, 9, 3, 7]
        #expect(ClusterNumbering.bySize(assignments, clusterCount: 10) == [0, 1, 2, 0, -1, 1, 0, 2])
        // Empty clusters get the last ids; nothing is assigned to them.
        #expect(ClusterNumbering.bySize([2, 2, 0], clusterCount: 4) == [0, 0, 1])
    }

    @Test func renamingTheInputClustersChangesNothing() {
        var random = SplitMix64(seed: 7)
        for _ in 0..<50 {
            let k = Int.random(in: 1...12, using: &random)
            let assignments = (0..<Int.random(in: 0...200, using: &random)).map { _ in Int32.random(in: -1..<Int32(k), using: &random) }
            let numbered = ClusterNumbering.bySize(assignments, clusterCount: k)
            let renamed = Array(0..<Int32(k)).shuffled(using: &random)
            #expect(ClusterNumbering.bySize(assignments.map { $0 >= 0 ? renamed[Int($0)] : $0 }, clusterCount: k) == numbered)
            // The same partition: two rows share a new id exactly when they shared an old one.
            for (a, b) in zip(assignments.indices, assignments.indices.shuffled(using: &random)) {
                #expect((assignments[a] == assignments[b]) == (numbered[a] == numbered[b]))
                #expect((assignments[a] < 0) == (numbered[a] < 0))
            }
            expectNumberedBySize(numbered)
        }
    }

    @Test func topicClusteringReturnsIDsBySize() throws {
        // Planted topics cut to unequal sizes: label 0 keeps 20 rows, label 1 all 60, label 2 40.
        let (planted, labels) = TestMatrices.plantedSparse(clusters: 3, perCluster: 60, termsPerCluster: 12, seed: 62)
        let keep = [20, 60, 40]
        var seen = [0, 0, 0]
        let rows = labels.indices.filter { row in
            seen[labels[row]] += 1
            return seen[labels[row]] <= keep[labels[row]]
        }
        var starts = [0], columns: [Int32] = [], values: [Float] = []
        for row in rows {
            columns += planted.columns[planted.rowStarts[row]..<planted.rowStarts[row + 1]]
            values += planted.values[planted.rowStarts[row]..<planted.rowStarts[row + 1]]
            starts.append(columns.count)
        }
        let matrix = CSRMatrix(rowCount: rows.count, columnCount: planted.columnCount, rowStarts: starts, columns: columns, values: values)
        var options = TopicClustering.Options()
        options.clusterCount = 3
        options.representation = .tfidf
        let first = try TopicClustering.run(matrix, options: options)
        let second = try TopicClustering.run(matrix, options: options)
        #expect(first.assignments == second.assignments)
        expectNumberedBySize(first.assignments)
        // The planted topics are found, largest first: label 1 is topic 0, label 2 topic 1, label 0 topic 2.
        #expect(rows.indices.allSatisfy { first.assignments[$0] == [2, 0, 1][labels[rows[$0]]] })
    }

    private func sizes(_ assignments: [Int32]) -> [Int] {
        var sizes = [Int](repeating: 0, count: Int(assignments.max() ?? -1) + 1)
        for cluster in assignments where cluster >= 0 { sizes[Int(cluster)] += 1 }
        return sizes
    }

    /// Ids 0..<m are all used, sizes do not increase with the id, and equal sizes are ordered by first row.
    private func expectNumberedBySize(_ assignments: [Int32]) {
        let sizes = sizes(assignments)
        #expect(sizes.allSatisfy { $0 > 0 })
        let firsts = sizes.indices.map { cluster in assignments.firstIndex(of: Int32(cluster))! }
        for id in sizes.indices.dropFirst() {
            #expect(sizes[id - 1] > sizes[id] || (sizes[id - 1] == sizes[id] && firsts[id - 1] < firsts[id]))
        }
    }
}
