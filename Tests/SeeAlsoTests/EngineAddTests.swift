import Foundation
import Testing
import SeeAlso
import SeeAlsoTestSupport

/// `SeeAlsoEngine.add` on an exact index equals `SeeAlsoEngine.build` over all the articles with the
/// same frozen model, list for list and score for score, whatever the batches the articles come in.
@Suite struct EngineAddTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var oldCount: Int
        var newCount: Int
        var k: Int
        /// Some new articles are verbatim copies (other ids) of old ones: exact score ties.
        var copies: Bool
        var seed: UInt64
        var testDescription: String { "\(oldCount)+\(newCount), k=\(k), copies \(copies), seed \(seed)" }
    }

    static let cases = [
        Case(oldCount: 300, newCount: 120, k: 8, copies: false, seed: 31),
        Case(oldCount: 250, newCount: 150, k: 3, copies: true, seed: 32),
        Case(oldCount: 400, newCount: 60, k: 12, copies: true, seed: 33),
        Case(oldCount: 200, newCount: 1, k: 5, copies: false, seed: 34),
        Case(oldCount: 120, newCount: 90, k: 20, copies: true, seed: 35),
    ]

    static func articles(_ c: Case) -> (old: [Article], new: [Article]) {
        let world = NewsWorld(seed: c.seed)
        let old = world.articles(count: c.oldCount, seed: c.seed &+ 1, idPrefix: "old")
        var new = world.articles(count: c.newCount, seed: c.seed &+ 2, idPrefix: "new", firstNumber: 10_000)
        // New articles with words the frozen model has never seen.
        for position in stride(from: 0, to: new.count, by: 9) { new[position].body += " unseenword\(position) anotherunseen" }
        if c.copies {
            var random = SplitMix64(seed: c.seed &+ 3)
            for position in stride(from: 3, to: new.count, by: 4) {
                let source = old[Int.random(in: 0..<old.count, using: &random)]
                new[position].title = source.title
                new[position].body = source.body
                new[position].language = source.language
            }
        }
        return (old, new)
    }

    /// A random split of `count` articles into 1…4 consecutive non-empty batches (sizes).
    static func randomBatches(_ count: Int, random: inout SplitMix64) -> [Int] {
        let parts = min(count, 1 + random.nextIndex(below: 4))
        var cuts = Set<Int>()
        while cuts.count < parts - 1 { cuts.insert(1 + random.nextIndex(below: count - 1)) }
        let bounds = [0] + cuts.sorted() + [count]
        return zip(bounds, bounds.dropFirst()).map { $1 - $0 }
    }

    @Test(arguments: cases)
    func addedBatchesEqualABuildOverAllArticles(_ c: Case) throws {
        let scratch = try TemporaryDirectory("add")
        defer { scratch.remove() }
        let (old, new) = Self.articles(c)
        let oldPath = try writeJSONL(old, to: scratch.path("old.jsonl"))
        let modelPath = scratch.path("model.json")
        let vectorized = try SeeAlsoEngine.vectorize(ArchiveInput(oldPath), tfidf: .news, outputs: VectorizeOutputs(model: modelPath))
        #expect(vectorized.documents == old.count)
        let options = EngineFixtures.options(k: c.k, modelFile: modelPath)

        var random = SplitMix64(seed: c.seed, stream: 0xADD)
        for split in 0..<2 {
            let sizes = Self.randomBatches(new.count, random: &random)
            var batchPaths: [String] = []
            var start = 0
            for (number, size) in sizes.enumerated() {
                batchPaths.append(try writeJSONL(Array(new[start..<start + size]), to: scratch.path("new-\(split)-\(number).jsonl")))
                start += size
            }
            let addedPath = scratch.path("added-\(split)")
            _ = try SeeAlsoEngine.build(ArchiveInput(oldPath), into: addedPath, options: options)
            var articleCount = old.count
            for (path, size) in zip(batchPaths, sizes) {
                let report = try SeeAlsoEngine.add(ArchiveInput(path), to: addedPath)
                articleCount += size
                #expect(report.added == size && report.articles == articleCount && !report.refit)
            }
            let rebuiltPath = scratch.path("rebuilt-\(split)")
            _ = try SeeAlsoEngine.build(ArchiveInput(paths: [oldPath] + batchPaths), into: rebuiltPath, options: options)
            try Self.expectEqualIndexes(added: addedPath, rebuilt: rebuiltPath, c, sizes: sizes)
        }
    }

    static func expectEqualIndexes(added: String, rebuilt: String, _ c: Case, sizes: [Int],
                                   sourceLocation: SourceLocation = #_sourceLocation) throws {
        let extended = try Index(path: added, verify: true)
        let reference = try Index(path: rebuilt)
        let label = "batches \(sizes)"
        #expect(extended.articleCount == c.oldCount + c.newCount, sourceLocation: sourceLocation)
        #expect(extended.allMetadata() == reference.allMetadata(), "\(label)", sourceLocation: sourceLocation)
        #expect(extended.matrix() == reference.matrix(), "\(label)", sourceLocation: sourceLocation)
        #expect(extended.model().vocabulary == reference.model().vocabulary, sourceLocation: sourceLocation)
        #expect(extended.manifest.sources == reference.manifest.sources, sourceLocation: sourceLocation)
        // A build with a frozen model counts its articles as added since the fit; add adds the new ones.
        #expect(extended.manifest.addedSinceFit == c.oldCount + c.newCount, sourceLocation: sourceLocation)
        #expect(extended.manifest.addedSinceFit == reference.manifest.addedSinceFit, sourceLocation: sourceLocation)
        #expect(extended.manifest.modelDocumentCount == c.oldCount, sourceLocation: sourceLocation)
        #expect((extended.manifest.addedOutOfVocabularyRate ?? 0) > 0, sourceLocation: sourceLocation)

        let difference = BruteForce.differences(extended.lists(), reference.lists()) { "row \($0) (\(extended.id($0)))" }
        #expect(difference.rows.isEmpty, "\(label): \(difference.rows.count) rows differ: \(difference.detail)", sourceLocation: sourceLocation)
        // Both are exact: compare with brute force on the shared matrix.
        let truth = BruteForce.scores(extended.matrix())
        let problems = BruteForce.problems(extended.lists(), truth: truth, k: c.k)
        #expect(problems.isEmpty, "\(label): \(problems.prefix(5).joined(separator: "\n"))", sourceLocation: sourceLocation)
    }
}
