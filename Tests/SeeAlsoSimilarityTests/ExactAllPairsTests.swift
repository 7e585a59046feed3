import Testing
import SeeAlsoSupport
import SeeAlsoVectorize
@testable import SeeAlsoSimilarity

/// SplitMix64, for the all-pairs tests only.
private struct PairsTestRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Shape of a generated test matrix.
struct PairsMatrixSpec: Sendable, CustomTestStringConvertible {
    var rows: Int
    var columns: Int
    /// Columns present in about `frequentShare` of the rows (the head).
    var frequentColumns: Int
    var frequentShare: Double
    /// Mean number of rare (Zipf-like) terms per row.
    var rareTerms: Int
    var emptyShare: Double
    var duplicateShare: Double
    /// Share of negative values (0 for TF-IDF-like data).
    var negativeShare: Double = 0
    /// Rare columns drawn with a skew towards the first ones (false: uniformly).
    var skewed = true
    var k: Int
    var seed: UInt64

    var testDescription: String { "\(rows)×\(columns) k=\(k) seed=\(seed)" }

    /// A random sparse, L2-normalised CSR matrix with a few very frequent columns, empty rows and duplicate rows.
    func matrix() -> CSRMatrix {
        var random = PairsTestRandom(seed: seed)
        var starts = [0]
        var columnList: [Int32] = []
        var valueList: [Float] = []
        var rowsSoFar: [[(Int32, Float)]] = []
        for row in 0..<rows {
            var stored: [(Int32, Float)] = []
            if Double.random(in: 0..<1, using: &random) < emptyShare {
                // an empty row
            } else if row > 0, Double.random(in: 0..<1, using: &random) < duplicateShare {
                // A bit-identical copy of an earlier row (exact ties).
                stored = rowsSoFar[Int.random(in: 0..<row, using: &random)]
            } else {
                var entries: [Int32: Double] = [:]
                for column in 0..<min(frequentColumns, columns) where Double.random(in: 0..<1, using: &random) < frequentShare {
                    entries[Int32(column)] = Double.random(in: 0.02...0.3, using: &random)
                }
                let rare = Int.random(in: 1...(2 * rareTerms), using: &random)
                let tail = columns - frequentColumns
                for _ in 0..<rare where tail > 0 {
                    let u = Double.random(in: 0..<1, using: &random)
                    let column = frequentColumns + min(tail - 1, Int((skewed ? u * u * u : u) * Double(tail)))
                    var value = Double.random(in: 0.05...1, using: &random)
                    if Double.random(in: 0..<1, using: &random) < negativeShare { value = -value }
                    entries[Int32(column)] = value
                }
                let sorted = entries.sorted { $0.key < $1.key }
                let norm = sorted.reduce(0.0) { $0 + $1.value * $1.value }.squareRoot()
                stored = sorted.map { ($0.key, Float($0.value / norm)) }
            }
            rowsSoFar.append(stored)
            for (column, value) in stored {
                columnList.append(column)
                valueList.append(value)
            }
            starts.append(columnList.count)
        }
        return CSRMatrix(rowCount: rows, columnCount: columns, rowStarts: starts, columns: columnList, values: valueList)
    }
}

/// Brute-force neighbour lists (dense Double dot products) and a tolerant comparison.
enum PairsBruteForce {
    /// Every row's scores against every other row, in Double.
    static func scores(_ matrix: CSRMatrix) -> [[Double]] {
        var result = [[Double]](repeating: [], count: matrix.rowCount)
        var dense = [Double](repeating: 0, count: matrix.columnCount)
        for row in 0..<matrix.rowCount {
            for index in matrix.rowStarts[row]..<matrix.rowStarts[row + 1] { dense[Int(matrix.columns[index])] = Double(matrix.values[index]) }
            var scores = [Double](repeating: 0, count: matrix.rowCount)
            for other in 0..<matrix.rowCount {
                var sum = 0.0
                for index in matrix.rowStarts[other]..<matrix.rowStarts[other + 1] {
                    sum += dense[Int(matrix.columns[index])] * Double(matrix.values[index])
                }
                scores[other] = sum
            }
            for index in matrix.rowStarts[row]..<matrix.rowStarts[row + 1] { dense[Int(matrix.columns[index])] = 0 }
            result[row] = scores
        }
        return result
    }

