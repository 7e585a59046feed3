import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SeeAlso

/// Per-request state: the engine of the generation the request reads, fixed when it arrives.
struct ServiceContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    var engine: SeeAlsoEngine?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// The engine set by `ServiceMiddleware`.
    func servedEngine() throws -> SeeAlsoEngine {
        guard let engine else { throw HTTPError(.internalServerError, message: "no index engine for the request") }
        return engine
    }
}

extension HTTPField.Name {
    /// The index generation a response was answered from (or, for a write, published in).
    static let seeAlsoGeneration = HTTPField.Name("SeeAlso-Generation")!
}

/// Runs around every request: fixes the engine it reads, turns every error into a JSON error response
/// with its status (`{"error": {"message": …}}`), sets the generation header, counts and times it.
struct ServiceMiddleware: RouterMiddleware {
    let live: LiveEngine
    let metrics: ServerMetrics
    let logger: Logger
    let routes: RouteTable

    func handle(_ request: Request, context: ServiceContext,
                next: (Request, ServiceContext) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var context = context
        let engine = live.engine
        context.engine = engine
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound
                                              && !routes.methods(for: request.uri.path).isEmpty {
            let allowed = routes.methods(for: request.uri.path)
            response = jsonResponse(["error": ["message": "\(request.method) is not allowed on \(request.uri.path); allowed: \(allowed.joined(separator: ", "))"]],
                                    status: .methodNotAllowed, headers: [.allow: allowed.joined(separator: ", ")])
        } catch {
            response = Self.errorResponse(error, logger: logger)
        }
        if response.headers[.seeAlsoGeneration] == nil { response.headers[.seeAlsoGeneration] = String(engine.generation) }
        let duration = ContinuousClock.now - started
        metrics.request(route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: response.status.code, duration: duration)
        logger.debug("request", metadata: ["method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(response.status.code)",
                                            "ms": "\(duration / .milliseconds(1))"])
        return response
    }

    /// The status and message of every error a route can throw.
    static func errorResponse(_ error: any Error, logger: Logger) -> Response {
        var headers: HTTPFields = [:]
        let status: HTTPResponse.Status
        let message: String
        switch error {
        case let error as RequestError:
            message = error.description
            switch error {
            case .badParameter, .badBody: status = .badRequest
            case .unauthorized:
                status = .unauthorized
                headers[.wwwAuthenticate] = "Bearer"
            case .forbidden: status = .forbidden
            case .notFound: status = .notFound
            }
        case let error as CorpusError:
            (status, message) = (.badRequest, error.description)
        case IndexError.unknownArticle(let id):
            (status, message) = (.notFound, "no article with id \"\(id)\" in the index")
        case IndexError.invalid(let reason):
            (status, message) = (.badRequest, reason)
        case let failure as WriteFailure:
            (status, message, headers) = describe(failure)
        case let error as HTTPError:
            (status, message, headers) = (error.status, error.body ?? error.status.reasonPhrase, error.headers)
        case let error as any HTTPResponseError:
            (status, message) = (error.status, error.status.reasonPhrase)
        default:
            logger.error("request failed", metadata: ["error": "\(error)"])
            (status, message) = (.internalServerError, "\(error)")
        }
        return jsonResponse(["error": ["message": message]], status: status, headers: headers)
    }

    private static func describe(_ failure: WriteFailure) -> (HTTPResponse.Status, String, HTTPFields) {
        switch failure {
        case .queueFull(let seconds):
            return (.tooManyRequests, "the write queue is full; retry after \(seconds) s", [.retryAfter: String(seconds)])
        case .notPublishedInTime(let seconds):
            return (.serviceUnavailable, "the write was not published within \(seconds) s; it stays queued and will be published",
                    [.retryAfter: "1"])
        case .unknownArticles(let ids):
            return (.notFound, "no article with id " + ids.map { "\"\($0)\"" }.joined(separator: ", ") + " in the index; nothing was written", [:])
        case .shuttingDown:
            return (.serviceUnavailable, "the server is shutting down and takes no new writes", [.retryAfter: "5"])
        case .failed(let error):
            if case IndexError.busy = error { return (.serviceUnavailable, "\(error)", [.retryAfter: "5"]) }
            return (.internalServerError, "the write failed: \(error)", [:])
        }
    }
}

/// A JSON response in SeeAlso's one encoding (sorted keys, as the CLI prints).
func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
    jsonResponse(text: JSONLine.encode(value), status: status, headers: headers)
}

/// A related list, written by `RelatedList.json()` (the same bytes, faster).
func jsonResponse(_ list: RelatedList) -> Response { jsonResponse(text: list.json()) }

/// Related lists as `{"lists": [...]}`.
func jsonResponse(lists: [RelatedList]) -> Response {
    jsonResponse(text: "{\"lists\":[" + lists.map { $0.json() }.joined(separator: ",") + "]}")
}

func jsonResponse(text: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
    var headers = headers
    headers[.contentType] = "application/json"
    return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
}
