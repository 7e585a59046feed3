import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SeeAlso
import SeeAlsoServer
import SeeAlsoTestSupport

/// A small clustered index and the servers the tests start over it (on an ephemeral loopback port).
struct ServerFixture {
    let scratch: TemporaryDirectory
    let articles: [Article]
    var index: String { scratch.path("index") }
    var keys: String { scratch.path("write.keys") }
    let writeKey: String

    /// `count` generated articles, an exact index (k = 10) with topics and stories, and one write key.
    init(_ label: String, count: Int = 240) throws {
        let scratch = try TemporaryDirectory(label)
        // A CMS taxonomy drawn from the row, so that include/exclude filters have something to select.
        let articles = NewsWorld(seed: 11, topicCount: 4, storiesPerTopic: 5).articles(count: count, seed: 5).enumerated().map { row, article in
            var article = article
            article.taxonomy = ArticleTaxonomy(categories: row % 4 == 0 ? [] : ["Category \(row % 3)"], tags: ["t\(row % 5)", "t\(row % 7)"],
                                               section: [["News", "Sport"][row % 2]])
            return article
        }
        let index = scratch.path("index")
        let input = try writeJSONL(articles, to: scratch.path("archive.jsonl"))
        var options = BuildOptions()
        options.k = 10
        options.method = .exact
        _ = try SeeAlsoEngine.build(ArchiveInput(input), into: index, options: options)
        var stories = ClusterOptions()
        stories.kind = .stories
        stories.stories.threshold = 0.3
        _ = try SeeAlsoEngine(path: index).cluster(options: ClusterOptions())
        _ = try SeeAlsoEngine(path: index).cluster(options: stories)
        writeKey = try APIKeys.create(file: scratch.path("write.keys"), name: "test-cms")
        self.scratch = scratch
        self.articles = articles
    }

    func options(keys: Bool = true, configure: (inout ServerOptions) -> Void = { _ in }) -> ServerOptions {
        var options = ServerOptions(indexPath: index)
        options.port = 0
        options.writeKeysFile = keys ? self.keys : nil
        options.reloadIntervalSeconds = 0.05
        configure(&options)
        return options
    }

    /// Runs `test` against a live server with `options` (one connection; `.ahc` for concurrent requests).
    func withServer<Value: Sendable>(_ options: ServerOptions, _ setup: TestingSetup = .live,
                                     _ test: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        var logger = Logger(label: "seealso.serve.test")
        logger.logLevel = .warning
        return try await SeeAlsoServer.application(options, logger: logger).test(setup, test)
    }

    func remove() { scratch.remove() }
}

extension TestClientProtocol {
    /// A request with an optional bearer key and JSON body.
    func send(_ method: HTTPRequest.Method, _ uri: String, key: String? = nil, json: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let key { headers[.authorization] = "Bearer " + key }
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

extension TestClientProtocol {
    /// The status of `send`, or nil when the request failed.
    func status(_ method: HTTPRequest.Method, _ uri: String, key: String? = nil, json: String? = nil) async -> HTTPResponse.Status? {
        try? await send(method, uri, key: key, json: json).status
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
    var generation: Int? { headers[HTTPField.Name("SeeAlso-Generation")!].flatMap { Int($0) } }
    var errorMessage: String { ((object["error"] as? [String: Any])?["message"] as? String) ?? "" }
}

/// One article as the JSON body of a request.
func jsonBody(_ article: Article) -> String { JSONLine.encode(article) }

/// Percent-encodes an id for a URL path.
func pathComponent(_ id: String) -> String { id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id }
