import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SeeAlso
import SeeAlsoServer
import SeeAlsoTestSupport
import Testing

/// Writes over HTTP: keys, visibility to the next read, group commit, the queue limit, and a CLI
/// writer's generation picked up live.
@Suite struct WriteEndpointTests {
    static let world = NewsWorld(seed: 11, topicCount: 4, storiesPerTopic: 5)

    @Test func writesNeedAWriteKeyOnAWritableServer() async throws {
        let fixture = try ServerFixture("serve-keys", count: 60)
        defer { fixture.remove() }
        let article = Self.world.articles(count: 1, seed: 3, idPrefix: "new")[0]
        let uri = "/v1/articles/\(pathComponent(article.id))"
        try await fixture.withServer(fixture.options()) { client in
            #expect(await client.status(.put, uri, json: jsonBody(article)) == .unauthorized)
            #expect(await client.status(.put, uri, key: "sa_" + String(repeating: "f", count: 64), json: jsonBody(article)) == .unauthorized)
            #expect(await client.status(.put, uri, key: String(fixture.writeKey.dropLast()), json: jsonBody(article)) == .unauthorized)
            #expect(await client.status(.get, uri) == .notFound)
            #expect(await client.status(.put, uri, key: fixture.writeKey, json: jsonBody(article)) == .ok)
        }
        try await fixture.withServer(fixture.options { $0.readOnly = true }) { client in
            #expect(await client.status(.delete, uri, key: fixture.writeKey) == .forbidden)
        }
        try await fixture.withServer(fixture.options(keys: false)) { client in
            let response = try await client.send(.delete, uri, key: fixture.writeKey)
            #expect(response.status == .forbidden)
            #expect(response.errorMessage.contains("--api-keys"))
        }
    }

    @Test func aWriteIsVisibleToTheNextRead() async throws {
        let fixture = try ServerFixture("serve-write")
        defer { fixture.remove() }
        let key = fixture.writeKey
        let fresh = Self.world.articles(count: 3, seed: 8, idPrefix: "fresh")
        try await fixture.withServer(fixture.options()) { client in
            let before = try await client.send(.get, "/healthz")
            let put = try await client.send(.put, "/v1/articles/\(pathComponent(fresh[0].id))", key: key, json: jsonBody(fresh[0]))
            #expect(put.status == .ok, "\(put.text)")
            #expect(put.object["added"] as? [String] == [fresh[0].id])
            let generation = try #require(put.generation)
            #expect(generation > before.generation ?? .max)
            let read = try await client.send(.get, "/v1/articles/\(pathComponent(fresh[0].id))/related?k=5")
            #expect(read.status == .ok)
            #expect(read.generation == generation)
            let engine = try SeeAlsoEngine(path: fixture.index)
            var options = RelatedOptions()
            options.k = 5
            #expect(read.text == JSONLine.encode(try engine.related(toArticleWithID: fresh[0].id, options: options)))

            // The same id again replaces it; a different id in the body is refused.
            var corrected = fresh[0]
            corrected.title = "Corrected: " + corrected.title
            let update = try await client.send(.put, "/v1/articles/\(pathComponent(corrected.id))", key: key, json: jsonBody(corrected))
            #expect(update.object["updated"] as? [String] == [corrected.id])
            let record = try await client.send(.get, "/v1/articles/\(pathComponent(corrected.id))")
            #expect(record.object["title"] as? String == corrected.title)
            let mismatch = try await client.send(.put, "/v1/articles/other", key: key, json: jsonBody(fresh[1]))
            #expect(mismatch.status == .badRequest)

            // A batch: upsert two, delete one; an unknown id in a delete writes nothing of its request.
            let batch = "{\"upsert\":[\(jsonBody(fresh[1])),\(jsonBody(fresh[2]))],\"delete\":[\"\(fresh[0].id)\"]}"
            let written = try await client.send(.post, "/v1/articles/batch", key: key, json: batch)
            #expect(written.status == .ok, "\(written.text)")
            #expect(Set(written.object["added"] as? [String] ?? []) == [fresh[1].id, fresh[2].id])
            #expect(written.object["deleted"] as? [String] == [fresh[0].id])
            #expect(await client.status(.get, "/v1/articles/\(pathComponent(fresh[0].id))") == .notFound)
            let unknown = try await client.send(.post, "/v1/articles/batch", key: key,
                                                json: "{\"delete\":[\"\(fresh[1].id)\",\"never-there\"]}")
            #expect(unknown.status == .notFound)
            #expect(unknown.errorMessage.contains("never-there"))
            #expect(await client.status(.get, "/v1/articles/\(pathComponent(fresh[1].id))") == .ok)
            #expect(await client.status(.delete, "/v1/articles/never-there", key: key) == .notFound)
            #expect(await client.status(.post, "/v1/articles/batch", key: key, json: "{\"upsert\":[{\"body\":\"no id\"}]}") == .badRequest)
        }
    }

