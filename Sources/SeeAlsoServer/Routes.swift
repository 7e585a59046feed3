import Foundation
import HTTPTypes
import Hummingbird
import SeeAlso

/// The HTTP API (documented in `openapi.json`, served at `GET /openapi.json`).
struct Routes {
    let live: LiveEngine
    let writes: WriteQueue
    let access: Access
    let options: ServerOptions
    let metrics: ServerMetrics

    func register(on router: Router<ServiceContext>) {
        router.get("/healthz") { _, context in
            let engine = try context.servedEngine()
            return jsonResponse(Health(status: "ok", generation: engine.generation, articleCount: engine.articleCount))
        }
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: ResponseBody(byteBuffer: ByteBuffer(bytes: PackageResources.openapi_json)))
        }
        router.get("/metrics") { request, _ in
            try access.requireRead(request)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.text())))
        }
        router.get("/v1/articles/{id}/related") { request, context in
            let engine = try readableEngine(request, context)
            let id = try pathID(context)
            var parameters = try RelatedParameters(request.queryItems)
            if parameters.stored && !parameters.givesK { parameters.options.k = min(parameters.options.k, engine.manifest.k) }
            let list = parameters.stored ? try engine.storedRelated(toArticleWithID: id, options: parameters.options)
                                         : try engine.related(toArticleWithID: id, options: parameters.options)
            return jsonResponse(list)
        }
        router.post("/v1/related") { request, context in
            let engine = try readableEngine(request, context)
            let parameters = try RelatedParameters(request.queryItems)
            try Self.refuseStored(parameters)
            let article = try ArticleBody.article(try await body(request), source: "request body")
            return jsonResponse(try engine.related(to: article, options: parameters.options))
        }
        router.post("/v1/related/batch") { request, context in
            let engine = try readableEngine(request, context)
            let parameters = try RelatedParameters(request.queryItems)
            try Self.refuseStored(parameters)
            let articles = try ArticleBody.articles(try await body(request), key: "articles", requireIDs: false,
                                                    maximum: options.maxBatchArticles)
            return jsonResponse(lists: try engine.related(to: articles, options: parameters.options))
        }
        router.get("/v1/articles/{id}") { request, context in
            let engine = try readableEngine(request, context)
            let id = try pathID(context)
            guard let article = engine.article(withID: id) else { throw IndexError.unknownArticle(id: id) }
            return jsonResponse(ArticleRecord(article, in: engine))
        }
        router.put("/v1/articles/{id}") { request, context in
            try access.requireWrite(request)
            let id = try pathID(context)
            var article = try ArticleBody.article(try await body(request), source: "request body")
            guard article.id == ArticleBody.absentID || article.id == id else {
                throw RequestError.badBody("the body's id \"\(article.id)\" differs from the path's \"\(id)\"")
            }
            article.id = id
            return written(try await writes.submit(upserts: [article], deletes: []), status: .ok)
        }
        router.delete("/v1/articles/{id}") { request, context in
            try access.requireWrite(request)
            let id = try pathID(context)
            return written(try await writes.submit(upserts: [], deletes: [id]), status: .ok)
        }
        router.post("/v1/articles/batch") { request, _ in
            try access.requireWrite(request)
            let data = try await body(request)
            let upserts = try ArticleBody.articles(data, key: "upsert", requireIDs: true, maximum: options.maxQueuedArticles, optional: true)
            let deletes = try ArticleBody.ids(data, key: "delete", maximum: options.maxQueuedArticles)
            guard !upserts.isEmpty || !deletes.isEmpty else { throw RequestError.badBody("give \"upsert\" (articles) or \"delete\" (ids), or both") }
            return written(try await writes.submit(upserts: upserts, deletes: deletes), status: .ok)
        }
        router.get("/v1/topics") { request, context in
            let engine = try readableEngine(request, context)
            return jsonResponse(Topics(topics: engine.clusters?.topics?.clusters ?? []))
        }
        router.get("/v1/stories/{id}") { request, context in
            let engine = try readableEngine(request, context)
            let text = try pathID(context)
            guard let id = Int(text), id >= 0 else { throw RequestError.badParameter("id", "expected a story number, got \"\(text)\"") }
            guard let story = engine.story(id) else { throw RequestError.notFound("no story \(id) in the index") }
            return jsonResponse(StoryRecord(story: story, articles: engine.articles(inStory: id).map { ArticleSummary($0) }))
        }
    }

    /// The engine a read request queries, once its key (if reads need one) is checked.
    private func readableEngine(_ request: Request, _ context: ServiceContext) throws -> SeeAlsoEngine {
        try access.requireRead(request)
        return try context.servedEngine()
    }

    /// The `{id}` path parameter, percent-decoded.
    private func pathID(_ context: ServiceContext) throws -> String {
        let raw = try context.parameters.require("id")
        guard let id = raw.removingPercentEncoding, !id.isEmpty else {
            throw RequestError.badParameter("id", "not a percent-encoded UTF-8 id: \"\(raw)\"")
        }
        return id
    }

    private func body(_ request: Request) async throws -> Data {
        var request = request
        return Data(buffer: try await request.collectBody(upTo: options.maxBodyBytes))
    }

    private func written(_ outcome: WriteOutcome, status: HTTPResponse.Status) -> Response {
        jsonResponse(outcome, status: status, headers: [.seeAlsoGeneration: String(outcome.generation)])
    }

    private static func refuseStored(_ parameters: RelatedParameters) throws {
        if parameters.stored { throw RequestError.badParameter("stored", "a new text has no stored list") }
    }
}

extension Request {
    /// The query's name–value pairs, in order, percent-decoded.
    var queryItems: [(name: String, value: String)] {
        uri.queryParameters.map { (String($0.key), String($0.value)) }
    }
}

struct Health: Encodable {
    var status: String
    var generation: Int
    var articleCount: Int
}

struct Topics: Encodable {
    var topics: [IndexClusters.Description]
}

/// An article's metadata with its topic and story (`GET /v1/articles/{id}`).
struct ArticleRecord: Encodable {
    var id: String
    var title: String
    var date: ArticleDate?
    var url: String?
    var label: String?
    var event: String?
    var lang: String?
    var categories: [String]?
    var tags: [String]?
    var section: [String]?
    var author: [String]?
    var topic: Int?
    var topicTerms: [String]?
    var story: Int?
    var storySize: Int?

    init(_ article: ArticleMetadata, in engine: SeeAlsoEngine) {
        (id, title, date, url, label, event, lang) = (article.id, article.title, article.date, article.url, article.label, article.event,
                                                      article.language)
        func values(_ field: TaxonomyField) -> [String]? { article.taxonomy[field].isEmpty ? nil : article.taxonomy[field] }
        (categories, tags, section, author) = (values(.categories), values(.tags), values(.section), values(.author))
        (topic, story) = engine.clusters(ofArticleWithID: article.id)
        topicTerms = topic.flatMap { engine.topic($0)?.topTerms }
        storySize = story.flatMap { engine.story($0)?.size }
    }
}

struct ArticleSummary: Encodable {
    var id: String
    var title: String
    var date: ArticleDate?
    var url: String?

    init(_ article: ArticleMetadata) { (id, title, date, url) = (article.id, article.title, article.date, article.url) }
}

/// A story's description and its articles (`GET /v1/stories/{id}`).
struct StoryRecord: Encodable {
    var story: IndexClusters.Description
    var articles: [ArticleSummary]
}
