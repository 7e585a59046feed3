import Foundation
import SeeAlso
import SeeAlsoTestSupport

/// Archives written as JSON Lines and indexes built from them through the façade.
enum EngineFixtures {
    /// Build options for small test archives.
    static func options(k: Int, method: BuildOptions.Method = .exact, modelFile: String? = nil) -> BuildOptions {
        var options = BuildOptions()
        options.k = k
        options.method = method
        options.modelFile = modelFile
        return options
    }

    /// Writes `articles` to `name` in `directory` and builds an index of them at `directory/index`.
    @discardableResult
    static func build(_ articles: [Article], in directory: TemporaryDirectory, name: String = "archive.jsonl",
                      index: String = "index", options: BuildOptions) throws -> BuildReport {
        let input = try writeJSONL(articles, to: directory.path(name))
        return try SeeAlsoEngine.build(ArchiveInput(input), into: directory.path(index), options: options)
    }
}
