import Foundation
import Testing
import SeeAlso
import SeeAlsoTestSupport

/// The live-archive invariant: on an exact index, after any sequence of add, update and delete, the
/// stored lists equal those of `build --model` over the surviving articles in index order (an updated
/// article moves to the end), list for list and score for score; deleted articles are gone from every
/// list and from lookups; compaction changes no answer.
@Suite struct LiveArchiveTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var initial: Int
        var steps: Int
        var k: Int
        var seed: UInt64
        var testDescription: String { "\(initial) articles, \(steps) writes, k=\(k), seed \(seed)" }
    }

    static let cases = [
        Case(initial: 160, steps: 9, k: 6, seed: 41),
        Case(initial: 220, steps: 8, k: 10, seed: 42),
        Case(initial: 90, steps: 10, k: 4, seed: 43),
    ]

    /// The archive as the test expects it: live articles in index order.
    struct Archive {
        var articles: [Article]
        var fresh: [Article]
        var random: SplitMix64
        var written = 0

        mutating func take(_ count: Int) -> [Article] {
            defer { fresh.removeFirst(count) }
            return Array(fresh.prefix(count))
        }

        /// `count` distinct live articles, chosen at random.
        mutating func pick(_ count: Int) -> [Article] {
            random.sampleIndices(min(count, articles.count - 1), from: articles.count).map { articles[$0] }
        }

        /// New versions of `chosen`: another text (sometimes a verbatim copy of a live article: exact
        /// ties), a new title and a new date.
        mutating func revised(_ chosen: [Article]) -> [Article] {
            chosen.map { article in
                var revised = article
                let source = random.chance(0.3) ? articles[random.nextIndex(below: articles.count)] : take(1)[0]
                revised.title = source.title + (random.chance(0.5) ? " (corrected)" : "")
                revised.body = source.body
                revised.date = ArticleDate(secondsSinceEpoch: 1_600_000_000 + Int64(random.nextIndex(below: 10_000_000)), hasTime: true)
                return revised
            }
        }

        mutating func apply(added: [Article], updated: [Article], deleted: [String]) {
            let gone = Set(updated.map(\.id) + deleted)
            articles = articles.filter { !gone.contains($0.id) } + added + updated
        }
    }

    @Test(arguments: cases)
    func anySequenceOfWritesEqualsARebuildOverTheSurvivors(_ c: Case) throws {
        let scratch = try TemporaryDirectory("live")
        defer { scratch.remove() }
        let world = NewsWorld(seed: c.seed)
        var archive = Archive(articles: world.articles(count: c.initial, seed: c.seed &+ 1, idPrefix: "a"),
                              fresh: world.articles(count: 600, seed: c.seed &+ 2, idPrefix: "n", firstNumber: 10_000),
                              random: SplitMix64(seed: c.seed, stream: 0x11FE))
        let initialPath = try writeJSONL(archive.articles, to: scratch.path("initial.jsonl"))
        let modelPath = scratch.path("model.json")
        _ = try SeeAlsoEngine.vectorize(ArchiveInput(initialPath), tfidf: .news, outputs: VectorizeOutputs(model: modelPath))
        let options = EngineFixtures.options(k: c.k, modelFile: modelPath)
        let indexPath = scratch.path("index")
        _ = try SeeAlsoEngine.build(ArchiveInput(initialPath), into: indexPath, options: options)

        var kinds: [String] = []
        var compactions = 0
        for step in 0..<c.steps {
            let kind = ["add", "update", "delete", "all"][step < 3 ? step : archive.random.nextIndex(below: 4)]
            var added: [Article] = [], updated: [Article] = [], deleted: [String] = []
            if kind == "add" || kind == "all" { added = archive.take(1 + archive.random.nextIndex(below: 25)) }
            let changed = archive.pick(1 + archive.random.nextIndex(below: 30))
            let split = kind == "all" ? changed.count / 2 : (kind == "update" ? changed.count : 0)
            if kind == "update" || kind == "all" { updated = archive.revised(Array(changed.prefix(split))) }
            if kind == "delete" || kind == "all" { deleted = changed.dropFirst(split).map(\.id) }
            var changes = ArchiveChanges(delete: deleted)
            if !added.isEmpty { changes.add = ArchiveInput(try writeJSONL(added, to: scratch.path("add-\(step).jsonl"))) }
            if !updated.isEmpty { changes.update = ArchiveInput(try writeJSONL(updated, to: scratch.path("update-\(step).jsonl"))) }
            let report = try SeeAlsoEngine.write(changes, to: indexPath)
            archive.apply(added: added, updated: updated, deleted: deleted)
            kinds.append(kind)
            if report.compacted { compactions += 1 }
            #expect(report.added == added.count && report.updated == updated.count && report.deleted == deleted.count)
            #expect(report.articles == archive.articles.count)
            try Self.expectEqualToRebuild(indexPath, archive.articles, options: options, scratch: scratch, label: "step \(step) (\(kind))")
        }
        #expect(compactions > 0 && compactions < c.steps, "writes \(kinds): \(compactions) compactions; both paths must be exercised")
    }

    /// Compares the index at `path` with a build over `articles` in order: same live articles and
    /// metadata, same lists by id and score; deleted ids are not found.
    static func expectEqualToRebuild(_ path: String, _ articles: [Article], options: BuildOptions, scratch: TemporaryDirectory,
                                     label: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let referencePath = scratch.path("reference")
        try? FileManager.default.removeItem(atPath: referencePath)
        _ = try SeeAlsoEngine.build(ArchiveInput(try writeJSONL(articles, to: scratch.path("reference.jsonl"))), into: referencePath,
                                    options: options)
        let written = try Index(path: path, verify: true)
        let reference = try Index(path: referencePath)
        let liveRows = (0..<written.articleCount).filter { !written.isDeleted($0) }
        #expect(liveRows.map(written.metadata) == (0..<reference.articleCount).map(reference.metadata), "\(label)",
                sourceLocation: sourceLocation)
        var differing: [String] = []
        for (position, row) in liveRows.enumerated() {
            let got = written.storedList(row).map { "\(written.id($0.row)):\($0.score)" }
            let expected = reference.storedList(position).map { "\(reference.id($0.row)):\($0.score)" }
            if got != expected { differing.append("\(written.id(row)): \(got) vs \(expected)") }
            #expect(written.row(ofId: written.id(row)) == row, sourceLocation: sourceLocation)
        }
        #expect(differing.isEmpty, "\(label): \(differing.count) lists differ, first \(differing.prefix(2))", sourceLocation: sourceLocation)
        let engine = try SeeAlsoEngine(path: path)
        #expect(engine.articleCount == articles.count, sourceLocation: sourceLocation)
        var lists = 0
        var everyItem = RelatedOptions()
        everyItem.k = engine.manifest.k
        try engine.forEachStoredList(options: everyItem) { _ in lists += 1 }
        #expect(lists == articles.count, sourceLocation: sourceLocation)
    }

    @Test func deletedArticlesAreGoneEverywhere() throws {
        let scratch = try TemporaryDirectory("deleted")
        defer { scratch.remove() }
        let articles = NewsWorld(seed: 44).articles(count: 200, seed: 1)
        let indexPath = scratch.path("index")
        _ = try SeeAlsoEngine.build(ArchiveInput(try writeJSONL(articles, to: scratch.path("all.jsonl"))), into: indexPath,
                                    options: EngineFixtures.options(k: 8))
        let victims = Array(articles[10..<16].map(\.id))
        let report = try SeeAlsoEngine.delete(ids: victims, from: indexPath)
        #expect(report.deleted == 6 && report.articles == 194 && !report.compacted)
        #expect(!report.changes.listsChanged.isEmpty && report.changes.deleted == victims)
        let engine = try SeeAlsoEngine(path: indexPath)
        for id in victims {
            #expect(engine.article(withID: id) == nil)
            #expect(throws: IndexError.self) { try engine.related(toArticleWithID: id) }
        }
        let gone = Set(victims)
        var listed = 0
        try engine.forEachStoredList { list in
            listed += 1
            #expect(!gone.contains(list.id) && !list.related.contains { gone.contains($0.id) })
        }
        #expect(listed == 194)
        // A new text's list never offers a deleted article either.
        let query = articles[12]
        var options = RelatedOptions()
        options.k = 20
        let answer = try engine.related(to: query, options: options)
        #expect(!answer.related.contains { gone.contains($0.id) } && !answer.related.isEmpty)
    }
}
