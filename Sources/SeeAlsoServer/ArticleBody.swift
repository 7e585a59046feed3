import Foundation
import Hummingbird
import SeeAlso

/// Articles from request bodies: each object has the JSON Lines fields (`id`, `title`, `body` or
/// `text`, `date`, `url`, `label`, `event`, `lang`) and is checked by the readers' own decoder, so its
/// errors name the field as `seealso build` would.
enum ArticleBody {
    /// The id `Article.decodeJSON` gives an object without one.
    static let absentID = "query"

    /// One article object.
    static func article(_ data: Data, source: String) throws -> Article {
        guard let text = String(data: data, encoding: .utf8) else { throw RequestError.badBody("\(source): not UTF-8 text") }
        guard !text.allSatisfy(\.isWhitespace) else { throw RequestError.badBody("\(source): empty; expected an article object") }
        return try Article.decodeJSON(text, source: source)
    }

    /// The article objects of the array under `key` of the body's object (at most `maximum`; each with
    /// an `id` when `requireIDs`). An absent key is an error unless `optional`.
    static func articles(_ data: Data, key: String, requireIDs: Bool, maximum: Int, optional: Bool = false) throws -> [Article] {
        guard let items = try array(data, key: key, optional: optional) else { return [] }
        guard items.count <= maximum else { throw RequestError.badBody("\(key): \(items.count) articles, more than the \(maximum) allowed") }
        return try items.enumerated().map { position, item in
            let source = "\(key)[\(position)]"
            guard let object = item as? [String: Any] else { throw RequestError.badBody("\(source): expected an article object") }
            if requireIDs && (object["id"] as? String ?? "").isEmpty { throw RequestError.badBody("\(source): missing or empty field \"id\"") }
            return try article(try JSONSerialization.data(withJSONObject: object), source: source)
        }
    }

    /// The strings of the array under `key` (absent: none).
    static func ids(_ data: Data, key: String, maximum: Int) throws -> [String] {
        guard let items = try array(data, key: key, optional: true) else { return [] }
        guard items.count <= maximum else { throw RequestError.badBody("\(key): \(items.count) ids, more than the \(maximum) allowed") }
        return try items.enumerated().map { position, item in
            guard let id = item as? String, !id.isEmpty else { throw RequestError.badBody("\(key)[\(position)]: expected a non-empty id string") }
            return id
        }
    }

    private static func array(_ data: Data, key: String, optional: Bool) throws -> [Any]? {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw RequestError.badBody("request body: not valid JSON")
        }
        guard let object = root as? [String: Any] else { throw RequestError.badBody("request body: expected a JSON object") }
        guard let value = object[key] else {
            if optional { return nil }
            throw RequestError.badBody("request body: missing field \"\(key)\"")
        }
        guard let items = value as? [Any] else { throw RequestError.badBody("\(key): expected an array") }
        return items
    }
}

/// Who may read and write: bearer keys checked against the key files (`APIKeys`).
struct Access: Sendable {
    let writeKeys: APIKeys?
    let readKeys: APIKeys?
    let readOnly: Bool

    /// Reads are open unless read keys are configured; then a read or a write key is needed.
    func requireRead(_ request: Request) throws {
        guard let readKeys else { return }
        let key = try bearer(request)
        guard readKeys.name(ofKey: key) != nil || writeKeys?.name(ofKey: key) != nil else {
            throw RequestError.unauthorized("the key is not a read or write key of this server")
        }
    }

    /// Writes need a write key, and a server that is not read-only.
    func requireWrite(_ request: Request) throws {
        guard !readOnly else { throw RequestError.forbidden("this server is read-only (--read-only)") }
        guard let writeKeys else {
            throw RequestError.forbidden("this server takes no writes: it was started without --api-keys")
        }
        guard writeKeys.name(ofKey: try bearer(request)) != nil else { throw RequestError.unauthorized("the key is not a write key of this server") }
    }

    private func bearer(_ request: Request) throws -> String {
        guard let header = request.headers[.authorization] else {
            throw RequestError.unauthorized("missing \"Authorization: Bearer KEY\" header")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw RequestError.unauthorized("the Authorization header must be \"Bearer KEY\"")
        }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }
}