    /// Problems of `lists` against the brute-force scores: ids must be the k best other rows with
    /// score > 0 (order score desc, then id asc), scores within `scoreTolerance`; where brute-force
    /// scores lie within `tieTolerance` of each other (or of 0) either choice and order is accepted.
    static func problems(_ lists: NeighborLists, truth: [[Double]], k: Int,
                         scoreTolerance: Double = 1e-5, tieTolerance: Double = 1e-6) -> [String] {
        var problems: [String] = []
        for row in 0..<lists.rowCount {
            let scores = truth[row]
            let expected = (0..<scores.count).filter { $0 != row && scores[$0] > 0 }
                .sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
            let sure = expected.filter { scores[$0] > tieTolerance }.count
            let possible = (0..<scores.count).filter { $0 != row && scores[$0] > -tieTolerance }.count
            let actual = lists.neighbors(of: row)
            func fail(_ message: String) {
                problems.append("row \(row): \(message); actual \(actual.map { "\($0.id):\($0.score)" }), expected \(expected.prefix(k).map { "\($0):\(Float(scores[$0]))" })")
            }
            // Padding only at the end.
            let slots = Array(lists.ids[row * k..<(row + 1) * k])
            if let firstPad = slots.firstIndex(of: -1), slots[firstPad...].contains(where: { $0 != -1 }) { fail("padding inside the list") }
            if slots.contains(where: { $0 < -1 || Int($0) >= lists.rowCount }) { fail("id out of range") }
            for slot in row * k..<(row + 1) * k where lists.ids[slot] == -1 && lists.scores[slot] != 0 { fail("padding with a score") }
            guard actual.count >= min(k, sure), actual.count <= min(k, possible) else {
                fail("\(actual.count) items, expected \(min(k, expected.count))")
                continue
            }
            if Set(actual.map(\.id)).count != actual.count { fail("repeated id") }
            if actual.contains(where: { $0.id == row }) { fail("lists itself") }
            for item in actual {
                if abs(Double(item.score) - scores[item.id]) > scoreTolerance { fail("score of \(item.id) is \(item.score), brute force \(scores[item.id])") }
                if scores[item.id] <= -tieTolerance { fail("\(item.id) has brute-force score \(scores[item.id]) ≤ 0") }
                if item.score <= 0 { fail("listed score \(item.score) ≤ 0") }
            }
            for (first, second) in zip(actual, actual.dropFirst()) {
                if !NeighborLists.ranksBefore(first.score, Int32(first.id), second.score, Int32(second.id)) {
                    fail("not ordered by (score desc, id asc) at \(first.id), \(second.id)")
                }
                if scores[first.id] < scores[second.id] - tieTolerance { fail("\(first.id) before \(second.id) but scores lower") }
            }
            // Same ids, up to near-ties at the cut (and near-zero scores).
            let listed = Set(actual.map(\.id))
            if actual.count == k, expected.count >= k {
                let cut = scores[expected[k - 1]]
                for id in expected where scores[id] > cut + tieTolerance && !listed.contains(id) { fail("misses \(id) (score \(scores[id]))") }
                for item in actual where scores[item.id] < cut - tieTolerance { fail("\(item.id) (score \(scores[item.id])) is below the cut \(cut)") }
            } else {
                for id in expected where scores[id] > tieTolerance && !listed.contains(id) { fail("misses \(id) (score \(scores[id]))") }
            }
            if problems.count > 20 { break }
        }
        return problems
    }
}

/// Runs `body` with the given worker count, restoring the previous count afterwards.
private func withWorkers<T>(_ count: Int, _ body: () throws -> T) rethrows -> T {
    let previous = Parallelism.workerCount
    Parallelism.setWorkerCount(count)
    defer { Parallelism.setWorkerCount(previous) }
    return try body()
}

