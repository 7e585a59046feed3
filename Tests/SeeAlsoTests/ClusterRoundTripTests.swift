import Foundation
import Testing
import SeeAlso
import SeeAlsoTestSupport

/// Topics and stories through a real index: `cluster(options:)` publishes a new generation holding the
/// clusters, `related` shows them, `evaluate` scores them, and an engine keeps answering from the
/// generation it opened until `reopened()`.
@Suite struct ClusterRoundTripTests {
    /// Two topics with three stories each; each story's four articles share words and fall within 3 days.
    static func archive() -> [Article] {
        let words = ["zor", "quem", "blat", "trix", "vulm", "snod", "pilk", "merg", "wabe", "frum", "glon", "hask"]
        var articles: [Article] = []
        for topic in 0..<2 {
            for story in 0..<3 {
                let storyWords = (0..<4).map { "\(words[(topic * 6 + story * 2 + $0) % words.count])\(topic)\(story)" }
                let topicWords = (0..<4).map { "topic\(topic)word\($0)" }
                for copy in 0..<4 {
                    let body = (0..<30).map { index -> String in
                        index % 3 == 0 ? topicWords[(index + copy) % 4] : storyWords[(index + copy) % 4]
                    }.joined(separator: " ")
                    let day = 1 + story * 10 + copy % 3
                    articles.append(Article(id: "a\(articles.count)", title: "\(storyWords[0]) \(topicWords[copy % 4])",
                                            body: body + " common filler text", date: ArticleDate(iso: String(format: "2020-03-%02d", day)),
                                            label: "topic\(topic)", event: "story\(topic)-\(story)"))
                }
            }
        }
        return articles
    }

    static func build(_ scratch: TemporaryDirectory) throws -> SeeAlsoEngine {
        var options = EngineFixtures.options(k: 8)
        options.tfidf.minDF = .count(1)
        try EngineFixtures.build(Self.archive(), in: scratch, options: options)
        return try SeeAlsoEngine(path: scratch.path("index"))
    }

    static var topics: ClusterOptions {
        var options = ClusterOptions()
        options.topics.clusterCount = 2
        options.topics.representation = .tfidf
        options.gold = .label
        return options
    }

    static var stories: ClusterOptions {
        var options = ClusterOptions()
        options.kind = .stories
        options.stories.threshold = 0.3
        options.stories.windowSeconds = 7 * 86_400
        options.gold = .event
        return options
    }

    @Test func topicsAndStoriesSurviveAnIndexRoundTrip() throws {
        let scratch = try TemporaryDirectory("cluster")
        defer { scratch.remove() }
        let engine = try Self.build(scratch)
        #expect(engine.clusters == nil)

        let topics = try engine.cluster(options: Self.topics)
        #expect(topics.stored && topics.kind == "topics")
        #expect(topics.clusters == 2)
        #expect(topics.metrics?.normalizedMutualInformation == 1)
        #expect(topics.descriptions.count == 2 && topics.descriptions.allSatisfy { $0.size == 12 })

        // The engine still answers from the generation it opened; a reopened one sees the topics.
        let withTopics = try engine.reopened()
        #expect(withTopics.generationPath != engine.generationPath)
        #expect(try engine.related(toArticleWithID: "a0").topic == nil)
        #expect(try withTopics.related(toArticleWithID: "a0").topic != nil)
        #expect(withTopics.clusters?.topics?.clusters.count == 2 && withTopics.clusters?.stories == nil)

        let stories = try withTopics.cluster(options: Self.stories)
        #expect(stories.clusters == 6 && stories.multiMemberStories == 6)
        #expect(stories.metrics?.normalizedMutualInformation == 1)

        // Both kinds are stored: related shows them, evaluate scores them.
        let both = try withTopics.reopened()
        var short = RelatedOptions()
        short.k = 3
        let related = try both.related(toArticleWithID: "a0", options: short)
        let topic = try #require(related.topic)
        let story = try #require(related.story)
        #expect(related.storySize == 4)
        #expect(related.topicTerms == both.topic(topic)?.topTerms)
        #expect(!related.related.isEmpty && related.related.allSatisfy { $0.topic == topic })
        #expect(both.story(story)?.size == 4)
        let box = try SeeAlsoExecutable.output(["related", "--index", both.path, "--id", "a0", "-k", "2"])
        #expect(box.contains("topic \(topic)") && box.contains("story \(story) (4 articles)"), "\(box)")

        let evaluation = try both.evaluate(gold: .event, k: 3)
        let storyMetrics = try #require(evaluation.stories?.metrics)
        let topicMetrics = try #require(evaluation.topics?.metrics)
        #expect(storyMetrics.normalizedMutualInformation == 1 && storyMetrics.bcubedF1 == 1)
        #expect(topicMetrics.homogeneity < 0.9 && abs(topicMetrics.completeness - 1) < 1e-9)
        #expect(evaluation.lists.queries == 24 && evaluation.lists.k == 3)
        #expect(evaluation.topics?.method == topics.method && evaluation.stories?.method == stories.method)

        // `seealso eval --format json` prints the same evaluation.
        let printed = try SeeAlsoExecutable.output(["eval", "--index", both.path, "--gold", "event", "--format", "json", "-k", "3"])
        #expect(printed == JSONLine.encode(evaluation) + "\n")

        // Re-clustering topics (here through `seealso cluster`) keeps the stored stories.
        let reclustered = try SeeAlsoExecutable.output(["cluster", "--index", both.path, "--k", "3", "--quiet", "--format", "json"])
        #expect(reclustered.contains(#""stored":true"#))
        let again = try both.reopened().evaluate(gold: .event, k: 3)
        #expect(again.stories?.metrics.normalizedMutualInformation == 1)
        #expect(again.topics?.metrics.clusters == 3)
        // The old engines still answer.
        #expect(try engine.related(toArticleWithID: "a5").id == "a5")
        #expect(try both.related(toArticleWithID: "a5").story != nil)
    }

    /// Clustering without storing publishes nothing; an archive file can be clustered into topics directly.
    @Test func unstoredAndArchiveClusterings() throws {
        let scratch = try TemporaryDirectory("cluster-unstored")
        defer { scratch.remove() }
        let engine = try Self.build(scratch)
        var options = Self.topics
        options.store = false
        let report = try engine.cluster(options: options)
        #expect(!report.stored && report.metrics?.normalizedMutualInformation == 1)
        #expect(try engine.reopened().generationPath == engine.generationPath)

        var tfidf = TfidfConfiguration.news
        tfidf.minDF = .count(1)
        let fromArchive = try SeeAlsoEngine.cluster(ArchiveInput(scratch.path("archive.jsonl")), tfidf: tfidf, options: options)
        #expect(fromArchive.clusters == 2 && fromArchive.metrics?.normalizedMutualInformation == 1 && !fromArchive.stored)
    }
}
