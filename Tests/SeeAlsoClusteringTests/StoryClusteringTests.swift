import Testing
import SeeAlsoSimilarity
import SeeAlsoSupport
import SeeAlsoTestSupport
import SeeAlsoVectorize
import SeeAlsoClustering

@Suite struct StoryClusteringTests {
    static let day: Int64 = 86_400

    /// Rows from dense vectors (normalised), and exact cosine lists of length k (brute force).
    static func graph(_ vectors: [[Float]], k: Int) -> (CSRMatrix, NeighborLists) {
        let n = vectors.count, d = vectors[0].count
        var starts = [0], cols = [Int32](), vals = [Float]()
        var unit: [[Float]] = []
        for vector in vectors {
            let norm = vector.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
            unit.append(vector.map { $0 / norm })
            for j in 0..<d where vector[j] != 0 {
                cols.append(Int32(j))
                vals.append(vector[j] / norm)
            }
            starts.append(cols.count)
        }
        var ids = [Int32](repeating: -1, count: n * k), scores = [Float](repeating: 0, count: n * k)
        for i in 0..<n {
            var ranked: [(Int, Float)] = []
            for j in 0..<n where j != i {
                var dot: Float = 0
                for t in 0..<d { dot += unit[i][t] * unit[j][t] }
                if dot > 0 { ranked.append((j, dot)) }
            }
            ranked.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            for (slot, pair) in ranked.prefix(k).enumerated() {
                ids[i * k + slot] = Int32(pair.0)
                scores[i * k + slot] = pair.1
            }
        }
        return (CSRMatrix(rowCount: n, columnCount: d, rowStarts: starts, columns: cols, values: vals),
                NeighborLists(rowCount: n, k: k, ids: ids, scores: scores))
    }

    @Test func thresholdSeparatesStories() {
        // Two groups of three near-identical articles; across groups cosine ≈ 0.1.
        let vectors: [[Float]] = [[1, 0.1, 0.05], [1, 0.12, 0], [1, 0.08, 0.1], [0.1, 1, 0], [0.05, 1, 0.1], [0.12, 1, 0.05]]
        let (rows, lists) = Self.graph(vectors, k: 5)
        let dates = [Int64?](repeating: nil, count: 6)
        let strict = StoryClustering.cluster(rows: rows, neighbors: lists, dates: dates, configuration: .init(threshold: 0.5, windowSeconds: nil))
        #expect(strict.stories.count == 2)
        #expect(strict.assignments[0] == strict.assignments[1] && strict.assignments[1] == strict.assignments[2])
        #expect(strict.assignments[3] == strict.assignments[4] && strict.assignments[4] == strict.assignments[5])
        #expect(strict.assignments[0] != strict.assignments[3])
        #expect(strict.merges == 4)
        let loose = StoryClustering.cluster(rows: rows, neighbors: lists, dates: dates, configuration: .init(threshold: 0.05, windowSeconds: nil))
        #expect(loose.stories.count == 1)
        let none = StoryClustering.cluster(rows: rows, neighbors: lists, dates: dates, configuration: .init(threshold: 0.999, windowSeconds: nil))
        #expect(none.stories.count == 6 && none.merges == 0)
        // Dense vectors (as LSA gives) of the same rows: the same stories.
        var dense = DenseMatrix(rowCount: 6, columnCount: 3)
        for row in 0..<6 { for entry in rows.rowStarts[row]..<rows.rowStarts[row + 1] { dense[row, Int(rows.columns[entry])] = rows.values[entry] } }
        let fromDense = StoryClustering.cluster(vectors: dense, neighbors: lists, dates: dates, configuration: .init(threshold: 0.5, windowSeconds: nil))
        #expect(fromDense.assignments == strict.assignments)
    }

    @Test func timeWindowSplitsAndUndatedFollowTheThreshold() {
        // Five identical articles: days 0, 1, 3 and 30, 31, plus one undated copy.
        let vectors = [[Float]](repeating: [1, 0.5, 0.2], count: 6)
        let (rows, lists) = Self.graph(vectors, k: 5)
        let dates: [Int64?] = [0, 1 * Self.day, 3 * Self.day, 30 * Self.day, 31 * Self.day, nil]
        let result = StoryClustering.cluster(rows: rows, neighbors: lists, dates: dates, configuration: .init(threshold: 0.5, windowSeconds: 7 * Self.day))
        #expect(result.stories.count == 2)
        #expect(result.assignments[0] == result.assignments[1] && result.assignments[1] == result.assignments[2])
        #expect(result.assignments[3] == result.assignments[4])
        #expect(result.assignments[0] != result.assignments[3])
        // The undated copy joins one of them (threshold only).
        #expect(result.assignments[5] == result.assignments[0] || result.assignments[5] == result.assignments[3])
        for story in result.stories {
            let dated = story.members.compactMap { dates[$0] }
            if let first = dated.min(), let last = dated.max() {
                #expect(last - first <= 7 * Self.day)
                #expect(story.firstDate == first && story.lastDate == last)
            }
        }
        // Without a window all six are one story.
        let open = StoryClustering.cluster(rows: rows, neighbors: lists, dates: dates, configuration: .init(threshold: 0.5, windowSeconds: nil))
        #expect(open.stories.count == 1)
        #expect(open.stories[0].firstDate == 0 && open.stories[0].lastDate == 31 * Self.day)
    }

