import Testing
import SeeAlsoSupport
import SeeAlsoTestSupport
import SeeAlsoVectorize
@testable import SeeAlsoSimilarity

/// The approximate lists: dense candidates (exhaustive GEMM), partitions (IVF), exact scores inside
/// partitions, neighbour-of-neighbour refinement, and the partitioned index built, searched and extended.
/// Serialized: one test changes the process-wide worker count.
@Suite(.serialized) struct PartitionedIndexTests {
    static func options(k: Int, dimensions: Int, candidates: PartitionedOptions.CandidateSource) -> PartitionedOptions {
        var options = PartitionedOptions(k: k)
        options.dimensions = dimensions
        options.candidates = candidates
        return options
    }

    /// Mean overlap of each row's list with its exact list (rows with an exact neighbour), and that
    /// every listed score is the canonical exact cosine of the pair.
    static func recall(_ lists: NeighborLists, exact: NeighborLists, matrix: CSRMatrix, rows: Range<Int>? = nil) -> Double {
        var total = 0.0
        var counted = 0
        for row in rows ?? 0..<matrix.rowCount {
            let truth = exact.neighbors(of: row).map { Int32($0.id) }
            guard !truth.isEmpty else { continue }
            total += BruteForce.overlap(lists.neighbors(of: row).map { Int32($0.id) }, truth)
            counted += 1
            for (id, score) in lists.neighbors(of: row) {
                #expect(score == CanonicalScores.dot(matrix, row, id), "row \(row) item \(id)")
            }
        }
        return total / Double(max(1, counted))
    }

    @Test func denseAllPairsEqualsBruteForce() {
        let vectors = TestMatrices.unitVectors(rows: 301, dimension: 24, seed: 3)
        let lists = DenseAllPairs.allPairs(vectors, k: 7, floor: -.infinity)
        let truth = BruteForce.topK(queries: vectors, database: vectors, k: 7, excludingSelf: true)
        let mean = (0..<vectors.rowCount).map { BruteForce.overlap(lists.neighbors(of: $0).map { Int32($0.id) }, truth[$0]) }.reduce(0, +)
            / Double(vectors.rowCount)
        #expect(mean > 0.999, "mean overlap \(mean)")
    }

    @Test func denseSearchEqualsBruteForce() {
        let database = TestMatrices.unitVectors(rows: 257, dimension: 16, seed: 4)
        let queries = TestMatrices.unitVectors(rows: 33, dimension: 16, seed: 5)
        let lists = DenseAllPairs.search(queries: queries, database: database, k: 5)
        let truth = BruteForce.topK(queries: queries, database: database, k: 5, excludingSelf: false)
        for query in 0..<queries.rowCount {
            #expect(BruteForce.overlap(lists.neighbors(of: query).map { Int32($0.id) }, truth[query]) >= 0.8)
        }
    }

    /// Probe lists: the row's own partition first, then the nearest other centroids (cosine descending,
    /// ties to the lower partition), as a scan of every centroid gives them.
    @Test func probeListsAreTheNearestPartitions() {
        let vectors = TestMatrices.unitVectors(rows: 400, dimension: 12, seed: 6)
        let partitions = Partitions.train(vectors, partitions: 9, seed: 1)
        #expect(partitions.partitionOfRow == partitions.nearest(vectors))
        let probes = 4
        let lists = partitions.probeLists(vectors, count: probes, own: partitions.partitionOfRow)
        for row in 0..<vectors.rowCount {
            let own = partitions.partitionOfRow[row]
            let ranked = BruteForce.topK(queries: vectors.selectingRows([row]), database: partitions.centroids,
                                         k: partitions.count, excludingSelf: false)[0].filter { $0 != own }
            let listed = Array(lists[row * probes..<(row + 1) * probes])
            #expect(listed[0] == own)
            #expect(BruteForce.overlap(Array(listed.dropFirst()), Array(ranked.prefix(probes - 1))) == 1, "row \(row): \(listed) vs \(ranked)")
        }
        // Every row is in its nearest partition: no other centroid is closer.
        let best = BruteForce.topK(queries: vectors, database: partitions.centroids, k: 1, excludingSelf: false)
        let misplaced = (0..<vectors.rowCount).filter { best[$0][0] != partitions.partitionOfRow[$0] }
        #expect(misplaced.count <= 2, "rows not in their nearest partition: \(misplaced)")
    }

