import Testing
import SeeAlsoSupport
import SeeAlsoVectorize
import SeeAlsoSimilarity
import SeeAlsoTestSupport

/// Serialized: one test changes the process-wide worker count.
@Suite(.serialized) struct ExactAllPairsTests {
    static let specs = SparseMatrixSpec.standard

    static let heads: [Int?] = [0, 8, 64, nil]
    static let layouts: [(rowTile: Int, columnBlock: Int)] = [(7, 50), (128, 16_384), (16, 33), (1, 5)]

    static func options(k: Int, head: Int?, layout: (rowTile: Int, columnBlock: Int)) -> ExactAllPairs.Options {
        var options = ExactAllPairs.Options(k: k)
        options.headTerms = head
        options.rowTile = layout.rowTile
        options.columnBlock = layout.columnBlock
        return options
    }

    @Test(arguments: specs)
    func everyListEqualsBruteForce(spec: SparseMatrixSpec) {
        let matrix = spec.matrix()
        #expect(matrix.isValid())
        let truth = BruteForce.scores(matrix)
        for head in Self.heads {
            // One-row tiles are slow in debug builds: only on the smaller matrices.
            for layout in Self.layouts where layout.rowTile > 1 || spec.rows <= 300 {
                let lists = ExactAllPairs.run(matrix, options: Self.options(k: spec.k, head: head, layout: layout))
                #expect(lists.rowCount == spec.rows && lists.k == spec.k)
                let problems = BruteForce.problems(lists, truth: truth, k: spec.k)
                #expect(problems.isEmpty, "head \(head.map(String.init) ?? "auto"), layout \(layout): \(problems.prefix(5).joined(separator: "\n"))")
                let rescored = CanonicalScores.rescore(lists, matrix: matrix)
                let rescoredProblems = BruteForce.problems(rescored, truth: truth, k: spec.k)
                #expect(rescoredProblems.isEmpty, "rescored, head \(head.map(String.init) ?? "auto"), layout \(layout): \(rescoredProblems.prefix(5).joined(separator: "\n"))")
            }
        }
    }

    /// Rescoring (one scattered query row against its items) gives exactly the merge dot of each pair,
    /// also for queries from another matrix and items listed in any order.
    @Test(arguments: specs)
    func rescoredScoresAreTheMergeDotBitForBit(spec: SparseMatrixSpec) {
        let matrix = spec.matrix()
        let queries = SparseMatrixSpec(rows: 40, columns: spec.columns, frequentColumns: 3, frequentShare: 0.5, rareTerms: 4,
                                       emptyShare: 0.1, duplicateShare: 0.2, k: 5, seed: 77).matrix()
        let k = min(9, matrix.rowCount)
        var ids = [Int32](repeating: -1, count: queries.rowCount * k)
        for row in 0..<queries.rowCount {
            for slot in 0..<k where (row + slot) % 5 != 0 { ids[row * k + slot] = Int32((row * 31 + slot * 17) % matrix.rowCount) }
        }
        let lists = NeighborLists(rowCount: queries.rowCount, k: k, ids: ids, scores: [Float](repeating: 0, count: ids.count))
        let rescored = CanonicalScores.rescore(lists, queries: queries, matrix: matrix)
        for row in 0..<queries.rowCount {
            let listed = Set(ids[row * k..<(row + 1) * k].filter { $0 >= 0 })
            let kept = rescored.neighbors(of: row)
            #expect(Set(kept.map { Int32($0.id) }) == listed)
            for (id, score) in kept {
                #expect(score.bitPattern == CanonicalScores.dot(queries, row, matrix, id).bitPattern, "row \(row), item \(id)")
            }
        }
    }

    static func describe(_ head: Int?, _ layout: (rowTile: Int, columnBlock: Int)) -> String {
        "head \(head.map(String.init) ?? "auto"), rowTile \(layout.rowTile), columnBlock \(layout.columnBlock)"
    }

