import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoIndex
import SeeAlsoSimilarity
import SeeAlsoVectorize

@Suite struct IndexUpdaterTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var oldCount: Int
        var newCount: Int
        var k: Int
        /// Some new articles are verbatim copies (other ids) of old ones: exact score ties.
        var copies: Bool
        var seed: UInt64
        var testDescription: String { "\(oldCount)+\(newCount), k=\(k), copies \(copies), seed \(seed)" }
    }

    static func split(_ c: Case) -> (old: [Article], new: [Article]) {
        let world = NewsWorld(seed: c.seed)
        let old = world.articles(count: c.oldCount, seed: c.seed &+ 1, idPrefix: "old")
        var new = world.articles(count: c.newCount, seed: c.seed &+ 2, idPrefix: "new", firstNumber: 10_000)
        // New articles with words the frozen model has never seen.
        for position in stride(from: 0, to: new.count, by: 9) { new[position].body += " unseenword\(position) anotherunseen" }
        if c.copies {
            var random = IndexTestRandom(seed: c.seed &+ 3)
            for position in stride(from: 3, to: new.count, by: 4) {
                let source = old[Int.random(in: 0..<old.count, using: &random)]
                new[position].title = source.title
                new[position].body = source.body
                new[position].language = source.language
            }
        }
        return (old, new)
    }

    @Test(arguments: [
        Case(oldCount: 300, newCount: 120, k: 8, copies: false, seed: 31),
        Case(oldCount: 250, newCount: 150, k: 3, copies: true, seed: 32),
        Case(oldCount: 400, newCount: 60, k: 12, copies: true, seed: 33),
        Case(oldCount: 200, newCount: 1, k: 5, copies: false, seed: 34),
    ])
    func addEqualsARebuildWithTheSameFrozenModel(_ c: Case) throws {
        let scratch = try ScratchDirectory("add")
        defer { scratch.remove() }
        let (old, new) = Self.split(c)
        let model = try TfidfVectorizer.fit(articles: old, configuration: .news).model

        let addedPath = scratch.path("added")
        try IndexFixtures.build(old, in: scratch, indexPath: addedPath, k: c.k, frozenModel: model)
        let before = try Index(path: addedPath)
        let newInput = try IndexFixtures.writeJSONL(new, to: scratch.path("new.jsonl"))
        let added = try IndexUpdater.add(to: before, reader: try CorpusReader(path: newInput))
        try IndexWriter.write(added, to: IndexDirectory(path: addedPath))
        let extended = try Index(path: addedPath, verify: true)

        let rebuiltPath = scratch.path("rebuilt")
        let rebuilt = try IndexFixtures.build(old + new, in: scratch, indexPath: rebuiltPath, k: c.k, frozenModel: model)
        let reference = try Index(path: rebuiltPath)

        #expect(extended.articleCount == old.count + new.count)
        #expect(extended.allMetadata() == reference.allMetadata())
        #expect(extended.matrix() == reference.matrix())
        #expect(extended.model().vocabulary == model.vocabulary)
        // A build with a frozen model counts its articles as added since the fit; add adds the new ones.
        #expect(extended.manifest.addedSinceFit == old.count + new.count)
        #expect(extended.manifest.addedSinceFit == reference.manifest.addedSinceFit)
        #expect(extended.manifest.modelDocumentCount == old.count)
        #expect((extended.manifest.addedOutOfVocabularyRate ?? 0) > 0)

        let a = extended.lists()
        let b = reference.lists()
        #expect(b == rebuilt.lists)
        let differing = (0..<a.rowCount).filter { row in
            let slots = row * c.k..<(row + 1) * c.k
            return Array(a.ids[slots]) != Array(b.ids[slots]) || a.scores[slots].map(\.bitPattern) != b.scores[slots].map(\.bitPattern)
        }
        let detail = differing.prefix(3).map { row -> String in
            let slots = row * c.k..<(row + 1) * c.k
            return "row \(row) (\(extended.id(row))): add \(slots.map { "\(a.ids[$0]):\(a.scores[$0])" }) vs rebuild \(slots.map { "\(b.ids[$0]):\(b.scores[$0])" })"
        }
        #expect(differing.isEmpty, "\(differing.count) rows differ: \(detail.joined(separator: "; "))")

        // Both are exact: compare with brute force on the shared matrix.
        let truth = IndexBruteForce.scores(extended.matrix())
        let problems = IndexBruteForce.problems({ extended.storedList($0).map { (id: $0.row, score: $0.score) } }, truth: truth, k: c.k)
        #expect(problems.isEmpty, "\(problems.prefix(5).joined(separator: "\n"))")
    }

    @Test func addRejectsIdsAlreadyInTheIndex() throws {
        let scratch = try ScratchDirectory("add-duplicate")
        defer { scratch.remove() }
        let world = NewsWorld(seed: 35)
        let old = world.articles(count: 150, seed: 1, idPrefix: "old")
        let indexPath = scratch.path("idx")
        try IndexFixtures.build(old, in: scratch, indexPath: indexPath, k: 4)
        let index = try Index(path: indexPath)
        var new = world.articles(count: 20, seed: 2, idPrefix: "new")
        new[7].id = old[42].id
        let input = try IndexFixtures.writeJSONL(new, to: scratch.path("new.jsonl"))
        #expect { try IndexUpdater.add(to: index, reader: try CorpusReader(path: input)) } throws: { error in
            guard let error = error as? CorpusError else { return false }
            return error.kind == .duplicateID && error.message.contains(old[42].id)
        }
        // The index is untouched.
        #expect(try Index(path: indexPath, verify: true).articleCount == old.count)
    }
}
