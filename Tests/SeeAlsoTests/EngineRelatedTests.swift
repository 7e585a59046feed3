import Foundation
import Testing
import SeeAlso
import SeeAlsoTestSupport

/// The façade's related lists: the same lines as `seealso related --format json`, and the batch query
/// equal to one query at a time.
@Suite struct EngineRelatedTests {
    /// An exact index of generated articles, clustered into topics (so that lists carry topics too).
    struct Fixture {
        let scratch: TemporaryDirectory
        let articles: [Article]
        let engine: SeeAlsoEngine

        init(_ label: String) throws {
            scratch = try TemporaryDirectory(label)
            articles = NewsWorld(seed: 81).articles(count: 300, seed: 82)
            try EngineFixtures.build(articles, in: scratch, options: EngineFixtures.options(k: 10))
            var topics = ClusterOptions()
            topics.topics.clusterCount = 6
            _ = try SeeAlsoEngine(path: scratch.path("index")).cluster(options: topics)
            engine = try SeeAlsoEngine(path: scratch.path("index"))
        }
    }

    @Test func relatedToAnIndexedArticleEqualsTheCommandLine() throws {
        let fixture = try Fixture("related-cli")
        defer { fixture.scratch.remove() }
        let ids = [0, 5, 17, 123, 299].map { fixture.articles[$0].id }   // row 5: a non-ASCII id
        #expect(ids.contains { !$0.allSatisfy(\.isASCII) })
        var filtered = RelatedOptions()
        filtered.k = 3
        filtered.direction = .before
        filtered.withinSeconds = 30 * 86_400
        filtered.explainTerms = 2
        filtered.minScore = 0.05
        let cases: [(RelatedOptions, [String])] = [
            (RelatedOptions(), []),
            (filtered, ["-k", "3", "--before", "--within", "30d", "--explain", "2", "--min-score", "0.05"]),
        ]
        for id in ids {
            for (options, arguments) in cases {
                let list = try fixture.engine.related(toArticleWithID: id, options: options)
                #expect(list.id == id && list.topic != nil)
                let printed = try SeeAlsoExecutable.output(["related", "--index", fixture.engine.path, "--id", id, "--format", "json"] + arguments)
                #expect(printed == list.json() + "\n", "id \(id), \(arguments)")
                let decoded = try JSONDecoder().decode(RelatedList.self, from: Data(printed.utf8))
                #expect(decoded == list)
            }
        }
    }

    @Test func batchQueriesEqualOneAtATime() throws {
        let fixture = try Fixture("related-batch")
        defer { fixture.scratch.remove() }
        var texts = NewsWorld(seed: 81).articles(count: 40, seed: 83, idPrefix: "text")
        texts.append(Article(id: "copy", title: fixture.articles[9].title, body: fixture.articles[9].body, date: fixture.articles[9].date))
        texts.append(Article(id: "unknown", title: "Zzzqx", body: "wwwqqq yyyzzz xxxvvv"))
        var options = RelatedOptions()
        options.k = 4
        options.explainTerms = 3
        let batch = try withWorkers(2) { try fixture.engine.related(to: texts, options: options) }
        let single = try texts.map { try fixture.engine.related(to: $0, options: options) }
        #expect(batch == single)
        #expect(batch.map(\.id) == texts.map(\.id))
        // A copy of an indexed article finds it as a copy of the query; unknown words find nothing.
        #expect(batch[40].copies?.contains(fixture.articles[9].id) == true)
        #expect(batch[41].related.isEmpty)
        #expect(batch.dropLast(2).allSatisfy { !$0.related.isEmpty })
    }

    @Test func storedListsMatchTheStoredNeighbours() throws {
        let fixture = try Fixture("related-stored")
        defer { fixture.scratch.remove() }
        var options = RelatedOptions()
        options.k = 10
        options.minScore = 0
        options.duplicateThreshold = 1.01
        var lists: [RelatedList] = []
        try fixture.engine.forEachStoredList(options: options) { lists.append($0) }
        #expect(lists.map(\.id) == fixture.articles.map(\.id))
        let index = try Index(path: fixture.engine.path)
        for (row, list) in lists.enumerated() {
            #expect(list.related.map(\.id) == index.storedList(row).map { index.id($0.row) })
            #expect(list.related.map(\.similarity) == index.storedList(row).map(\.score))
        }
    }
}
