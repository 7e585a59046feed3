import Foundation
import Testing
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

    /// A small partitioned index at `scratch/index` with topics and stories, a tail (6 added articles,
    /// ids n0…) and a deleted article (the fifth); its path, live generation and the built articles.
    static func clusteredPartitionedIndex(in scratch: TemporaryDirectory) throws -> (index: String, generation: String, articles: [Article]) {
        let world = NewsWorld(seed: 95, topicCount: 4, storiesPerTopic: 3)
        let articles = world.articles(count: 120, seed: 1)
        var options = options(k: 5, method: .partitioned)
        options.partitioned.candidates = .partitions(count: 3, probes: 2)
        options.partitioned.dimensions = 8
        options.recallSample = 0
        try build(articles, in: scratch, options: options)
        let index = scratch.path("index")
        var clusterOptions = ClusterOptions()
        clusterOptions.topics.clusterCount = 3
        _ = try SeeAlsoEngine(path: index).cluster(options: clusterOptions)
        clusterOptions.kind = .stories
        _ = try SeeAlsoEngine(path: index).cluster(options: clusterOptions)
        let added = try writeJSONL(world.articles(count: 6, seed: 2, idPrefix: "n"), to: scratch.path("added.jsonl"))
        _ = try SeeAlsoEngine.write(ArchiveChanges(add: ArchiveInput(added), delete: [articles[4].id]), to: index)
        return (index, try #require(try IndexDirectory(path: index).liveGeneration()), articles)
    }

    /// Writes `articles` to `name` in `directory` and builds an index of them at `directory/index`.
    @discardableResult
    static func build(_ articles: [Article], in directory: TemporaryDirectory, name: String = "archive.jsonl",
                      index: String = "index", options: BuildOptions) throws -> BuildReport {
        let input = try writeJSONL(articles, to: directory.path(name))
        return try SeeAlsoEngine.build(ArchiveInput(input), into: directory.path(index), options: options)
    }
}