/// Serialized: one test changes the process-wide worker count.
@Suite(.serialized) struct ExactAllPairsTests {
    static let specs: [PairsMatrixSpec] = [
        PairsMatrixSpec(rows: 50, columns: 30, frequentColumns: 3, frequentShare: 0.9, rareTerms: 3,
                        emptyShare: 0.06, duplicateShare: 0.1, k: 10, seed: 1),
        PairsMatrixSpec(rows: 263, columns: 700, frequentColumns: 5, frequentShare: 0.95, rareTerms: 8,
                        emptyShare: 0.03, duplicateShare: 0.08, k: 7, seed: 2),
        PairsMatrixSpec(rows: 700, columns: 3000, frequentColumns: 6, frequentShare: 0.92, rareTerms: 12,
                        emptyShare: 0.02, duplicateShare: 0.06, k: 12, seed: 3),
        // k larger than the number of rows: every positive pair is listed.
        PairsMatrixSpec(rows: 61, columns: 200, frequentColumns: 2, frequentShare: 0.5, rareTerms: 4,
                        emptyShare: 0.1, duplicateShare: 0.1, k: 80, seed: 4),
        // Mixed signs: only scores > 0 are listed.
        PairsMatrixSpec(rows: 181, columns: 120, frequentColumns: 4, frequentShare: 0.8, rareTerms: 5,
                        emptyShare: 0.05, duplicateShare: 0.05, negativeShare: 0.3, k: 9, seed: 5),
    ]

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
    func everyListEqualsBruteForce(spec: PairsMatrixSpec) {
        let matrix = spec.matrix()
        #expect(matrix.isValid())
        let truth = PairsBruteForce.scores(matrix)
        for head in Self.heads {
            // One-row tiles are slow in debug builds: only on the smaller matrices.
            for layout in Self.layouts where layout.rowTile > 1 || spec.rows <= 300 {
                let lists = ExactAllPairs.run(matrix, options: Self.options(k: spec.k, head: head, layout: layout))
                #expect(lists.rowCount == spec.rows && lists.k == spec.k)
                let problems = PairsBruteForce.problems(lists, truth: truth, k: spec.k)
                #expect(problems.isEmpty, "head \(head.map(String.init) ?? "auto"), layout \(layout): \(problems.prefix(5).joined(separator: "\n"))")
                let rescored = CanonicalScores.rescore(lists, matrix: matrix)
                let rescoredProblems = PairsBruteForce.problems(rescored, truth: truth, k: spec.k)
                #expect(rescoredProblems.isEmpty, "rescored, head \(head.map(String.init) ?? "auto"), layout \(layout): \(rescoredProblems.prefix(5).joined(separator: "\n"))")
            }
        }
    }

    /// Rows whose (ids, score bits) differ between two lists, with a description of the first few.
    static func differences(_ a: NeighborLists, _ b: NeighborLists) -> (rows: [Int], detail: String) {
        let k = a.k
        let rows = (0..<a.rowCount).filter { row in
            let slots = row * k..<(row + 1) * k
            return Array(a.ids[slots]) != Array(b.ids[slots]) || a.scores[slots].map(\.bitPattern) != b.scores[slots].map(\.bitPattern)
        }
        let detail = rows.prefix(3).map { row -> String in
            let slots = row * k..<(row + 1) * k
            return "row \(row): \(slots.map { "\(a.ids[$0]):\(a.scores[$0])" }) vs \(slots.map { "\(b.ids[$0]):\(b.scores[$0])" })"
        }
        return (rows, detail.joined(separator: "; "))
    }

    static func describe(_ head: Int?, _ layout: (rowTile: Int, columnBlock: Int)) -> String {
        "head \(head.map(String.init) ?? "auto"), rowTile \(layout.rowTile), columnBlock \(layout.columnBlock)"
    }