    @Test func concurrentWritesShareGenerations() async throws {
        let fixture = try ServerFixture("serve-group")
        defer { fixture.remove() }
        let articles = Self.world.articles(count: 24, seed: 21, idPrefix: "burst")
        let first = try SeeAlsoEngine(path: fixture.index).generation
        let key = fixture.writeKey
        let generations = try await fixture.withServer(fixture.options(), .ahc(.http)) { client in
            try await withThrowingTaskGroup(of: Int?.self) { group in
                for article in articles {
                    group.addTask {
                        let response = try await client.send(.put, "/v1/articles/\(pathComponent(article.id))", key: key, json: jsonBody(article))
                        if response.status != .ok { Issue.record("\(article.id): \(response.status) \(response.text)") }
                        return response.status == .ok ? response.generation : nil
                    }
                }
                var generations: [Int?] = []
                for try await generation in group { generations.append(generation) }
                return generations
            }
        }
        #expect(generations.allSatisfy { $0 != nil })
        let published = Set(generations.compactMap { $0 })
        #expect(published.count < articles.count, "group commit: \(published.count) generations for \(articles.count) writes")
        let engine = try SeeAlsoEngine(path: fixture.index)
        #expect(engine.generation == first + published.count)
        #expect(articles.allSatisfy { engine.article(withID: $0.id) != nil })
        #expect(engine.articleCount == fixture.articles.count + articles.count)
    }

    @Test func aFullQueueAnswers429WithRetryAfter() async throws {
        let fixture = try ServerFixture("serve-queue")
        defer { fixture.remove() }
        let articles = Self.world.articles(count: 12, seed: 31, idPrefix: "queued")
        let key = fixture.writeKey
        let statuses = try await fixture.withServer(fixture.options { $0.maxQueuedArticles = 1 }, .ahc(.http)) { client in
            try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for article in articles {
                    group.addTask {
                        let response = try await client.send(.put, "/v1/articles/\(pathComponent(article.id))", key: key, json: jsonBody(article))
                        return (response.status, response.headers[.retryAfter])
                    }
                }
                var statuses: [(HTTPResponse.Status, String?)] = []
                for try await status in group { statuses.append(status) }
                return statuses
            }
        }
        #expect(statuses.contains { $0.0 == .ok })
        let refused = statuses.filter { $0.0 == .tooManyRequests }
        #expect(!refused.isEmpty)
        #expect(refused.allSatisfy { Int($0.1 ?? "") ?? 0 >= 1 })
        #expect(statuses.allSatisfy { $0.0 == .ok || $0.0 == .tooManyRequests }, "\(statuses.map(\.0))")
    }

    /// Readers never fail while generations change under them: concurrent reads during HTTP writes and
    /// CLI writes (each a publish and a reload) all answer 200.
    @Test func readsNeverFailWhileGenerationsChange() async throws {
        let fixture = try ServerFixture("serve-reads")
        defer { fixture.remove() }
        let key = fixture.writeKey
        let ids = fixture.articles.prefix(40).map(\.id)
        let updates = Self.world.articles(count: 6, seed: 51, idPrefix: "w")
        let cliInput = try writeJSONL(Self.world.articles(count: 3, seed: 52, idPrefix: "cli"), to: fixture.scratch.path("cli.jsonl"))
        let first = try SeeAlsoEngine(path: fixture.index).generation
        let (statuses, generations) = try await fixture.withServer(fixture.options(), .ahc(.http)) { client in
            try await withThrowingTaskGroup(of: [(HTTPResponse.Status, Int?)].self) { group in
                for reader in 0..<4 {
                    group.addTask {
                        var seen: [(HTTPResponse.Status, Int?)] = []
                        for round in 0..<60 {
                            let id = ids[(reader * 7 + round) % ids.count]
                            let response = try await client.send(.get, "/v1/articles/\(pathComponent(id))/related?k=5")
                            seen.append((response.status, response.generation))
                        }
                        return seen
                    }
                }
                group.addTask {
                    for article in updates {
                        _ = try await client.send(.put, "/v1/articles/\(pathComponent(article.id))", key: key, json: jsonBody(article))
                    }
                    _ = try SeeAlsoExecutable.output(["add", "--index", fixture.index, "--input", cliInput, "--quiet"])
                    return []
                }
                var all: [(HTTPResponse.Status, Int?)] = []
                for try await seen in group { all += seen }
                return (all.map(\.0), Set(all.compactMap(\.1)))
            }
        }
        #expect(statuses.count == 240)
        #expect(statuses.allSatisfy { $0 == .ok }, "\(statuses.filter { $0 != .ok })")
        #expect(generations.count > 1, "the reads should span several generations: \(generations.sorted())")
        #expect(try SeeAlsoEngine(path: fixture.index).generation > first)
    }

    @Test func aCLIWriterIsPickedUpLive() async throws {
        let fixture = try ServerFixture("serve-live")
        defer { fixture.remove() }
        let added = Self.world.articles(count: 2, seed: 41, idPrefix: "cli")
        let input = try writeJSONL(added, to: fixture.scratch.path("added.jsonl"))
        let victim = fixture.articles[7].id
        try await fixture.withServer(fixture.options()) { client in
            let before = try await client.send(.get, "/healthz")
            _ = try SeeAlsoExecutable.output(["add", "--index", fixture.index, "--input", input, "--quiet"])
            _ = try SeeAlsoExecutable.output(["delete", "--index", fixture.index, "--id", victim, "--quiet"])
            let live = try SeeAlsoEngine(path: fixture.index).generation
            var served = before.generation ?? 0
            for _ in 0..<200 where served < live {
                try await Task.sleep(for: .milliseconds(25))
                served = try await client.send(.get, "/healthz").generation ?? 0
            }
            #expect(served == live)
            #expect(await client.status(.get, "/v1/articles/\(pathComponent(added[1].id))") == .ok)
            #expect(await client.status(.get, "/v1/articles/\(pathComponent(victim))") == .notFound)
        }
    }
}
