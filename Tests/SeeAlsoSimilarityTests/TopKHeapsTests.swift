import Testing
import SeeAlsoSupport
@testable import SeeAlsoSimilarity

@Suite struct TopKHeapsTests {
    /// The reference: candidates above the floor, sorted by (score desc, id asc), the first k, padded.
    static func reference(_ stream: [(score: Float, id: Int32)], k: Int, floor: Float) -> (ids: [Int32], scores: [Float]) {
        let kept = stream.filter { $0.score > floor }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
            .prefix(k)
        var ids = kept.map(\.id)
        var scores = kept.map(\.score)
        while ids.count < k {
            ids.append(-1)
            scores.append(0)
        }
        return (ids, scores)
    }

    /// A stream of distinct ids whose scores come from a few values (so many exact ties), some at or
    /// below the floor, in random order.
    fileprivate static func stream(count: Int, distinctScores: Int, floor: Float, random: inout SplitMix64) -> [(score: Float, id: Int32)] {
        var levels = (0..<distinctScores).map { _ in Float.random(in: -0.2...1, using: &random) }
        levels.append(floor)          // exactly the floor: never enters
        levels.append(floor.nextUp)   // just above: enters
        var ids = (0..<Int32(count * 3)).shuffled(using: &random).prefix(count)
        ids.shuffle(using: &random)
        return ids.map { (levels.randomElement(using: &random)!, $0) }
    }

    @Test(arguments: [
        (k: 1, streamLength: 40), (k: 5, streamLength: 200), (k: 10, streamLength: 10), (k: 16, streamLength: 7),
        (k: 20, streamLength: 0), (k: 33, streamLength: 1000), (k: 64, streamLength: 63),
    ])
    func listsEqualASortTruncatedToK(k: Int, streamLength: Int) {
        var random = SplitMix64(seed: UInt64(k * 1000 + streamLength))
        for floor: Float in [0, 0.25, -1] {
            let rows = 6
            var streams = (0..<rows).map { row in
                Self.stream(count: streamLength, distinctScores: 1 + row, floor: floor, random: &random)
            }
            let heaps = TopKHeaps(rowCount: rows, k: k, floor: floor)
            // Interleave the rows' pushes in a random order.
            var pending = streams.enumerated().flatMap { row, stream in stream.map { (row, $0) } }
            pending.shuffle(using: &random)
            for (row, candidate) in pending { heaps.push(row: row, id: candidate.id, score: candidate.score) }
            let lists = heaps.lists()
            #expect(lists.rowCount == rows && lists.k == k)
            for row in 0..<rows {
                let expected = Self.reference(streams[row], k: k, floor: floor)
                let actualIds = Array(lists.ids[row * k..<(row + 1) * k])
                let actualScores = Array(lists.scores[row * k..<(row + 1) * k])
                #expect(actualIds == expected.ids, "row \(row), k \(k), floor \(floor)")
                #expect(actualScores.map(\.bitPattern) == expected.scores.map(\.bitPattern), "row \(row), k \(k), floor \(floor)")
                #expect(lists.neighbors(of: row).allSatisfy { $0.score > floor })
                #expect(lists.neighbors(of: row).count == expected.ids.filter { $0 >= 0 }.count)
            }
            // The same streams pushed in another order give the same lists.
            for row in 0..<rows { streams[row].reverse() }
            let again = TopKHeaps(rowCount: rows, k: k, floor: floor)
            for row in 0..<rows { for candidate in streams[row] { again.push(row: row, id: candidate.id, score: candidate.score) } }
            #expect(again.lists() == lists)
        }
    }

    @Test func allScoresTiedKeepsTheLowestIds() {
        var random = SplitMix64(seed: 99)
        for k in [1, 2, 3, 7, 8, 50] {
            let heaps = TopKHeaps(rowCount: 1, k: k)
            let ids = (0..<Int32(200)).shuffled(using: &random)
            for id in ids { heaps.push(row: 0, id: id, score: 0.5) }
            let lists = heaps.lists()
            #expect(lists.ids == (0..<Int32(k)).map { $0 })
            #expect(lists.scores == [Float](repeating: 0.5, count: k))
        }
    }

