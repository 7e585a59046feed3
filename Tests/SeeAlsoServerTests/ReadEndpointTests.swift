import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SeeAlso
import SeeAlsoServer
import SeeAlsoTestSupport
import Testing

/// Every read endpoint over a live loopback server: the same lists as the library and the CLI, the
/// documented errors, the generation header.
@Suite struct ReadEndpointTests {
    /// The related-list query strings tried, each with the CLI options that mean the same.
    static let queries: [(query: String, cli: [String])] = [
        ("k=5", ["-k", "5"]),
        ("k=8&before=true&within=30d", ["-k", "8", "--before", "--within", "30d"]),
        ("k=4&half_life=10d&min_score=0.05&explain=3", ["-k", "4", "--half-life", "10d", "--min-score", "0.05", "--explain", "3"]),
        ("k=6&mmr_lambda=0.7&duplicate_threshold=0.5&exclude_label=topic-1", ["-k", "6", "--mmr-lambda", "0.7", "--duplicate-threshold", "0.5",
                                                                               "--exclude-label", "topic-1"]),
        ("k=3&stored=true", ["-k", "3", "--stored"]),
        ("k=5&include=category%3DCategory%201,Category%202&exclude=tags:t3&exclude=section=Sport",
         ["-k", "5", "--include", "category=Category 1,Category 2", "--exclude", "tags=t3", "--exclude", "section=Sport"]),
        ("k=4&stored=true&include=tag=t1,t2", ["-k", "4", "--stored", "--include", "tag=t1,t2"]),
    ]

    @Test func relatedByIDEqualsTheCLI() async throws {
        let fixture = try ServerFixture("serve-related")
        defer { fixture.remove() }
        let ids = stride(from: 0, to: fixture.articles.count, by: 37).map { fixture.articles[$0].id }
        try await fixture.withServer(fixture.options()) { client in
            let dated = Set(fixture.articles.filter { $0.date != nil }.map(\.id))
            for id in ids {
                for (query, cli) in Self.queries {
                    let response = try await client.send(.get, "/v1/articles/\(pathComponent(id))/related?\(query)")
                    #expect(response.generation != nil)
                    guard dated.contains(id) || !query.contains("within") else {
                        // An undated article cannot be placed in time: both refuse, naming why.
                        #expect(response.status == .badRequest && response.text.contains("has no date"), "\(id) \(query): \(response.text)")
                        let run = try SeeAlsoExecutable.run(["related", "--index", fixture.index, "--id", id, "--format", "json"] + cli)
                        #expect(run.status != 0 && run.error.contains("has no date"), "\(id) \(query): \(run.error)")
                        continue
                    }
                    #expect(response.status == .ok, "\(id) \(query): \(response.text)")
                    let printed = try SeeAlsoExecutable.output(["related", "--index", fixture.index, "--id", id, "--format", "json"] + cli)
                    #expect(response.text == printed.trimmingCharacters(in: .newlines), "\(id) \(query)")
                }
            }
            #expect(ids.contains { !dated.contains($0) } && ids.contains(where: dated.contains), "the ids should include dated and undated articles")
        }
    }

    @Test func newTextsEqualTheLibrary() async throws {
        let fixture = try ServerFixture("serve-text")
        defer { fixture.remove() }
        let engine = try SeeAlsoEngine(path: fixture.index)
        let drafts = NewsWorld(seed: 11, topicCount: 4, storiesPerTopic: 5).articles(count: 6, seed: 99, idPrefix: "draft")
        let options = {
            var options = RelatedOptions()
            options.k = 7
            options.direction = .before
            return options
        }()
        try await fixture.withServer(fixture.options()) { client in
            for draft in drafts {
                let response = try await client.send(.post, "/v1/related?k=7&before=true", json: jsonBody(draft))
                #expect(response.status == .ok, "\(response.text)")
                #expect(response.text == JSONLine.encode(try engine.related(to: draft, options: options)))
            }
            let batch = "{\"articles\":[" + drafts.map(jsonBody).joined(separator: ",") + "]}"
            let response = try await client.send(.post, "/v1/related/batch?k=7&before=true", json: batch)
            #expect(response.status == .ok)
            #expect(response.text == JSONLine.encode(["lists": try engine.related(to: drafts, options: options)]))
        }
    }