    /// For a fixed head size and layout, the lists (raw and canonical) do not depend on the worker count.
    @Test(arguments: specs)
    func listsAreBitIdenticalAcrossWorkerCounts(spec: PairsMatrixSpec) {
        let matrix = spec.matrix()
        for head in Self.heads {
            for layout in Self.layouts.prefix(3) {
                let options = Self.options(k: spec.k, head: head, layout: layout)
                let one = withWorkers(1) { ExactAllPairs.run(matrix, options: options) }
                let two = withWorkers(2) { ExactAllPairs.run(matrix, options: options) }
                let raw = Self.differences(one, two)
                #expect(raw.rows.isEmpty, "\(Self.describe(head, layout)), raw lists, 1 vs 2 workers: \(raw.detail)")
                let canonicalOne = withWorkers(1) { CanonicalScores.rescore(one, matrix: matrix) }
                let canonicalTwo = withWorkers(2) { CanonicalScores.rescore(two, matrix: matrix) }
                let canonical = Self.differences(canonicalOne, canonicalTwo)
                #expect(canonical.rows.isEmpty, "\(Self.describe(head, layout)), canonical lists, 1 vs 2 workers: \(canonical.detail)")
            }
        }
    }

    /// After `CanonicalScores.rescore`, the lists do not depend on the head size (nor the tiling).
    @Test(arguments: specs)
    func canonicalListsAreBitIdenticalAcrossHeadSizes(spec: PairsMatrixSpec) {
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
                let difference = Self.differences(rescored, reference.lists)
                #expect(difference.rows.isEmpty, "\(label) differs from \(reference.label) in rows \(difference.rows.prefix(10)): \(difference.detail)")
            }
        }
    }

    /// Bit-identical duplicate rows score exactly the same against any row, so where they meet the
    /// cut of a list the documented order (score desc, then id asc) keeps the lower ids.
    @Test(arguments: specs)
    func exactTiesAtTheCutKeepTheLowerIds(spec: PairsMatrixSpec) {
        let matrix = spec.matrix()
        let truth = PairsBruteForce.scores(matrix)
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
        let truth = PairsBruteForce.scores(matrix)
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
        let truth = PairsBruteForce.scores(matrix)
        let good = ExactAllPairs.run(matrix, options: ExactAllPairs.Options(k: spec.k))
        #expect(PairsBruteForce.problems(good, truth: truth, k: spec.k).isEmpty)
        let row = (0..<spec.rows).first { good.neighbors(of: $0).count == spec.k && good.scores[$0 * spec.k] > good.scores[$0 * spec.k + 1] + 1e-3 }!
        var dropped = good
        dropped.ids[row * spec.k] = dropped.ids[row * spec.k + spec.k - 1]
        #expect(!PairsBruteForce.problems(dropped, truth: truth, k: spec.k).isEmpty)
        var rescored = good
        rescored.scores[row * spec.k + 1] += 1e-3
        #expect(!PairsBruteForce.problems(rescored, truth: truth, k: spec.k).isEmpty)
        var swapped = good
        swapped.ids.swapAt(row * spec.k, row * spec.k + 1)
        swapped.scores.swapAt(row * spec.k, row * spec.k + 1)
        #expect(!PairsBruteForce.problems(swapped, truth: truth, k: spec.k).isEmpty)
    }

    @Test func workerCountIsRestored() {
        let before = Parallelism.workerCount
        _ = withWorkers(1) { Parallelism.workerCount }
        #expect(Parallelism.workerCount == before)
    }

    @Test func chooseHeadIsZeroForOnlyRareColumns() {
        // 3000 rows, 4000 columns, each column in at most 4 rows.
        let frequencies = (0..<4000).map { 1 + $0 % 4 }
        #expect(ExactAllPairs.chooseHead(frequencies: frequencies, rowCount: 3000) == 0)
        // Fewer columns than the smallest head candidate.
        #expect(ExactAllPairs.chooseHead(frequencies: [3000, 3000, 2900], rowCount: 3000) == 0)
        // A generated matrix without frequent columns.
        var spec = PairsMatrixSpec(rows: 2000, columns: 6000, frequentColumns: 0, frequentShare: 0, rareTerms: 3,
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
        let spec = PairsMatrixSpec(rows: 3000, columns: 2000, frequentColumns: 5, frequentShare: 0.95, rareTerms: 6,
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