    @Test func thresholdIsJustAboveTheFloorUntilFullThenTheWorstKept() {
        let heaps = TopKHeaps(rowCount: 2, k: 3, floor: 0.1)
        #expect(heaps.threshold(0) == Float(0.1).nextUp)
        heaps.push(row: 0, id: 4, score: 0.1)    // at the floor: rejected
        heaps.push(row: 0, id: 5, score: -3)     // below: rejected
        #expect(heaps.threshold(0) == Float(0.1).nextUp)
        heaps.push(row: 0, id: 1, score: 0.9)
        heaps.push(row: 0, id: 2, score: 0.3)
        #expect(heaps.threshold(0) == Float(0.1).nextUp)
        heaps.push(row: 0, id: 3, score: 0.6)
        #expect(heaps.threshold(0) == 0.3)
        heaps.push(row: 0, id: 9, score: 0.3)    // ties the worst but has a higher id: rejected
        heaps.push(row: 0, id: 0, score: 0.3)    // ties the worst with a lower id: replaces it
        #expect(heaps.threshold(1) == Float(0.1).nextUp)
        let lists = heaps.lists()
        #expect(lists.neighbors(of: 0).map(\.id) == [1, 3, 0])
        #expect(lists.neighbors(of: 0).map(\.score) == [0.9, 0.6, 0.3])
        #expect(lists.neighbors(of: 1).isEmpty)
        #expect(Array(lists.ids[3..<6]) == [-1, -1, -1])
    }

    /// A heap reused row after row: `clear` empties one row only, `sorted` gives it best first.
    @Test func clearAndSortedServeAReusedHeap() {
        let heaps = TopKHeaps(rowCount: 2, k: 3)
        for (id, score) in [(Int32(4), Float(0.2)), (7, 0.9), (1, 0.2), (9, 0.5), (3, 0.1)] {
            heaps.push(row: 0, id: id, score: score)
            heaps.push(row: 1, id: id, score: 1 - score)
        }
        #expect(heaps.sorted(row: 0).map(\.id) == [7, 9, 1])
        #expect(heaps.sorted(row: 0).map(\.score) == [0.9, 0.5, 0.2])
        heaps.clear(row: 0)
        #expect(heaps.sorted(row: 0).isEmpty)
        #expect(heaps.threshold(0) == Float(0).nextUp)
        #expect(heaps.sorted(row: 1).map(\.id) == [3, 1, 4])
        heaps.push(row: 0, id: 2, score: 0.3)
        #expect(heaps.lists().neighbors(of: 0).map(\.id) == [2])
        #expect(heaps.lists().neighbors(of: 1).map(\.id) == [3, 1, 4])
    }

    /// RankOrder: higher score first, then the lower id; equal pairs do not precede each other.
    @Test func rankOrderIsScoreThenId() {
        #expect(RankOrder.precedes(Float(0.5), 9, Float(0.4), 1))
        #expect(RankOrder.precedes(Float(0.5), 1, Float(0.5), 2))
        #expect(!RankOrder.precedes(Float(0.5), 2, Float(0.5), 1))
        #expect(!RankOrder.precedes(Float(0.5), 2, Float(0.5), 2))
        #expect(!RankOrder.precedes(Float(0.4), 1, Float(0.5), 9))
    }

    /// `collectCandidates` (the SIMD prefilter) offers exactly what a plain scan would.
    @Test(arguments: [0, 1, 15, 16, 17, 33, 100, 257])
    func collectCandidatesMatchesPlainPushes(count: Int) {
        var random = SplitMix64(seed: UInt64(count) + 7)
        let levels: [Float] = [-0.5, 0, 0.1, 0.2, 0.2, 0.7, 1]
        for k in [1, 4, 40] {
            let scores = (0..<count).map { _ in levels.randomElement(using: &random)! }
            let excluded = count > 0 ? Int.random(in: 0..<count, using: &random) + 1000 : -1
            let viaScan = TopKHeaps(rowCount: 1, k: k)
            scores.withUnsafeBufferPointer { buffer in
                collectCandidates(buffer.baseAddress ?? UnsafePointer(bitPattern: 16)!, count: count, firstId: 1000,
                                  into: viaScan, row: 0, excluded: excluded)
            }
            let stream = scores.enumerated().filter { $0.offset + 1000 != excluded }.map { (score: $0.element, id: Int32($0.offset + 1000)) }
            let expected = Self.reference(stream, k: k, floor: 0)
            let lists = viaScan.lists()
            #expect(lists.ids == expected.ids, "count \(count), k \(k)")
            #expect(lists.scores == expected.scores, "count \(count), k \(k)")
        }
    }
}