    /// For a fixed head size and layout, the lists (raw and canonical) do not depend on the worker count.
    @Test(arguments: specs)
    func listsAreBitIdenticalAcrossWorkerCounts(spec: SparseMatrixSpec) {
        let matrix = spec.matrix()
        for head in Self.heads {
            for layout in Self.layouts.prefix(3) {
                let options = Self.options(k: spec.k, head: head, layout: layout)
                let one = withWorkers(1) { ExactAllPairs.run(matrix, options: options) }
                let two = withWorkers(2) { ExactAllPairs.run(matrix, options: options) }
                let raw = BruteForce.differences(one, two)
                #expect(raw.rows.isEmpty, "\(Self.describe(head, layout)), raw lists, 1 vs 2 workers: \(raw.detail)")
                let canonicalOne = withWorkers(1) { CanonicalScores.rescore(one, matrix: matrix) }
                let canonicalTwo = withWorkers(2) { CanonicalScores.rescore(two, matrix: matrix) }
                let canonical = BruteForce.differences(canonicalOne, canonicalTwo)
                #expect(canonical.rows.isEmpty, "\(Self.describe(head, layout)), canonical lists, 1 vs 2 workers: \(canonical.detail)")
            }
        }
    }

    /// After `CanonicalScores.rescore`, the lists do not depend on the head size (nor the tiling).
    @Test(arguments: specs)
    func canonicalListsAreBitIdenticalAcrossHeadSizes(spec: SparseMatrixSpec) {
        let matrix = spec.matrix()
        var reference: (lists: NeighborLists, label: String)?
        for head in Self.heads {
            for layout in Self.layouts.prefix(2) {
                let lists = ExactAllPairs.run(matrix, options: Self.options(k: spec.k, head: head, layout: layout))
                let rescored = CanonicalScores.rescore(lists, matrix: matrix)
                let label = Self.describe(head, layout)
                guard let reference else {
                    reference = (rescored, label)
                    continue
                }
                let difference = BruteForce.differences(rescored, reference.lists)
                #expect(difference.rows.isEmpty, "\(label) differs from \(reference.label) in rows \(difference.rows.prefix(10)): \(difference.detail)")
            }
        }
    }

    /// Bit-identical duplicate rows score exactly the same against any row, so where they meet the
    /// cut of a list the documented order (score desc, then id asc) keeps the lower ids.
    @Test(arguments: specs)
    func exactTiesAtTheCutKeepTheLowerIds(spec: SparseMatrixSpec) {
        let matrix = spec.matrix()
        let truth = BruteForce.scores(matrix)
        // Group bit-identical non-empty rows.
        var groups: [[Int]] = []
        var groupOf: [String: Int] = [:]
        var rowGroup = [Int](repeating: -1, count: matrix.rowCount)
        for row in 0..<matrix.rowCount where matrix.rowStarts[row + 1] > matrix.rowStarts[row] {
            let entries = matrix.row(row)
            let key = zip(entries.columns, entries.values).map { "\($0):\($1.bitPattern)" }.joined(separator: ",")
            if let group = groupOf[key] { groups[group].append(row); rowGroup[row] = group } else {
                groupOf[key] = groups.count
                rowGroup[row] = groups.count
                groups.append([row])
            }
        }
        for head in Self.heads {
            for layout in Self.layouts.prefix(2) {
                let lists = CanonicalScores.rescore(
                    ExactAllPairs.run(matrix, options: Self.options(k: spec.k, head: head, layout: layout)), matrix: matrix)
                var violations: [String] = []
                for row in 0..<matrix.rowCount {
                    let listed = Set(lists.neighbors(of: row).map(\.id))
                    for id in listed where rowGroup[id] >= 0 {
                        for twin in groups[rowGroup[id]] where twin < id && twin != row && !listed.contains(twin) {
                            violations.append("row \(row) lists \(id) but not its identical twin \(twin) (both score \(truth[row][id]))")
                        }
                    }
                }
                #expect(violations.isEmpty, "\(Self.describe(head, layout)): \(violations.count) violations: \(violations.prefix(4).joined(separator: "; "))")
            }
        }
    }

    @Test func canonicalScoresAreDoubleSumsInColumnOrder() {
        let spec = Self.specs[1]
        let matrix = spec.matrix()
        let lists = CanonicalScores.rescore(ExactAllPairs.run(matrix, options: ExactAllPairs.Options(k: spec.k)), matrix: matrix)
        let truth = BruteForce.scores(matrix)
        for row in 0..<matrix.rowCount {
            for item in lists.neighbors(of: row) {
                #expect(item.score == Float(truth[row][item.id]), "row \(row) item \(item.id)")
                #expect(CanonicalScores.dot(matrix, row, item.id) == CanonicalScores.dot(matrix, item.id, row))
            }
        }
    }

