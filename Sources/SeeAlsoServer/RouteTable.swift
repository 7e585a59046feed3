import Foundation

/// The paths and methods of the OpenAPI document the server embeds, for telling "no such path" (404)
/// from "no such method on this path" (405 with `Allow`).
struct RouteTable: Sendable {
    private let routes: [(segments: [String], methods: [String])]

    /// Reads the `paths` of an OpenAPI document; `{name}` segments match any one segment.
    init(openAPI document: [UInt8]) {
        let paths = ((try? JSONSerialization.jsonObject(with: Data(document))) as? [String: Any])?["paths"] as? [String: Any] ?? [:]
        routes = paths.map { path, operations in
            let methods = ((operations as? [String: Any]) ?? [:]).keys.map { $0.uppercased() }.sorted()
            return (path.split(separator: "/").map(String.init), methods)
        }
    }

    /// The methods the document gives `path`, or empty when no path matches.
    func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/").map(String.init)
        let matches = routes.filter { route in
            route.segments.count == segments.count
                && zip(route.segments, segments).allSatisfy { template, actual in template.hasPrefix("{") || template == actual }
        }
        // A literal path ("/v1/articles/batch") takes precedence over a template ("/v1/articles/{id}").
        let best = matches.min { $0.segments.filter { $0.hasPrefix("{") }.count < $1.segments.filter { $0.hasPrefix("{") }.count }
        return best?.methods ?? []
    }
}
