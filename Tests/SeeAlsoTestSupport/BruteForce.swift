import SeeAlsoSimilarity
import SeeAlsoVectorize

/// Reference computations in Double, the oracles for the fast paths: all pairwise scores of sparse
/// rows, top-k of dense vectors, XᵀX; and a tolerant comparison of neighbour lists with them.
package enum BruteForce {
    /// Every row's inner product with every row (itself included), summed in Double.
    package static func scores(_ matrix: CSRMatrix) -> [[Double]] {
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

    /// Problems of lists against brute-force scores: ids must be the k best other rows with score > 0
    /// (order score desc, then id asc), scores within `scoreTolerance`; where brute-force scores lie within
    /// `tieTolerance` of each other (or of 0) either choice and order is accepted. Each list must also be
    /// well formed (`shapeProblems`: ranked by `RankOrder`, no repeats, not the row itself, padded only at
    /// the end) with ids in range. At most about 20 oracle problems are reported.
    package static func problems(_ lists: NeighborLists, truth: [[Double]], k: Int,
                                 scoreTolerance: Double = 1e-5, tieTolerance: Double = 1e-6) -> [String] {
        let outOfRange = lists.ids.contains { $0 < -1 || Int($0) >= lists.rowCount } ? ["an id out of range"] : []
        let rowCounts = lists.rowCount == truth.count ? [] : ["\(lists.rowCount) lists for \(truth.count) brute-force rows"]
        // The oracle comparison indexes `truth` by listed id and row: only for lists that fit it.
        guard outOfRange.isEmpty, rowCounts.isEmpty else { return outOfRange + rowCounts }
        return shapeProblems(lists) + oracleProblems({ lists.neighbors(of: $0) }, truth: truth, k: k,
                                                     scoreTolerance: scoreTolerance, tieTolerance: tieTolerance)
    }

    /// The part of `problems` that needs the oracle, for lists (row → (id, score) best first, unpadded)
    /// whose shape `shapeProblems` checks: count, ids, scores and order against the brute-force scores.
    private static func oracleProblems(_ lists: (Int) -> [(id: Int, score: Float)], truth: [[Double]], k: Int,
                                       scoreTolerance: Double, tieTolerance: Double) -> [String] {
        var problems: [String] = []
        for row in 0..<truth.count {
            let scores = truth[row]
            let expected = (0..<scores.count).filter { $0 != row && scores[$0] > 0 }
                .sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
            let sure = expected.filter { scores[$0] > tieTolerance }.count
            let possible = (0..<scores.count).filter { $0 != row && scores[$0] > -tieTolerance }.count
            let actual = lists(row)
            func fail(_ message: String) {
                problems.append("row \(row): \(message); actual \(actual.map { "\($0.id):\($0.score)" }), expected \(expected.prefix(k).map { "\($0):\(Float(scores[$0]))" })")
            }
            guard actual.count >= min(k, sure), actual.count <= min(k, possible) else {
                fail("\(actual.count) items, expected \(min(k, expected.count))")
                continue
            }
            for item in actual {
                if abs(Double(item.score) - scores[item.id]) > scoreTolerance { fail("score of \(item.id) is \(item.score), brute force \(scores[item.id])") }
                if scores[item.id] <= -tieTolerance { fail("\(item.id) has brute-force score \(scores[item.id]) ≤ 0") }
                if item.score <= 0 { fail("listed score \(item.score) ≤ 0") }
            }
            for (first, second) in zip(actual, actual.dropFirst()) where scores[first.id] < scores[second.id] - tieTolerance {
                fail("\(first.id) before \(second.id) but scores lower")
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

    /// Problems of lists that need no oracle (approximate ones too): each list ranked by `RankOrder`,
    /// without repeats, without the row itself, padded (−1, score 0) only at the end.
    package static func shapeProblems(_ lists: NeighborLists) -> [String] {
        (0..<lists.rowCount).compactMap { row -> String? in
            let items = lists.neighbors(of: row)
            let slots = row * lists.k..<(row + 1) * lists.k
            if lists.ids[slots].prefix(items.count).contains(-1) || lists.ids[slots].dropFirst(items.count).contains(where: { $0 != -1 })
                || lists.scores[slots].dropFirst(items.count).contains(where: { $0 != 0 }) { return "row \(row): padding inside or with a score" }
            if Set(items.map(\.id)).count != items.count { return "row \(row): repeated id" }
            if items.contains(where: { $0.id == row }) { return "row \(row): lists itself" }
            if !zip(items, items.dropFirst()).allSatisfy({ RankOrder.precedes($0.score, $0.id, $1.score, $1.id) }) { return "row \(row): not ranked" }
            return nil
        }
    }

    /// The `k` best database rows of every query row by inner product in Double (ties by id), skipping
    /// database row q for query q when `excludingSelf` (queries and database are then the same vectors).
    package static func topK(queries: DenseMatrix, database: DenseMatrix, k: Int, excludingSelf: Bool) -> [[Int32]] {
        (0..<queries.rowCount).map { query in
            var scored: [(id: Int32, score: Double)] = []
            for other in 0..<database.rowCount where !(excludingSelf && other == query) {
                var sum = 0.0
                for column in 0..<database.columnCount { sum += Double(queries[query, column]) * Double(database[other, column]) }
                scored.append((Int32(other), sum))
            }
            scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
            return scored.prefix(k).map(\.id)
        }
    }

    /// XᵀX in Double.
    package static func gram(_ x: [[Double]]) -> [[Double]] {
        let columns = x.first?.count ?? 0
        var g = [[Double]](repeating: [Double](repeating: 0, count: columns), count: columns)
        for row in x {
            for i in 0..<columns where row[i] != 0 {
                for j in 0..<columns { g[i][j] += row[i] * row[j] }
            }
        }
        return g
    }

    /// Rows whose (ids, score bits) differ between two lists of equal shape, with a description of the first few.
    package static func differences(_ a: NeighborLists, _ b: NeighborLists, describe: (Int) -> String = { "row \($0)" }) -> (rows: [Int], detail: String) {
        guard a.rowCount == b.rowCount, a.k == b.k else {
            return (Array(0..<max(a.rowCount, b.rowCount)), "shapes differ: \(a.rowCount)×\(a.k) vs \(b.rowCount)×\(b.k)")
        }
        let k = a.k
        let rows = (0..<a.rowCount).filter { row in
            let slots = row * k..<(row + 1) * k
            return Array(a.ids[slots]) != Array(b.ids[slots]) || a.scores[slots].map(\.bitPattern) != b.scores[slots].map(\.bitPattern)
        }
        let detail = rows.prefix(3).map { row -> String in
            let slots = row * k..<(row + 1) * k
            return "\(describe(row)): \(slots.map { "\(a.ids[$0]):\(a.scores[$0])" }) vs \(slots.map { "\(b.ids[$0]):\(b.scores[$0])" })"
        }
        return (rows, detail.joined(separator: "; "))
    }

    /// Share of `truth`'s ids found in `found`, ignoring order (GEMM and Double sums can swap near-ties).
    package static func overlap(_ found: [Int32], _ truth: [Int32]) -> Double {
        Double(Set(found).intersection(truth).count) / Double(max(1, truth.count))
    }
}