    @Test func onlyListedPairsLink() {
        // Rows 0 and 1 are identical but their lists are empty: they stay apart.
        let (rows, _) = Self.graph([[1, 0], [1, 0], [0, 1]], k: 1)
        let empty = NeighborLists(rowCount: 3, k: 1, ids: [-1, -1, -1], scores: [0, 0, 0])
        let result = StoryClustering.cluster(rows: rows, neighbors: empty, dates: [nil, nil, nil], configuration: .init(threshold: 0.1))
        #expect(result.stories.count == 3)
    }

    @Test(arguments: [UInt64(31), 32, 33])
    func invariantsOnRandomArchives(seed: UInt64) {
        // Noisy stories with random dates: every story respects the window, and its mean pairwise cosine
        // (average linkage) is at least the threshold. Ids are ordered by size.
        var random = SplitMix64(seed: seed)
        let d = 40
        var vectors: [[Float]] = []
        var dates: [Int64?] = []
        for story in 0..<25 {
            var centre = [Float](repeating: 0, count: d)
            for _ in 0..<4 { centre[Int.random(in: 0..<d, using: &random)] += 1 }
            let start = Int64.random(in: 0..<200, using: &random) * Self.day
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                vectors.append(centre.map { max(0, $0 + 0.3 * random.normal()) + 0.01 })
                dates.append(Double.random(in: 0..<1, using: &random) < 0.2 ? nil : start + Int64.random(in: 0..<(12 * Self.day), using: &random))
                _ = story
            }
        }
        let (rows, lists) = Self.graph(vectors, k: 10)
        let window = 5 * Self.day
        let threshold: Float = 0.6
        let result = StoryClustering.cluster(rows: rows, neighbors: lists, dates: dates, configuration: .init(threshold: threshold, windowSeconds: window))
        var seen = Set<Int>()
        for (id, story) in result.stories.enumerated() {
            #expect(story.id == id)
            if id > 0 { #expect(story.members.count <= result.stories[id - 1].members.count) }
            for member in story.members { #expect(seen.insert(member).inserted); #expect(result.assignments[member] == Int32(id)) }
            let dated = story.members.compactMap { dates[$0] }
            if let first = dated.min(), let last = dated.max() { #expect(last - first <= window) }
            guard story.members.count > 1 else { continue }
            var total: Float = 0, pairs = 0
            for a in story.members { for b in story.members where b > a {
                var dot: Float = 0
                for e in rows.rowStarts[a]..<rows.rowStarts[a + 1] {
                    for f in rows.rowStarts[b]..<rows.rowStarts[b + 1] where rows.columns[e] == rows.columns[f] { dot += rows.values[e] * rows.values[f] }
                }
                total += dot
                pairs += 1
            } }
            #expect(total / Float(pairs) >= threshold - 1e-4)
        }
        #expect(seen.count == vectors.count)
        #expect(result.multiMemberCount > 5)
    }
}

@Suite struct ClusterDescriptionTests {
    @Test func topTermsRepresentativeAndSpan() {
        // Terms: 0 "court", 1 "judge", 2 "goal", 3 "match", 4 "weather". Cluster 0 = rows 0-2, cluster 1 = rows 3-4.
        let rows = CSRMatrix(rowCount: 5, columnCount: 5, rowStarts: [0, 2, 4, 6, 8, 10],
                             columns: [0, 1, 0, 4, 0, 1, 2, 3, 2, 3],
                             values: [0.8, 0.6, 0.6, 0.8, 0.6, 0.8, 0.6, 0.8, 0.8, 0.6])
        let dates: [Int64?] = [100, nil, 50, 10, 20]
        let descriptions = ClusterDescription.describe(assignments: [0, 0, 0, 1, 1], clusterCount: 3, rows: rows, dates: dates, topTermCount: 2)
        #expect(descriptions.count == 3)
        // Cluster 0 mean: court (0.8+0.6+0.6)/3, judge (0.6+0.8)/3, weather 0.8/3.
        #expect(descriptions[0].size == 3)
        #expect(descriptions[0].topTerms.map(\.column) == [0, 1])
        #expect(abs(descriptions[0].topTerms[0].weight - 2.0 / 3) < 1e-6)
        // Scores against the sum (2.0, 1.4, 0, 0, 0.8): row 0 = 2.44, row 1 = 1.84, row 2 = 2.32.
        #expect(descriptions[0].representative == 0)
        #expect(descriptions[0].firstDate == 50 && descriptions[0].lastDate == 100)
        // Cluster 1: goal 0.7, match 0.7 (tie: lower column first); both rows score 1.4·0.6 + 1.4·0.8 alike → lower row.
        #expect(descriptions[1].topTerms.map(\.column) == [2, 3])
        #expect(descriptions[1].representative == 3)
        #expect(descriptions[1].firstDate == 10 && descriptions[1].lastDate == 20)
        // An empty cluster.
        #expect(descriptions[2].size == 0 && descriptions[2].representative == -1 && descriptions[2].topTerms.isEmpty)
        // Only some clusters.
        let one = ClusterDescription.describe(assignments: [0, 0, 0, 1, 1], clusterCount: 2, rows: rows, dates: dates, only: [1])
        #expect(one.count == 1 && one[0].id == 1)
    }
}