    /// Exact scores inside partitions: probing every partition finds each row's exact best (as a set,
    /// scored canonically afterwards: the exact lists), and with fewer probes the candidates are the best
    /// members of the probed partitions.
    @Test func partitionScoringProbingAllPartitionsFindsTheExactLists() {
        let matrix = SparseMatrixSpec(rows: 300, columns: 1500, frequentColumns: 8, frequentShare: 0.4, rareTerms: 10,
                                      emptyShare: 0.02, duplicateShare: 0.05, k: 7, seed: 21).matrix()
        let partitions = 5
        let partitionOfRow = (0..<matrix.rowCount).map { Int32(($0 * 7 + $0 / 3) % partitions) }
        func probeLists(_ probes: Int) -> [Int32] {
            (0..<matrix.rowCount).flatMap { row in (0..<probes).map { Int32((Int(partitionOfRow[row]) + $0) % partitions) } }
        }
        func candidates(_ probes: Int, k: Int) -> CandidateIDs {
            PartitionScoring.candidates(matrix, partitionOfRow: partitionOfRow, partitions: partitions, queries: matrix,
                                        queriesAreIndexed: true, probeLists: probeLists(probes), probes: probes, k: k, progress: nil)
        }
        // With k + margin candidates, canonical rescoring cut to k gives the exact lists.
        let all = candidates(partitions, k: 7 + CanonicalScores.margin(for: 7))
        let rescored = CanonicalScores.rescore(
            NeighborLists(rowCount: all.rowCount, k: all.k, ids: all.ids, scores: [Float](repeating: 0, count: all.ids.count)),
            matrix: matrix, keep: 7)
        #expect(rescored == ExactAllPairs.run(matrix, options: .init(k: 7)))

        let two = candidates(2, k: 7)
        let twoProbes = probeLists(2)
        for row in 0..<matrix.rowCount {
            let probed = Set(twoProbes[row * 2..<row * 2 + 2])
            var expected: [(id: Int32, score: Float)] = (0..<matrix.rowCount).compactMap { other in
                guard other != row, probed.contains(partitionOfRow[other]) else { return nil }
                let score = CanonicalScores.dot(matrix, row, other)
                return score > 0 ? (Int32(other), score) : nil
            }
            expected.sort { RankOrder.precedes($0.score, $0.id, $1.score, $1.id) }
            let found = two.candidates(of: row).filter { $0 >= 0 }
            // Float sums may order scores within a rounding of the 7th differently from canonical ones.
            let kth = expected.count >= 7 ? expected[6].score : -Float.infinity
            #expect(found.count == min(7, expected.count), "row \(row)")
            #expect(expected.filter { $0.score > kth + 1e-5 }.allSatisfy { found.contains($0.id) }, "row \(row)")
            #expect(found.allSatisfy { id in expected.contains { $0.id == id && $0.score >= kth - 1e-5 } }, "row \(row)")
        }
    }

