import Foundation
import Testing
import SeeAlso
import SeeAlsoTestSupport

/// Clusters through writes, change records, refit from the index's own texts, and bad writes.
@Suite struct LiveArchiveFeatureTests {
    static func build(_ articles: [Article], _ scratch: TemporaryDirectory, name: String = "index", keepTexts: Bool = true) throws -> String {
        var options = EngineFixtures.options(k: 8)
        options.keepTexts = keepTexts
        let index = scratch.path(name)
        _ = try SeeAlsoEngine.build(ArchiveInput(try writeJSONL(articles, to: scratch.path(name + ".jsonl"))), into: index, options: options)
        return index
    }

    @Test func topicsAndStoriesSurviveWritesAndNewArticlesJoinThem() throws {
        let scratch = try TemporaryDirectory("clusters")
        defer { scratch.remove() }
        let articles = NewsWorld(seed: 61).articles(count: 240, seed: 1)
        let index = try Self.build(articles, scratch)
        var topics = ClusterOptions()
        topics.topics.clusterCount = 6
        _ = try SeeAlsoEngine(path: index).cluster(options: topics)
        var stories = ClusterOptions()
        stories.kind = .stories
        stories.stories.representation = .tfidf
        _ = try SeeAlsoEngine(path: index).cluster(options: stories)
        let before = try SeeAlsoEngine(path: index)
        let source = try #require(articles.first { (try? before.related(toArticleWithID: $0.id).story) != nil },
                                  "no article in a multi-member story")

