import Testing
@testable import SeeAlsoSimilarity
import SeeAlsoVectorize

/// Brute-force top-k of dense unit vectors (Double inner products, self excluded, ties by id).
private func bruteForceDense(_ vectors: DenseMatrix, k: Int) -> [[Int32]] {
    (0..<vectors.rowCount).map { row in
        var scored: [(id: Int32, score: Double)] = []
        for other in 0..<vectors.rowCount where other != row {
            var sum = 0.0
            for column in 0..<vectors.columnCount { sum += Double(vectors[row, column]) * Double(vectors[other, column]) }
            scored.append((Int32(other), sum))
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
        return scored.prefix(k).map(\.id)
    }
}

/// Set overlap of two id lists, ignoring order (GEMM and Double sums can swap near-ties).
private func overlap(_ a: [Int32], _ b: [Int32]) -> Double {
    Double(Set(a).intersection(b).count) / Double(max(1, b.count))
}

@Suite(.serialized) struct ApproximateAllPairsTests {
    static func unitVectors(rows: Int, dimension: Int, seed: UInt64) -> DenseMatrix {
        var vectors = ReductionTestData.randomDense(rows: rows, columns: dimension, seed: seed)
        vectors.normalizeRows()
        return vectors
    }

    @Test func denseAllPairsEqualsBruteForce() {
        let vectors = Self.unitVectors(rows: 301, dimension: 24, seed: 3)
        let lists = DenseAllPairs.allPairs(vectors, k: 7, floor: -.infinity)
        let truth = bruteForceDense(vectors, k: 7)
        let mean = (0..<vectors.rowCount).map { overlap(lists.neighbors(of: $0).map { Int32($0.id) }, truth[$0]) }.reduce(0, +)
            / Double(vectors.rowCount)
        #expect(mean > 0.999, "mean overlap \(mean)")
    }

    @Test func denseSearchEqualsBruteForce() {
        let database = Self.unitVectors(rows: 257, dimension: 16, seed: 4)
        let queries = Self.unitVectors(rows: 33, dimension: 16, seed: 5)
        let lists = DenseAllPairs.search(queries: queries, database: database, k: 5)
        for query in 0..<queries.rowCount {
            var scored: [(id: Int32, score: Double)] = (0..<database.rowCount).map { other in
                var sum = 0.0
                for column in 0..<16 { sum += Double(queries[query, column]) * Double(database[other, column]) }
                return (Int32(other), sum)
            }
            scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
            #expect(overlap(lists.neighbors(of: query).map { Int32($0.id) }, scored.prefix(5).map(\.id)) >= 0.8)
        }
    }

    /// Probing every partition is an exhaustive search: the result must equal DenseAllPairs.
    @Test func partitionedSearchProbingAllPartitionsIsExhaustive() {
        let vectors = Self.unitVectors(rows: 400, dimension: 12, seed: 6)
        let clustering = SphericalKMeans.fit(vectors, configuration: .init(clusterCount: 9, seed: 1))
        let partitioned = PartitionedSearch.allPairs(vectors, centroids: clustering.centroids, assignments: clustering.assignments,
                                                     probes: 9, k: 6, progress: nil)
        let exhaustive = DenseAllPairs.allPairs(vectors, k: 6, floor: -.infinity)
        for row in 0..<vectors.rowCount {
            #expect(overlap(partitioned.neighbors(of: row).map { Int32($0.id) }, exhaustive.neighbors(of: row).map { Int32($0.id) }) > 0.8)
        }
    }

    /// Exact scores inside partitions: probing every partition is an exact all-pairs search, and
    /// with fewer probes every listed pair is a true member of a probed partition with its exact score.
    @Test func partitionedExactProbingAllPartitionsEqualsExactLists() {
        let matrix = PairsMatrixSpec(rows: 300, columns: 1500, frequentColumns: 8, frequentShare: 0.4, rareTerms: 10,
                                     emptyShare: 0.02, duplicateShare: 0.05, k: 7, seed: 21).matrix()
        let partitions = 5
        let partitionOfRow = (0..<matrix.rowCount).map { Int32(($0 * 7 + $0 / 3) % partitions) }
        func probeLists(_ probes: Int) -> [Int32] {
            (0..<matrix.rowCount).flatMap { row in (0..<probes).map { Int32((Int(partitionOfRow[row]) + $0) % partitions) } }
        }
        let all = PartitionedExact.lists(matrix, partitionOfRow: partitionOfRow, partitions: partitions,
                                         probeLists: probeLists(partitions), probes: partitions, k: 7, progress: nil)
        #expect(all == ExactAllPairs.run(matrix, options: .init(k: 7)))

        let two = PartitionedExact.lists(matrix, partitionOfRow: partitionOfRow, partitions: partitions,
                                         probeLists: probeLists(2), probes: 2, k: 7, progress: nil)
        for row in 0..<matrix.rowCount {
            let probed = Set(probeLists(2)[row * 2..<row * 2 + 2])
            var expected: [(id: Int32, score: Float)] = (0..<matrix.rowCount).compactMap { other in
                guard other != row, probed.contains(partitionOfRow[other]) else { return nil }
                let score = CanonicalScores.dot(matrix, row, other)
                return score > 0 ? (Int32(other), score) : nil
            }
            expected.sort { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
            let listed = two.neighbors(of: row)
            #expect(listed.map(\.id) == expected.prefix(7).map { Int($0.id) }, "row \(row)")
        }
    }

    /// Exact lists are a fixed point of refinement; lists with holes only gain exact neighbours,
    /// each with its canonical score.
    @Test func refinementKeepsExactListsAndFillsHoles() {
        let matrix = PairsMatrixSpec(rows: 250, columns: 1200, frequentColumns: 6, frequentShare: 0.4, rareTerms: 10,
                                     emptyShare: 0.02, duplicateShare: 0.05, k: 8, seed: 22).matrix()
        let exact = ExactAllPairs.run(matrix, options: .init(k: 8))
        #expect(ApproximateAllPairs.refine(exact, matrix: matrix, fanout: 8, progress: nil) == exact)

        var ids = exact.ids
        var scores = exact.scores
        for row in 0..<exact.rowCount where row % 2 == 0 {
            // Drop the best half of every even row's list (the rest moves up).
            let kept = Array(zip(ids[row * 8 + 4..<row * 8 + 8], scores[row * 8 + 4..<row * 8 + 8]))
            for slot in 0..<8 {
                ids[row * 8 + slot] = slot < kept.count ? kept[slot].0 : -1
                scores[row * 8 + slot] = slot < kept.count ? kept[slot].1 : 0
            }
        }
        let damaged = NeighborLists(rowCount: exact.rowCount, k: 8, ids: ids, scores: scores)
        let refined = ApproximateAllPairs.refine(damaged, matrix: matrix, fanout: 8, progress: nil)
        var before = 0
        var after = 0
        for row in 0..<exact.rowCount {
            let truth = Set(exact.neighbors(of: row).map(\.id))
            before += damaged.neighbors(of: row).filter { truth.contains($0.id) }.count
            after += refined.neighbors(of: row).filter { truth.contains($0.id) }.count
            for (id, score) in refined.neighbors(of: row) { #expect(score == CanonicalScores.dot(matrix, row, id)) }
        }
        // Reverse neighbours alone restore every dropped pair whose partner kept it.
        #expect(after > before)
        #expect(after >= exact.ids.filter { $0 >= 0 }.count * 9 / 10, "\(after) of \(exact.ids.filter { $0 >= 0 }.count)")
    }

    @Test func approximateListsHaveHighRecallAndCanonicalScores() throws {
        let spec = PairsMatrixSpec(rows: 900, columns: 3000, frequentColumns: 10, frequentShare: 0.4, rareTerms: 12,
                                   emptyShare: 0.01, duplicateShare: 0.05, k: 10, seed: 11)
        let matrix = spec.matrix()
        var options = ApproximateAllPairs.Options(k: 10)
        options.dimensions = 32
        options.partitions = 8
        options.probes = 3
        let result = try ApproximateAllPairs.run(matrix, options: options)
        let exact = ExactAllPairs.run(matrix, options: .init(k: 10))
        var recall = 0.0
        var counted = 0
        for row in 0..<matrix.rowCount {
            let truth = exact.neighbors(of: row).map { Int32($0.id) }
            guard !truth.isEmpty else { continue }
            recall += overlap(result.lists.neighbors(of: row).map { Int32($0.id) }, truth)
            counted += 1
            // Every listed score is the canonical exact cosine of the pair.
            for (id, score) in result.lists.neighbors(of: row) {
                #expect(score == CanonicalScores.dot(matrix, row, id))
            }
        }
        #expect(recall / Double(counted) > 0.95, "recall \(recall / Double(counted))")
        let measured = ApproximateAllPairs.measureRecall(result.lists, matrix: matrix, postings: SparsePostings(matrix),
                                                         sampleSize: 100)
        #expect(measured.rows > 0 && abs(measured.recall - recall / Double(counted)) < 0.1)
    }

    @Test func approximateListsAreDeterministicAcrossWorkerCounts() throws {
        let spec = PairsMatrixSpec(rows: 500, columns: 2000, frequentColumns: 8, frequentShare: 0.3, rareTerms: 10,
                                   emptyShare: 0, duplicateShare: 0.02, k: 8, seed: 12)
        let matrix = spec.matrix()
        var options = ApproximateAllPairs.Options(k: 8)
        options.dimensions = 16
        options.partitions = 6
        options.probes = 2
        let results = try ReductionTestData.withWorkerCounts([1, 2]) { try ApproximateAllPairs.run(matrix, options: options).lists }
        #expect(results[0] == results[1])
    }

    @Test func denseRowGatherEqualsMergeDot() {
        let matrix = PairsMatrixSpec(rows: 60, columns: 400, frequentColumns: 5, frequentShare: 0.5, rareTerms: 8,
                                     emptyShare: 0.05, duplicateShare: 0, k: 5, seed: 13).matrix()
        var dense = [Float](repeating: 0, count: matrix.columnCount)
        var present = [UInt64](repeating: 0, count: matrix.columnCount / 64 + 1)
        for row in 0..<matrix.rowCount {
            for index in matrix.rowStarts[row]..<matrix.rowStarts[row + 1] {
                let column = Int(matrix.columns[index])
                dense[column] = matrix.values[index]
                present[column >> 6] |= 1 << UInt64(column & 63)
            }
            for other in 0..<matrix.rowCount {
                let gathered = dense.withUnsafeBufferPointer { denseRow in
                    present.withUnsafeBufferPointer { CanonicalScores.dot(denseRow: denseRow.baseAddress!, present: $0.baseAddress!, matrix, other) }
                }
                #expect(gathered == CanonicalScores.dot(matrix, row, other))
            }
            for index in matrix.rowStarts[row]..<matrix.rowStarts[row + 1] {
                let column = Int(matrix.columns[index])
                dense[column] = 0
                present[column >> 6] = 0
            }
        }
    }
}
