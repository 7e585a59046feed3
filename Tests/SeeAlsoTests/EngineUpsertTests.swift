import Foundation
import SeeAlso
import SeeAlsoTestSupport
import Testing

/// `ArchiveChanges.upsert` (what the service's PUT and batch writes use): ids present are updated, new
/// ids added, decided under the writer lock, with the same lists as the explicit add and update.
@Suite struct EngineUpsertTests {
    @Test func upsertEqualsTheExplicitAddAndUpdate() throws {
        let scratch = try TemporaryDirectory("upsert")
        defer { scratch.remove() }
        let world = NewsWorld(seed: 3)
        let archive = world.articles(count: 200, seed: 4)
        var options = BuildOptions()
        options.k = 8
        options.method = .exact
        let input = try writeJSONL(archive, to: scratch.path("archive.jsonl"))
        for name in ["upserted", "explicit"] {
            _ = try SeeAlsoEngine.build(ArchiveInput(input), into: scratch.path(name), options: options)
        }
        var changed = Array(archive[10..<16])
        for position in changed.indices { changed[position].body += " " + archive[150 + position].body }
        let fresh = world.articles(count: 5, seed: 9, idPrefix: "fresh")
        let upsert = try SeeAlsoEngine.write(ArchiveChanges(delete: [archive[40].id], upsert: fresh + changed), to: scratch.path("upserted"))
        #expect(upsert.added == fresh.count && upsert.updated == changed.count && upsert.deleted == 1)
        #expect(Set(upsert.changes.added) == Set(fresh.map(\.id)))
        #expect(Set(upsert.changes.updated) == Set(changed.map(\.id)))

        let explicit = try SeeAlsoEngine.write(
            ArchiveChanges(add: ArchiveInput(try writeJSONL(fresh, to: scratch.path("add.jsonl"))),
                           update: ArchiveInput(try writeJSONL(changed, to: scratch.path("update.jsonl"))), delete: [archive[40].id]),
            to: scratch.path("explicit"))
        #expect(explicit.changes.listsChanged == upsert.changes.listsChanged)
        let a = try SeeAlsoEngine(path: scratch.path("upserted"))
        let b = try SeeAlsoEngine(path: scratch.path("explicit"))
        #expect(a.articleCount == b.articleCount)
        var listsA: [String] = []
        var listsB: [String] = []
        try a.forEachStoredList { listsA.append($0.json()) }
        try b.forEachStoredList { listsB.append($0.json()) }
        #expect(listsA == listsB)
        // The temporary files are gone, and the index records the source once, not their paths.
        #expect(a.manifest.sources.filter { $0 == "upsert" }.count == 1)
        #expect(!a.manifest.sources.contains { $0.contains("seealso-add-") || $0.contains("seealso-update-") })
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
            .filter { $0.hasPrefix("seealso-add-") || $0.hasPrefix("seealso-update-") }
        #expect(leftovers.isEmpty)
        _ = try SeeAlsoEngine.write(ArchiveChanges(upsert: [fresh[0]]), to: scratch.path("upserted"))
        #expect(try SeeAlsoEngine(path: scratch.path("upserted")).manifest.sources.filter { $0 == "upsert" }.count == 1)
    }

    @Test func upsertIsNotCombinedWithAnInputAndWritesNothing() throws {
        let scratch = try TemporaryDirectory("upsert-bad")
        defer { scratch.remove() }
        let archive = NewsWorld(seed: 3).articles(count: 40, seed: 4)
        let input = try writeJSONL(archive, to: scratch.path("archive.jsonl"))
        _ = try SeeAlsoEngine.build(ArchiveInput(input), into: scratch.path("index"))
        let generation = try SeeAlsoEngine(path: scratch.path("index")).generation
        #expect(throws: IndexError.self) {
            try SeeAlsoEngine.write(ArchiveChanges(add: ArchiveInput(input), upsert: [archive[0]]), to: scratch.path("index"))
        }
        #expect(try SeeAlsoEngine(path: scratch.path("index")).generation == generation)
    }

    @Test func anArticleEncodesAsAJSONLinesRecordTheReadersReadBack() throws {
        let articles = NewsWorld(seed: 5, mixedScripts: true).articles(count: 300, seed: 6)
        for article in articles {
            #expect(try Article.decodeJSON(JSONLine.encode(article), source: "round trip") == article)
        }
    }
}
