import SeeAlso

/// The query parameters of the related endpoints, named as `seealso related`'s options (with `_` for
/// `-`): `k`, `min_score`, `before`, `after`, `within`, `half_life`, `duplicate_threshold`,
/// `mmr_lambda`, `exclude_id`, `exclude_label` (comma-separated or repeated), `include` and `exclude`
/// (`FIELD=V1,V2` or `FIELD:V1,V2`, repeated for several fields), `explain`, and `stored`
/// (answer from the stored list, as `related --stored`). Defaults are the CLI's.
struct RelatedParameters {
    var options = RelatedOptions()
    var stored = false
    /// Whether the query named `k` (without it, a stored list is asked for at most its stored length).
    var givesK = false

    static let names: Set<String> = ["k", "min_score", "before", "after", "within", "half_life", "duplicate_threshold", "mmr_lambda",
                                     "exclude_id", "exclude_label", "include", "exclude", "explain", "stored"]

    /// Parses `query` (name, value pairs in order); throws `RequestError.badParameter` naming the first
    /// unknown parameter or bad value.
    init(_ query: [(name: String, value: String)]) throws {
        var before = false
        var after = false
        for (name, value) in query {
            switch name {
            case "k":
                options.k = try Self.integer(name, value, 1...RelatedOptions.maximumK)
                givesK = true
            case "explain": options.explainTerms = try Self.integer(name, value, 0...RelatedOptions.maximumExplainTerms)
            case "min_score": options.minScore = try Self.number(name, value, -1...1)
            case "duplicate_threshold": options.duplicateThreshold = try Self.number(name, value, 0...1.0001)
            case "mmr_lambda": options.mmrLambda = try Self.number(name, value, 0...1)
            case "before": before = try Self.flag(name, value)
            case "after": after = try Self.flag(name, value)
            case "stored": stored = try Self.flag(name, value)
            case "within": options.withinSeconds = try Self.duration(name, value)
            case "half_life":
                let seconds = try Self.duration(name, value)
                guard seconds > 0 else { throw RequestError.badParameter(name, "must be longer than 0 s") }
                options.halfLifeSeconds = seconds
            case "exclude_id": options.excludedIds.formUnion(Self.list(value))
            case "exclude_label": options.filters.append(FieldFilter(.exclude, .label, values: Set(Self.list(value))))
            case "include", "exclude":
                do {
                    options.filters.append(try FieldFilter(name == "include" ? .include : .exclude, parsing: value))
                } catch {
                    throw RequestError.badParameter(name, "\(error)")
                }
            default:
                throw RequestError.badParameter(name, "unknown parameter; known: " + Self.names.sorted().joined(separator: ", "))
            }
        }
        guard !(before && after) else { throw RequestError.badParameter("before", "before and after exclude each other") }
        options.direction = before ? .before : after ? .after : .any
    }

    private static func integer(_ name: String, _ value: String, _ range: ClosedRange<Int>) throws -> Int {
        guard let number = Int(value), range.contains(number) else {
            throw RequestError.badParameter(name, "expected an integer in \(range.lowerBound)…\(range.upperBound), got \"\(value)\"")
        }
        return number
    }

    private static func number(_ name: String, _ value: String, _ range: ClosedRange<Float>) throws -> Float {
        guard value.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }), let number = Float(value), number.isFinite,
              range.contains(number) else {
            throw RequestError.badParameter(name, "expected a number in \(range.lowerBound)…\(range.upperBound), got \"\(value)\"")
        }
        return number
    }

    private static func flag(_ name: String, _ value: String) throws -> Bool {
        switch value {
        case "true", "1": return true
        case "false", "0": return false
        default: throw RequestError.badParameter(name, "expected true or false, got \"\(value)\"")
        }
    }

    private static func duration(_ name: String, _ value: String) throws -> Int64 {
        do {
            return try RelatedOptions.parseDuration(value)
        } catch {
            throw RequestError.badParameter(name, "expected a duration such as 365d, 12h or 2w, got \"\(value)\"")
        }
    }

    private static func list(_ value: String) -> [String] {
        value.split(separator: ",").map(String.init).filter { !$0.isEmpty }
    }
}

/// A request the server refuses with a 4xx status, naming what is wrong.
enum RequestError: Error, CustomStringConvertible {
    case badParameter(String, String)
    case badBody(String)
    case unauthorized(String)
    case forbidden(String)
    case notFound(String)

    var description: String {
        switch self {
        case .badParameter(let name, let reason): return "query parameter \(name): \(reason)"
        case .badBody(let reason), .unauthorized(let reason), .forbidden(let reason), .notFound(let reason): return reason
        }
    }
}