    /// Exact lists are a fixed point of refinement; lists with holes only gain exact neighbours,
    /// each with its canonical score.
    @Test func refinementKeepsExactListsAndFillsHoles() {
        let matrix = SparseMatrixSpec(rows: 250, columns: 1200, frequentColumns: 6, frequentShare: 0.4, rareTerms: 10,
                                      emptyShare: 0.02, duplicateShare: 0.05, k: 8, seed: 22).matrix()
        let storage = RowStorage.arrays(matrix, SparsePostings(matrix))
        func refine(_ lists: NeighborLists) -> NeighborLists {
            storage.withRows { indexed in
                CandidateScoring(indexed: indexed, queries: matrix, queryRows: .indexed)
                    .refine(lists, neighborLists: lists, fanout: 8, reverse: CandidateScoring.reverseNeighbors(lists, width: 8),
                            floors: nil, progress: nil).lists
            }
        }
        let exact = ExactAllPairs.run(matrix, options: .init(k: 8))
        #expect(refine(exact) == exact)

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
        let refined = refine(damaged)
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

    static let recallSpec = SparseMatrixSpec(rows: 900, columns: 3000, frequentColumns: 10, frequentShare: 0.4, rareTerms: 12,
                                             emptyShare: 0.01, duplicateShare: 0.05, k: 10, seed: 11)
    /// The recall tests' matrix and its exact lists, computed once for all of them (exact lists do not
    /// depend on the worker count).
    static let recallMatrix = recallSpec.matrix()
    static let recallExact = ExactAllPairs.run(recallMatrix, options: .init(k: 10))

    /// Both candidate sources reach high recall; every score is canonical; `ExactSearch.recall` on a
    /// sample measures about the same.
    @Test(arguments: [PartitionedOptions.CandidateSource.partitions(count: 8, probes: 3), .exhaustive])
    func listsHaveHighRecallAndCanonicalScores(candidates: PartitionedOptions.CandidateSource) throws {
        let matrix = Self.recallMatrix
        let index = try PartitionedIndex(building: matrix, options: Self.options(k: 10, dimensions: 32, candidates: candidates),
                                         reporter: SilentProgress())
        #expect(index.lists.k == 10 && index.lists.rowCount == matrix.rowCount)
        if case .partitions = candidates {
            let partitions = try #require(index.partitions)
            #expect(partitions.count >= 8 && partitions.partitionOfRow.count == matrix.rowCount)
        } else {
            #expect(index.partitions == nil)
        }
        #expect(BruteForce.shapeProblems(index.lists).isEmpty)
        let exact = Self.recallExact
        let recall = Self.recall(index.lists, exact: exact, matrix: matrix)
        #expect(recall > 0.95, "recall \(recall)")
        let measured = ExactSearch(storage: index.storage).recall(of: index.lists, sampleSize: 100)
        #expect(measured.rows > 0 && abs(measured.recall - recall) < 0.1)
    }

    /// Unset probes and refinement rounds are sized by the archive: 24 probes and 1 round up to 1.5M
    /// rows, 2 rounds above, 8 probes per million rows above 3M; set values are kept; a build stores
    /// the settings it used.
    @Test func unsetProbesAndRoundsAreSizedByTheArchive() throws {
        let unset = PartitionedOptions(k: 10)
        let sizes = [(1_000, 24, 1), (1_000_000, 24, 1), (1_500_001, 24, 2), (3_000_000, 24, 2), (4_000_000, 32, 2),
                     (5_000_000, 40, 2), (10_000_000, 80, 2)]
        for (rows, probes, rounds) in sizes {
            let sized = unset.sized(forRows: rows)
            #expect(sized.candidates == .partitions(count: nil, probes: probes) && sized.refineRounds == rounds, "\(rows) rows")
            #expect(sized.sized(forRows: 1) == sized, "sized settings stay as they are")
        }
        var set = Self.options(k: 10, dimensions: 16, candidates: .partitions(count: 5, probes: 3))
        set.refineRounds = 0
        #expect(set.sized(forRows: 5_000_000) == set)
        var exhaustive = unset
        exhaustive.candidates = .exhaustive
        #expect(exhaustive.probes(forRows: 5_000_000) == nil && exhaustive.sized(forRows: 5_000_000).refineRounds == 2)

        let matrix = Self.recallMatrix
        var options = Self.options(k: 10, dimensions: 16, candidates: .partitions(count: 8, probes: nil))
        options.refineRounds = nil
        let index = try PartitionedIndex(building: matrix, options: options, reporter: SilentProgress())
        #expect(index.options.candidates == .partitions(count: 8, probes: 24) && index.options.refineRounds == 1)
    }

    @Test func listsAreDeterministicAcrossWorkerCounts() throws {
        let matrix = SparseMatrixSpec(rows: 500, columns: 2000, frequentColumns: 8, frequentShare: 0.3, rareTerms: 10,
                                      emptyShare: 0, duplicateShare: 0.02, k: 8, seed: 12).matrix()
        for candidates in [PartitionedOptions.CandidateSource.partitions(count: 6, probes: 2), .exhaustive] {
            let options = Self.options(k: 8, dimensions: 16, candidates: candidates)
            let results = try withWorkerCounts([1, 2]) { try PartitionedIndex(building: matrix, options: options, reporter: SilentProgress()) }
            #expect(results[0].lists == results[1].lists, "\(candidates)")
            #expect(results[0].vectors == results[1].vectors)
            #expect(results[0].partitions?.partitionOfRow == results[1].partitions?.partitionOfRow)
        }
    }

    /// Adding rows projects them with the stored SVD into their nearest partitions; their lists reach
    /// high recall, every stored list stays ranked with canonical scores, and the index's rows, postings
    /// and vectors are those of all the rows.
    @Test(arguments: [PartitionedOptions.CandidateSource.partitions(count: 8, probes: 3), .exhaustive])
    func addFindsTheNewRowsNeighbours(candidates: PartitionedOptions.CandidateSource) throws {
        let matrix = Self.recallMatrix
        let old = 800
        var index = try PartitionedIndex(building: matrix.selectingRows(Array(0..<old)),
                                         options: Self.options(k: 10, dimensions: 32, candidates: candidates), reporter: SilentProgress())
        let svd = index.svd
        index.add(matrix.selectingRows(Array(old..<matrix.rowCount)))
        #expect(index.matrix == matrix)
        let postings = SparsePostings(matrix)
        #expect(index.postings.rows == postings.rows && index.postings.columnStarts == postings.columnStarts)
        #expect(index.vectors == svd.project(matrix, normalize: true))
        #expect(index.partitions.map { $0.partitionOfRow.count } ?? matrix.rowCount == matrix.rowCount)
        #expect(BruteForce.shapeProblems(index.lists).isEmpty)
        let exact = Self.recallExact
        let added = Self.recall(index.lists, exact: exact, matrix: matrix, rows: old..<matrix.rowCount)
        #expect(added > 0.9, "recall of the added rows \(added)")
        let all = Self.recall(index.lists, exact: exact, matrix: matrix)
        #expect(all > 0.9, "recall of all rows \(all)")
        let measured = ExactSearch(storage: index.storage)
            .recall(of: index.lists, sampleSize: 50, rows: old..<matrix.rowCount)
        #expect(measured.rows > 0 && abs(measured.recall - added) < 0.15)
    }

    /// `ScatteredRow.dot` equals `CanonicalScores.dot` bit for bit, and `clear` leaves it empty.
    @Test func scatteredRowEqualsCanonicalDot() {
        let matrix = SparseMatrixSpec(rows: 60, columns: 400, frequentColumns: 5, frequentShare: 0.5, rareTerms: 8,
                                      emptyShare: 0.05, duplicateShare: 0, k: 5, seed: 13).matrix()
        let scattered = ScatteredRow(columns: matrix.columnCount)
        for row in 0..<matrix.rowCount {
            scattered.scatter(matrix, row)
            for other in 0..<matrix.rowCount {
                #expect(scattered.dot(matrix, other) == CanonicalScores.dot(matrix, row, other))
            }
            scattered.clear(matrix, row)
            #expect((0..<matrix.rowCount).allSatisfy { scattered.dot(matrix, $0) == 0 })
        }
    }
}