        // A verbatim copy joins its source's topic and story; deleted articles leave theirs.
        var copy = source
        copy.id = "copy-of-\(source.id)"
        let deleted = articles.suffix(10).map(\.id)
        _ = try SeeAlsoEngine.write(ArchiveChanges(add: ArchiveInput(try writeJSONL([copy], to: scratch.path("copy.jsonl"))), delete: deleted),
                                    to: index)
        let after = try SeeAlsoEngine(path: index)
        let original = try before.related(toArticleWithID: source.id)
        let joined = try after.related(toArticleWithID: copy.id)
        #expect(joined.topic != nil && joined.topic == original.topic)
        #expect(joined.story != nil && joined.story == original.story)
        let clusters = try #require(after.clusters)
        #expect(clusters.assignedIncrementally == 1)
        #expect(clusters.topics!.clusters.reduce(0) { $0 + $1.size } == after.articleCount, "topic sizes are recounted")
        #expect(clusters.stories!.linkageOnTfidf == true && clusters.stories!.linkageThreshold == 0.2)
        // Unchanged articles keep their clusters.
        for article in articles.prefix(40) {
            let old = try before.related(toArticleWithID: article.id), new = try after.related(toArticleWithID: article.id)
            #expect(old.topic == new.topic && old.story == new.story, "\(article.id)")
        }
        // A new `cluster` resets the count.
        _ = try SeeAlsoEngine(path: index).cluster(options: topics)
        #expect(try SeeAlsoEngine(path: index).clusters?.assignedIncrementally == nil)
    }

    @Test func changeRecordsNameEveryPageToRefresh() throws {
        let scratch = try TemporaryDirectory("changes")
        defer { scratch.remove() }
        let world = NewsWorld(seed: 62)
        let articles = world.articles(count: 150, seed: 1)
        let index = try Self.build(articles, scratch)
        let spare = world.articles(count: 20, seed: 2, idPrefix: "n", firstNumber: 900)
        let before = try Index(path: index)
        let added = try SeeAlsoEngine.add(ArchiveInput(try writeJSONL(Array(spare.prefix(10)), to: scratch.path("a.jsonl"))), to: index)
        var revised = articles[3]
        revised.body = spare[15].body
        let updated = try SeeAlsoEngine.update(ArchiveInput(try writeJSONL([revised], to: scratch.path("u.jsonl"))), in: index)
        let deleted = try SeeAlsoEngine.delete(ids: [articles[7].id, spare[0].id], from: index)
        #expect(added.generation == 2 && updated.generation == 3 && deleted.generation == 4)
        // Every article whose list differs from the build's is named by some record since generation 1.
        let after = try Index(path: index)
        let summary = try SeeAlsoEngine.changes(in: index, since: 1)
        #expect(summary.complete && summary.generation == 4)
        #expect(summary.added == spare[1..<10].map(\.id) && summary.updated == [articles[3].id])
        #expect(Set(summary.deleted) == [articles[7].id, spare[0].id])
        let named = Set(summary.added + summary.updated + summary.deleted + summary.listsChanged)
        for row in 0..<before.articleCount {
            let id = before.id(row)
            guard let now = after.row(ofId: id) else { continue }
            let old = before.storedList(row).map { "\(before.id($0.row)) \($0.score)" }
            let new = after.storedList(now).map { "\(after.id($0.row)) \($0.score)" }
            if old != new { #expect(named.contains(id), "\(id)'s list changed but no record names it") }
        }
        let none = try SeeAlsoEngine.changes(in: index, since: 4)
        #expect(none.complete && none.added.isEmpty && none.updated.isEmpty && none.deleted.isEmpty && none.listsChanged.isEmpty)
        #expect(throws: IndexError.self) { try SeeAlsoEngine.changes(in: index, since: 9) }
        // A rebuild makes earlier generations incomplete: refresh everything.
        _ = try Self.build(articles, scratch)
        #expect(try !SeeAlsoEngine.changes(in: index, since: 1).complete)
    }

    @Test func refitComesFromTheIndexTextsAndEqualsAFreshBuildOfTheSurvivors() throws {
        let scratch = try TemporaryDirectory("refit")
        defer { scratch.remove() }
        let world = NewsWorld(seed: 63)
        let articles = world.articles(count: 160, seed: 1)
        let index = try Self.build(articles, scratch)
        let spare = world.articles(count: 30, seed: 2, idPrefix: "n", firstNumber: 900)
        _ = try SeeAlsoEngine.add(ArchiveInput(try writeJSONL(Array(spare.prefix(20)), to: scratch.path("a.jsonl"))), to: index)
        var revised = articles[4]
        revised.title = "Revised"
        revised.body = spare[25].body
        _ = try SeeAlsoEngine.update(ArchiveInput(try writeJSONL([revised], to: scratch.path("u.jsonl"))), in: index)
        // The recorded source files are gone: the refit must not need them.
        for name in ["index.jsonl", "a.jsonl", "u.jsonl"] { try FileManager.default.removeItem(atPath: scratch.path(name)) }
        var options = WriteOptions()
        options.refit = true
        let report = try SeeAlsoEngine.write(ArchiveChanges(add: ArchiveInput(try writeJSONL([spare[29]], to: scratch.path("b.jsonl"))),
                                                            delete: [articles[9].id]), to: index, options: options)
        #expect(report.refit && report.changes.rebuilt && report.added == 1 && report.deleted == 1)
        // Index order: the build's survivors, the added ones, the updated one (moved to the end), then this write's addition.
        let survivors = articles.filter { $0.id != articles[4].id && $0.id != articles[9].id } + spare.prefix(20) + [revised, spare[29]]
        #expect(report.articles == survivors.count)
        let reference = try Self.build(survivors, scratch, name: "reference")
        let refitted = try Index(path: index, verify: true), fresh = try Index(path: reference)
        #expect(refitted.model().vocabulary == fresh.model().vocabulary && refitted.model().idf == fresh.model().idf)
        #expect(refitted.allMetadata() == fresh.allMetadata())
        #expect(refitted.lists() == fresh.lists())
        #expect(refitted.manifest.addedSinceFit == 0 && refitted.manifest.modelDocumentCount == survivors.count)

        // Without stored texts, a refit is refused with a message that says why.
        let bare = try Self.build(articles, scratch, name: "bare", keepTexts: false)
        #expect { try SeeAlsoEngine.write(ArchiveChanges(), to: bare, options: options) } throws: { "\($0)".contains("keeps no article texts") }
    }

    @Test func badWritesAreRefusedAndChangeNothing() throws {
        let scratch = try TemporaryDirectory("bad-writes")
        defer { scratch.remove() }
        let articles = NewsWorld(seed: 64).articles(count: 80, seed: 1)
        let index = try Self.build(articles, scratch)
        let live = try SeeAlsoEngine(path: index).generationPath
        let existing = try writeJSONL([articles[2]], to: scratch.path("existing.jsonl"))
        var unknown = articles[2]
        unknown.id = "nobody"
        let unknownPath = try writeJSONL([unknown], to: scratch.path("unknown.jsonl"))
        let cases: [(ArchiveChanges, String)] = [
            (ArchiveChanges(add: ArchiveInput(existing)), "is already in the index"),
            (ArchiveChanges(update: ArchiveInput(unknownPath)), "is not in the index"),
            (ArchiveChanges(delete: ["nobody"]), "no article with id \"nobody\""),
            (ArchiveChanges(update: ArchiveInput(existing), delete: [articles[2].id]), "is given twice"),
            (ArchiveChanges(delete: [articles[3].id, articles[3].id]), "is given twice"),
        ]
        for (changes, message) in cases {
            #expect { try SeeAlsoEngine.write(changes, to: index) } throws: { "\($0)".contains(message) }
            #expect(try SeeAlsoEngine(path: index).generationPath == live)
        }
        let run = try SeeAlsoExecutable.run(["update", "--index", index, "--input", unknownPath])
        #expect(run.status == 1 && run.error.contains("unknown.jsonl") && run.error.contains("field 'id'"), "\(run.error)")
        let both = try SeeAlsoExecutable.run(["delete", "--index", index, "--id", "a", "--ids-file", existing])
        #expect(both.status != 0 && both.error.contains("exactly one of --id and --ids-file"))
        #expect(try SeeAlsoEngine(path: index).generationPath == live)
    }
}
