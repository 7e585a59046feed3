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