    @Test func articlesTopicsStoriesHealthAndMetrics() async throws {
        let fixture = try ServerFixture("serve-meta")
        defer { fixture.remove() }
        let engine = try SeeAlsoEngine(path: fixture.index)
        let article = fixture.articles[3]
        let story = try #require(engine.clusters?.stories?.clusters.first { $0.size > 1 })
        try await fixture.withServer(fixture.options()) { client in
            let health = try await client.send(.get, "/healthz")
            #expect(health.status == .ok)
            #expect(health.object["articleCount"] as? Int == fixture.articles.count)
            #expect(health.generation == engine.generation)

            let record = try await client.send(.get, "/v1/articles/\(pathComponent(article.id))")
            #expect(record.status == .ok)
            #expect(record.object["id"] as? String == article.id)
            #expect(record.object["title"] as? String == article.title)
            #expect(record.object["topic"] as? Int == engine.clusters(ofArticleWithID: article.id).topic)

            let topics = try await client.send(.get, "/v1/topics")
            #expect((topics.object["topics"] as? [Any])?.count == engine.clusters?.topics?.clusters.count)

            let stories = try await client.send(.get, "/v1/stories/\(story.id)")
            #expect(stories.status == .ok)
            #expect((stories.object["articles"] as? [Any])?.count == story.size)

            let metrics = try await client.send(.get, "/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.text.contains("seealso_http_requests_total{route=\"/v1/stories/{id}\",method=\"GET\",status=\"200\"} 1"))
            #expect(metrics.text.contains("seealso_index_generation \(engine.generation)"))

            let document = try await client.send(.get, "/openapi.json")
            #expect(document.status == .ok)
            let paths = Set(((document.object["paths"] as? [String: Any]) ?? [:]).keys)
            #expect(paths == ["/healthz", "/openapi.json", "/metrics", "/v1/articles/{id}/related", "/v1/related", "/v1/related/batch",
                              "/v1/articles/{id}", "/v1/articles/batch", "/v1/topics", "/v1/stories/{id}"])
        }
    }

    @Test func badRequestsGetTheirStatusAndNameWhatIsWrong() async throws {
        let fixture = try ServerFixture("serve-bad")
        defer { fixture.remove() }
        let id = pathComponent(fixture.articles[0].id)
        let options = fixture.options { $0.maxBodyBytes = 4096; $0.maxBatchArticles = 3 }
        try await fixture.withServer(options) { client in
            let cases: [(HTTPRequest.Method, String, String?, HTTPResponse.Status, String)] = [
                (.get, "/v1/articles/\(id)/related?k=0", nil, .badRequest, "k"),
                (.get, "/v1/articles/\(id)/related?k=abc", nil, .badRequest, "k"),
                (.get, "/v1/articles/\(id)/related?min_score=nan", nil, .badRequest, "min_score"),
                (.get, "/v1/articles/\(id)/related?within=0x10d", nil, .badRequest, "within"),
                (.get, "/v1/articles/\(id)/related?before=true&after=true", nil, .badRequest, "before"),
                (.get, "/v1/articles/\(id)/related?colour=red", nil, .badRequest, "colour"),
                (.get, "/v1/articles/\(id)/related?include=colour=red", nil, .badRequest, "unknown field 'colour'"),
                (.get, "/v1/articles/\(id)/related?exclude=tags", nil, .badRequest, "exclude"),
                (.get, "/v1/articles/no-such-id/related", nil, .notFound, "no-such-id"),
                (.get, "/v1/articles/no-such-id", nil, .notFound, "no-such-id"),
                (.get, "/v1/stories/abc", nil, .badRequest, "story number"),
                (.get, "/v1/stories/99999", nil, .notFound, "99999"),
                (.get, "/v1/nothing-here", nil, .notFound, ""),
                (.post, "/v1/related", "{\"title\": 3, \"body\": \"x\"}", .badRequest, "title"),
                (.post, "/v1/related", "{\"title\": \"no body\"}", .badRequest, "body"),
                (.post, "/v1/related", "not json", .badRequest, ""),
                (.post, "/v1/related", "", .badRequest, "empty"),
                (.post, "/v1/related?stored=true", "{\"body\": \"x\"}", .badRequest, "stored"),
                (.post, "/v1/related?before=true", "{\"body\": \"an undated draft\"}", .badRequest, "has no date"),
                (.post, "/v1/related/batch?within=3d", "{\"articles\": [{\"body\": \"a\", \"date\": \"2020-01-01\"}, {\"body\": \"b\"}]}",
                 .badRequest, "articles[1]"),
                (.get, "/v1/articles/\(id)/related?stored=true&k=11", nil, .badRequest, "stored list length 10"),
                (.post, "/v1/related", "{\"body\": \"" + String(repeating: "word ", count: 2000) + "\"}", .contentTooLarge, ""),
                (.post, "/v1/related/batch", "{\"articles\": [{\"body\": \"a\"}, 7]}", .badRequest, "articles[1]"),
                (.post, "/v1/related/batch", "{\"articles\": [" + Array(repeating: "{\"body\": \"a\"}", count: 4).joined(separator: ",") + "]}",
                 .badRequest, "more than the 3"),
                (.post, "/v1/related/batch", "[]", .badRequest, "object"),
                (.patch, "/v1/articles/\(id)", nil, .methodNotAllowed, "DELETE, GET, PUT"),
                (.trace, "/healthz", nil, .methodNotAllowed, "allowed: GET"),
                (.get, "/v1/articles/batch", nil, .methodNotAllowed, "allowed: POST"),
            ]
            for (method, uri, body, status, named) in cases {
                let response = try await client.send(method, uri, json: body)
                #expect(response.status == status, "\(method) \(uri): \(response.text)")
                #expect(response.generation != nil, "\(uri)")
                if !named.isEmpty {
                    #expect(response.errorMessage.contains(named), "\(uri): \(response.errorMessage)")
                }
            }
        }
    }

    @Test func readKeysProtectReads() async throws {
        let fixture = try ServerFixture("serve-readkeys", count: 60)
        defer { fixture.remove() }
        let readKey = try APIKeys.create(file: fixture.scratch.path("read.keys"), name: "front-end")
        let options = fixture.options { $0.readKeysFile = fixture.scratch.path("read.keys") }
        let id = pathComponent(fixture.articles[0].id)
        try await fixture.withServer(options) { client in
            #expect(await client.status(.get, "/v1/articles/\(id)") == .unauthorized)
            #expect(await client.status(.get, "/v1/articles/\(id)", key: "sa_" + String(repeating: "0", count: 64)) == .unauthorized)
            #expect(await client.status(.get, "/v1/articles/\(id)", key: readKey) == .ok)
            #expect(await client.status(.get, "/v1/articles/\(id)", key: fixture.writeKey) == .ok)
            #expect(await client.status(.get, "/healthz") == .ok)
            #expect(await client.status(.delete, "/v1/articles/\(id)", key: readKey) == .unauthorized)
        }
    }
}
