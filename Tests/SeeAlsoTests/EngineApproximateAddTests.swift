import Foundation
import Testing
import SeeAlso
import SeeAlsoTestSupport

/// `add` on the approximate indexes (partitioned and dense): the added articles are projected with the
/// stored LSA, scored through the stored partitions and lists, and their lists keep a high recall.
@Suite struct EngineApproximateAddTests {
    static let world = NewsWorld(seed: 71, topicCount: 12, storiesPerTopic: 20)

    @Test(arguments: [BuildOptions.Method.partitioned, .dense])
    func addedArticlesKeepAHighRecall(method: BuildOptions.Method) throws {
        let scratch = try TemporaryDirectory("approximate-add")
        defer { scratch.remove() }
        var options = EngineFixtures.options(k: 10, method: method)
        options.partitioned.candidates = .partitions(count: 8, probes: 3)
        options.partitioned.dimensions = 32
        options.recallSample = 100
        let built = try EngineFixtures.build(Self.world.articles(count: 3_000, seed: 72), in: scratch, options: options)
        #expect(built.method == method.rawValue && built.articles == 3_000)
        #expect((built.measuredRecall ?? 0) >= 0.9, "recall at build \(String(describing: built.measuredRecall))")
        let indexPath = scratch.path("index")
        let before = try Index(path: indexPath)
        #expect(before.manifest.method == method.rawValue)
        #expect(before.manifest.partitions.map { $0 >= 8 } ?? (method == .dense))
        #expect(try before.similarityIndex() is PartitionedIndex)

        let newInput = try writeJSONL(Self.world.articles(count: 300, seed: 73, idPrefix: "new", firstNumber: 100_000),
                                      to: scratch.path("new.jsonl"))
        var addOptions = WriteOptions()
        addOptions.recallSample = 100
        let report = try SeeAlsoEngine.add(ArchiveInput(newInput), to: indexPath, options: addOptions)
        #expect(report.added == 300 && report.articles == 3_300)
        #expect((report.measuredRecall ?? 0) >= 0.9 && report.recallRows ?? 0 > 0, "recall of the added lists \(String(describing: report.measuredRecall))")

        let engine = try SeeAlsoEngine(path: indexPath, verify: true)
        #expect(engine.articleCount == 3_300 && engine.manifest.method == method.rawValue)
        // 300 ≤ 3,000 / 8: the new articles, their vectors and partitions went into the tail segment.
        #expect(engine.manifest.tailRows == 300 && engine.manifest.files["dense.tail.sal"] != nil)
        let measured = try engine.measureRecall(sampleSize: 300, firstRow: 3_000)
        #expect(measured.recall >= 0.9 && measured.rows > 250 && measured.at == 10, "\(measured)")
        let index = try Index(path: indexPath)
        let problems = BruteForce.shapeProblems(index.lists())
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        // The stored lists of the old articles took the new ones in where they beat them.
        let newcomers = (0..<3_000).filter { row in index.storedList(row).contains { $0.row >= 3_000 } }
        #expect(newcomers.count > 300)
        // Scores stay canonical.
        for row in stride(from: 0, to: index.articleCount, by: 97) {
            for item in index.storedList(row) { #expect(item.score == index.vector(row).dot(index.vector(item.row))) }
        }
    }
}

/// Updates and deletes on the approximate indexes: lists never hold a deleted article, keep a high
/// recall after 10% churn, and compaction (deleted rows passing a tenth of all rows) changes no list.
@Suite struct EngineApproximateChurnTests {
    @Test(arguments: [BuildOptions.Method.partitioned, .dense])
    func churnKeepsListsCleanAndRecallHigh(method: BuildOptions.Method) throws {
        let scratch = try TemporaryDirectory("approximate-churn")
        defer { scratch.remove() }
        let world = EngineApproximateAddTests.world
        var options = EngineFixtures.options(k: 10, method: method)
        options.partitioned.candidates = .partitions(count: 8, probes: 3)
        options.partitioned.dimensions = 32
        options.recallSample = 0
        let articles = world.articles(count: 2_000, seed: 74)
        _ = try EngineFixtures.build(articles, in: scratch, options: options)
        let indexPath = scratch.path("index")
        let fresh = world.articles(count: 200, seed: 75, idPrefix: "new", firstNumber: 100_000)
        var random = SplitMix64(seed: 76)
        let chosen = random.sampleIndices(200, from: articles.count).map { articles[$0] }
        // 5% updated (each takes a new article's text), 5% deleted, in two writes each.
        var updated = Array(chosen.prefix(100))
        for position in updated.indices {
            updated[position].title = fresh[position].title
            updated[position].body = fresh[position].body
        }
        let deleted = chosen.suffix(100).map(\.id)
        for half in [0..<50, 50..<100] {
            _ = try SeeAlsoEngine.update(ArchiveInput(try writeJSONL(Array(updated[half]), to: scratch.path("u\(half.lowerBound).jsonl"))),
                                         in: indexPath)
            let report = try SeeAlsoEngine.delete(ids: Array(deleted[half]), from: indexPath)
            #expect(!report.compacted, "100 of 2,050 and 200 of 2,100 deleted rows stay within a tenth")
        }
        let churned = try Index(path: indexPath, verify: true)
        #expect(churned.liveArticleCount == 1_900 && churned.deleted.count == 200)
        #expect(try churned.similarityIndex() is PartitionedIndex)
        for row in 0..<churned.articleCount where !churned.isDeleted(row) {
            #expect(!churned.storedList(row).contains { churned.isDeleted($0.row) }, "row \(row) lists a deleted article")
        }
        let recall = try SeeAlsoEngine(path: indexPath).measureRecall(sampleSize: 300)
        #expect(recall.recall >= 0.9, "recall@10 after churn \(recall)")
        let listsBefore = Dictionary(uniqueKeysWithValues: (0..<churned.articleCount).filter { !churned.isDeleted($0) }.map { row in
            (churned.id(row), churned.storedList(row).map { "\(churned.id($0.row)) \($0.score)" })
        })

        // 20 more make 220 deleted of 2,100 rows, past a tenth: the files are rewritten without deleted rows, same lists.
        let more = Array(articles.filter { !chosen.map(\.id).contains($0.id) }.prefix(20).map(\.id))
        let report = try SeeAlsoEngine.delete(ids: more, from: indexPath)
        #expect(report.compacted)
        let compacted = try Index(path: indexPath, verify: true)
        #expect(compacted.deleted.isEmpty && compacted.articleCount == 1_880 && compacted.manifest.tailRows == nil)
        let gone = Set(more)
        var unchanged = 0
        for row in 0..<compacted.articleCount {
            let list = compacted.storedList(row).map { "\(compacted.id($0.row)) \($0.score)" }
            let old = listsBefore[compacted.id(row)]!
            if !old.contains(where: { gone.contains(String($0.split(separator: " ")[0])) }) {
                #expect(list == old, "\(compacted.id(row)): compaction changed a list no deletion touched")
                unchanged += 1
            }
        }
        #expect(unchanged > 1_500)
    }
}