    /// The comparison itself rejects wrong lists (a dropped item, a wrong score, a swapped order).
    @Test func bruteForceCheckerCatchesWrongLists() {
        let spec = Self.specs[1]
        let matrix = spec.matrix()
        let truth = BruteForce.scores(matrix)
        let good = ExactAllPairs.run(matrix, options: ExactAllPairs.Options(k: spec.k))
        #expect(BruteForce.problems(good, truth: truth, k: spec.k).isEmpty)
        let row = (0..<spec.rows).first { good.neighbors(of: $0).count == spec.k && good.scores[$0 * spec.k] > good.scores[$0 * spec.k + 1] + 1e-3 }!
        var dropped = good
        dropped.ids[row * spec.k] = dropped.ids[row * spec.k + spec.k - 1]
        #expect(!BruteForce.problems(dropped, truth: truth, k: spec.k).isEmpty)
        var rescored = good
        rescored.scores[row * spec.k + 1] += 1e-3
        #expect(!BruteForce.problems(rescored, truth: truth, k: spec.k).isEmpty)
        var swapped = good
        swapped.ids.swapAt(row * spec.k, row * spec.k + 1)
        swapped.scores.swapAt(row * spec.k, row * spec.k + 1)
        #expect(!BruteForce.problems(swapped, truth: truth, k: spec.k).isEmpty)
    }

    @Test func workerCountIsRestored() {
        let before = settledWorkerCount
        _ = withWorkers(1) { Parallelism.workerCount }
        #expect(settledWorkerCount == before)
    }

    @Test func chooseHeadIsZeroForOnlyRareColumns() {
        // 3000 rows, 4000 columns, each column in at most 4 rows.
        let frequencies = (0..<4000).map { 1 + $0 % 4 }
        #expect(ExactAllPairs.chooseHead(frequencies: frequencies, rowCount: 3000) == 0)
        // Fewer columns than the smallest head candidate.
        #expect(ExactAllPairs.chooseHead(frequencies: [3000, 3000, 2900], rowCount: 3000) == 0)
        // A generated matrix without frequent columns.
        var spec = SparseMatrixSpec(rows: 2000, columns: 6000, frequentColumns: 0, frequentShare: 0, rareTerms: 3,
                                    emptyShare: 0, duplicateShare: 0, k: 5, seed: 11)
        spec.skewed = false
        let matrix = spec.matrix()
        let postings = SparsePostings(matrix)
        let observed = (0..<matrix.columnCount).map { postings.frequency($0) }
        #expect(observed.max()! < 20)
        #expect(ExactAllPairs.chooseHead(frequencies: observed, rowCount: matrix.rowCount) == 0)
    }

    @Test func chooseHeadIsPositiveWhenAFewColumnsAreInNearlyEveryRow() {
        let rows = 5000
        var frequencies = [Int](repeating: 3, count: 3000)
        for column in 0..<6 { frequencies[column * 100] = rows - column * 7 }
        let head = ExactAllPairs.chooseHead(frequencies: frequencies, rowCount: rows)
        #expect(head > 0)
        // Head sizes come from the candidate list; the memory limit can forbid any head.
        #expect([16, 32, 64, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048].contains(head))
        #expect(ExactAllPairs.chooseHead(frequencies: frequencies, rowCount: rows, maximumBytes: 1000) == 0)
        // A generated matrix with a few columns in ~95% of the rows.
        let spec = SparseMatrixSpec(rows: 3000, columns: 2000, frequentColumns: 5, frequentShare: 0.95, rareTerms: 6,
                                    emptyShare: 0, duplicateShare: 0, k: 5, seed: 12)
        let matrix = spec.matrix()
        let postings = SparsePostings(matrix)
        let observed = (0..<matrix.columnCount).map { postings.frequency($0) }
        #expect(ExactAllPairs.chooseHead(frequencies: observed, rowCount: matrix.rowCount) > 0)
    }

    @Test func postingsAreTheTranspose() {
        let matrix = Self.specs[0].matrix()
        let postings = SparsePostings(matrix)
        #expect(postings.columnCount == matrix.columnCount && postings.rowCount == matrix.rowCount)
        var seen = 0
        for column in 0..<postings.columnCount {
            let range = postings.columnStarts[column]..<postings.columnStarts[column + 1]
            #expect(zip(postings.rows[range], postings.rows[range].dropFirst()).allSatisfy { $0 < $1 })
            for position in range {
                let row = Int(postings.rows[position])
                let entries = matrix.row(row)
                let index = entries.columns.firstIndex(of: Int32(column))
                #expect(index != nil)
                if let index { #expect(entries.values[index] == postings.values[position]) }
                seen += 1
            }
        }
        #expect(seen == matrix.storedCount)
    }
}
