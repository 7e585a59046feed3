import Foundation
import SeeAlsoCorpus
import SeeAlsoSupport

/// What a generation produced.
package struct SynthSummary: Sendable, Encodable, Equatable {
    package var output: String
    package var articles: Int
    package var stories: Int
    package var topics: Int
    package var duplicates: Int
    /// JSON Lines bytes generated (before compression).
    package var bytes: Int
    /// Bytes on disk (compressed size for `.gz`).
    package var storedBytes: Int
    package var seconds: Double
    /// Most stories emitting articles at the same time: what bounds the generator's memory.
    package var peakActiveStories: Int

    /// JSON keys (README "JSON output"): counts end in `Count`, sizes in `Bytes`, durations in `Seconds`.
    enum CodingKeys: String, CodingKey {
        case output, storedBytes
        case articles = "articleCount", stories = "storyCount", topics = "topicCount", duplicates = "duplicateCount",
             bytes = "uncompressedBytes", seconds = "wallSeconds", peakActiveStories = "peakActiveStoryCount"
    }

    /// Two lines: the counts, then the size and the rate (MB of JSON Lines per second).
    package var summaryText: String {
        let megabytes = Double(bytes) / 1e6
        return """
            \(output): \(articles) articles, \(stories) stories, \(topics) topics, \(duplicates) duplicates
            \(String(format: "%.1f", megabytes)) MB of JSON Lines (\(storedBytes) bytes on disk) \
            in \(String(format: "%.2f", seconds)) s (\(String(format: "%.1f", megabytes / max(seconds, 1e-9))) MB/s)
            """
    }
}

/// A synthetic news archive: Zipfian background vocabulary, topics with their own words, and
/// stories (events) with their own names, spread over a timeline, plus syndicated near-duplicates.
///
/// Generation streams: stories are planned lazily in date order (`StoryPlanner`) and articles are
/// written in batches by `Parallelism.workerCount` workers through `OrderedPipeline`, so memory
/// stays constant in the number of articles. The bytes depend only on the configuration (seed,
/// counts, knobs), never on the thread count.
package enum SyntheticArchive {
    /// Articles per batch handed to a worker.
    static let batchSize = 256

    /// Generates the archive and hands its JSON Lines bytes to `consume` in output order, in
    /// chunks of whole records. Returns the summary (with `output` empty and `storedBytes` = `bytes`).
    package static func generate(
        _ configuration: SynthConfiguration, workers: Int = Parallelism.workerCount,
        consume: ([UInt8]) throws -> Void
    ) throws -> SynthSummary {
        try run(configuration, workers: workers) { chunk, _ in try consume(chunk) }
    }

    /// Generates the archive into `path` (gzip when it ends in `.gz`), atomically.
    package static func write(
        _ configuration: SynthConfiguration, to path: String, workers: Int = Parallelism.workerCount,
        progress: ProgressTask? = nil
    ) throws -> SynthSummary {
        try configuration.validate()
        let clock = Stopwatch()
        let file = try OutputFile(path: path, gzipLevel: configuration.gzipLevel)
        var summary = try run(configuration, workers: workers) { chunk, articles in
            try file.write(chunk)
            progress?.advance(by: articles)
        }
        try file.commit()
        summary.output = path
        summary.storedBytes = file.storedBytes
        summary.seconds = clock.seconds
        return summary
    }

    /// The pipeline: the planner (sequential) → writers (parallel, one batch each) → `consume`
    /// (in order) with each chunk and its number of records.
    private static func run(
        _ configuration: SynthConfiguration, workers: Int, consume: ([UInt8], Int) throws -> Void
    ) throws -> SynthSummary {
        try configuration.validate()
        let clock = Stopwatch()
        let lexicon = Lexicon(configuration: configuration)
        let planner = StoryPlanner(configuration: configuration, lexicon: lexicon)
        var bytes = 0
        try OrderedPipeline.run(
            workers: workers,
            next: { planner.nextBatch(limit: batchSize) },
            transform: { specs, _ -> ([UInt8], Int) in
                var writer = ArticleWriter(lexicon: lexicon, configuration: configuration)
                var out: [UInt8] = []
                out.reserveCapacity(specs.count * 3 * 1024)
                writer.write(specs, into: &out)
                return (out, specs.count)
            },
            consume: { chunk, articles in
                bytes += chunk.count
                try consume(chunk, articles)
            })
        return SynthSummary(
            output: "", articles: planner.emitted, stories: planner.storiesStarted, topics: configuration.topics,
            duplicates: planner.duplicates, bytes: bytes, storedBytes: bytes, seconds: clock.seconds,
            peakActiveStories: planner.peakActiveStories)
    }

    /// The story (gold event number, 0-based) of every article in output order, with its date and
    /// whether it is a copy, from the plan alone: no text is generated. Memory is O(articles):
    /// for tests and statistics on small archives.
    package static func plan(_ configuration: SynthConfiguration) throws -> [PlannedArticle] {
        try configuration.validate()
        let lexicon = Lexicon(configuration: configuration)
        let planner = StoryPlanner(configuration: configuration, lexicon: lexicon)
        var articles: [PlannedArticle] = []
        while let spec = planner.next() {
            articles.append(PlannedArticle(event: spec.story.number, topic: spec.story.topic,
                                           secondsSinceEpoch: spec.time, isCopy: spec.copy > 0))
        }
        return articles
    }
}

/// One article of a plan (see `SyntheticArchive.plan`).
package struct PlannedArticle: Sendable, Equatable {
    package var event: Int
    package var topic: Int
    package var secondsSinceEpoch: Int64
    package var isCopy: Bool
}
