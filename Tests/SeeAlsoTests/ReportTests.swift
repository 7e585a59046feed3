import Foundation
import Testing
import SeeAlso
import SeeAlsoTestSupport

/// `report`: the page lists every stored topic with its size and terms, draws one map point per (sampled)
/// article in its topic's colour and each story's articles on the timeline, escapes archive text, and
/// names the path when the index or the output cannot be used.
@Suite struct ReportTests {
    /// Text that needs every escape but is not markup (markup is cleaned when the archive is read).
    static let hostileTitle = "x<y && c>d: \"Tom & Jerry's\" alert(1)"
    static let hostileEscaped = "x&lt;y &amp;&amp; c&gt;d: &quot;Tom &amp; Jerry&#39;s&quot; alert(1)"

    /// ClusterRoundTripTests' archive (two topics of three 4-article stories), one title hostile.
    static func clusteredIndex(_ scratch: TemporaryDirectory, topics: Bool = true, stories: Bool = true) throws -> SeeAlsoEngine {
        var articles = ClusterRoundTripTests.archive()
        articles[5].title = hostileTitle
        var options = EngineFixtures.options(k: 8)
        options.tfidf.minDF = .count(1)
        try EngineFixtures.build(articles, in: scratch, options: options)
        let path = scratch.path("index")
        if topics { _ = try SeeAlsoEngine(path: path).cluster(options: ClusterRoundTripTests.topics) }
        if stories { _ = try SeeAlsoEngine(path: path).cluster(options: ClusterRoundTripTests.stories) }
        return try SeeAlsoEngine(path: path)
    }

    /// The part of `page` from `<section id="name"` to its `</section>`.
    static func section(_ name: String, of page: String) throws -> Substring {
        let start = try #require(page.range(of: "<section id=\"\(name)\""))
        let end = try #require(page.range(of: "</section>", range: start.upperBound..<page.endIndex))
        return page[start.lowerBound..<end.upperBound]
    }

    static func count(_ needle: String, in text: Substring) -> Int { text.components(separatedBy: needle).count - 1 }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }

    @Test func pageListsEveryTopicWithItsSizeTermsAndTitles() throws {
        let scratch = try TemporaryDirectory("report")
        defer { scratch.remove() }
        let engine = try Self.clusteredIndex(scratch)
        let report = try engine.report()
        let page = report.html
        let topics = try Self.section("topics", of: page)
        let stored = try #require(engine.clusters?.topics?.clusters)
        #expect(stored.count == 2)
        #expect(Self.count("<tr class=\"topic\">", in: topics) == stored.count)
        for topic in stored {
            #expect(topics.contains("<td class=\"size\">\(topic.size) "))
            #expect(topics.contains(Self.escaped(topic.topTerms.joined(separator: ", "))))
            let representative = try #require(engine.article(withID: topic.representative))
            #expect(topics.contains("<li>\(Self.escaped(representative.title))</li>"))
        }
        // Largest first, distinct colours, three titles each (the representative and two more).
        #expect(report.topics.map(\.size) == report.topics.map(\.size).sorted(by: >))
        #expect(Set(report.topics.map(\.color)).count == report.topics.count)
        #expect(report.topics.allSatisfy { $0.titles.count == 3 })
    }

    @Test func archiveTextIsEscapedAndThePageFetchesNothing() throws {
        let scratch = try TemporaryDirectory("report")
        defer { scratch.remove() }
        let page = try Self.clusteredIndex(scratch).report().html
        #expect(page.contains(Self.hostileEscaped))
        #expect(!page.contains("<script"))
        #expect(!page.contains("x<y"))
        for reference in ["src=", "href=", "@import", "url(", "https:"] { #expect(!page.contains(reference)) }
        #expect(Self.count("http://", in: page[...]) == Self.count("xmlns=\"http://www.w3.org/2000/svg\"", in: page[...]))
    }

    @Test func mapHasOnePointPerArticleInItsTopicsColour() throws {
        let scratch = try TemporaryDirectory("report")
        defer { scratch.remove() }
        let engine = try Self.clusteredIndex(scratch)
        let report = try engine.report()
        let map = try Self.section("map", of: report.html)
        let articles = ClusterRoundTripTests.archive()
        #expect(Self.count("<circle ", in: map) == articles.count)
        #expect(report.map.count == articles.count)
        var xs: [Int: [Float]] = [:]
        for (position, article) in articles.enumerated() {
            let topic = try #require(engine.clusters(ofArticleWithID: article.id).topic)
            let color = try #require(report.topics.first { $0.id == topic }?.color)
            let title = position == 5 ? Self.hostileEscaped : Self.escaped(article.title)
            #expect(map.contains("fill=\"\(color)\"><title>\(title)</title></circle>"))
            xs[topic, default: []] += report.map.filter { $0.title == (position == 5 ? Self.hostileTitle : article.title) }.map(\.x)
        }
        // The two topics share no words but filler: the first principal axis separates them.
        let sides = xs.values.map { ($0.min()!, $0.max()!) }.sorted { $0.0 < $1.0 }
        #expect(sides.count == 2 && sides[0].1 < sides[1].0)
        #expect(report.mapNote.hasPrefix("All 24 articles."))
    }

    @Test func mapSamplesAboveTheLimitAndSaysSo() throws {
        let scratch = try TemporaryDirectory("report")
        defer { scratch.remove() }
        var options = ReportOptions()
        options.mapArticles = 10
        let report = try Self.clusteredIndex(scratch).report(options: options)
        #expect(Self.count("<circle ", in: try Self.section("map", of: report.html)) == 10)
        #expect(report.html.contains("An evenly spaced sample of 10 of the 24 articles."))
    }

    @Test func timelineShowsEveryStoryWithItsArticlesAndDates() throws {
        let scratch = try TemporaryDirectory("report")
        defer { scratch.remove() }
        let engine = try Self.clusteredIndex(scratch)
        let report = try engine.report()
        let stories = try Self.section("stories", of: report.html)
        #expect(report.storyCount == 6 && report.stories.count == 6)
        #expect(Self.count("<div class=\"story\">", in: stories) == 6)
        // Every article is dated: a dot on the shared axis and one on its story's own axis.
        #expect(Self.count("<circle ", in: stories) == 2 * 24)
        var archive = ClusterRoundTripTests.archive()
        archive[5].title = Self.hostileTitle
        for story in report.stories {
            let members = engine.articles(inStory: story.id)
            #expect(members.count == 4 && story.articles.count == 4)
            for member in members {
                let date = try #require(member.date)
                #expect(stories.contains("<li><time>\(date)</time>\(Self.escaped(member.title))</li>"))
            }
            #expect(story.articles.map { $0.date! } == story.articles.map { $0.date! }.sorted())
            // The story's own axis runs from its first to its last article.
            #expect(stories.contains("<text x=\"0\" y=\"30\">\(story.articles.first!.date!)</text>"))
            #expect(stories.contains("text-anchor=\"end\">\(story.articles.last!.date!)</text></svg>"))
        }
        #expect(stories.contains(">2020-03-01</text>"))
    }

    @Test func indexWithoutClustersGetsAPageThatSaysSo() throws {
        let scratch = try TemporaryDirectory("report")
        defer { scratch.remove() }
        let report = try Self.clusteredIndex(scratch, topics: false, stories: false).report()
        #expect(report.topics.isEmpty && report.stories.isEmpty)
        #expect(report.html.contains("No topics are stored in this index: run <code>seealso cluster --index index</code>"))
        #expect(report.html.contains("No stories are stored in this index"))
        #expect(report.map.allSatisfy { $0.color == IndexReport.unassignedColor })
    }

    @Test func tinyIndexGetsAMapWithoutClusters() throws {
        let scratch = try TemporaryDirectory("report")
        defer { scratch.remove() }
        let articles = (0..<2).map { Article(id: "t\($0)", title: "tiny \($0)", body: "alpha beta gamma \($0 == 0 ? "delta" : "omega")") }
        var options = EngineFixtures.options(k: 1)
        options.tfidf.minDF = .count(1)
        try EngineFixtures.build(articles, in: scratch, options: options)
        var reportOptions = ReportOptions()
        reportOptions.mapDimensions = 1
        let report = try SeeAlsoEngine(path: scratch.path("index")).report(options: reportOptions)
        #expect(report.map.count == 2 && report.map.allSatisfy { $0.x.isFinite && $0.y == 0 })
        #expect(Self.count("<circle ", in: try Self.section("map", of: report.html)) == 2)
        #expect(!report.html.contains("nan"))
    }

    @Test func badIndexPathOrOutputIsNamed() throws {
        let scratch = try TemporaryDirectory("report")
        defer { scratch.remove() }
        let missing = scratch.path("no-such-index")
        let error = #expect(throws: (any Error).self) { try SeeAlsoEngine(path: missing).report() }
        #expect("\(error!)".contains(missing))
        let run = try SeeAlsoExecutable.run(["report", "--index", missing, "--output", scratch.path("r.html")])
        #expect(run.exited && run.status != 0)
        #expect(run.error.contains(missing))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("r.html")))

        let report = try Self.clusteredIndex(scratch).report()
        let unwritable = scratch.path("no-such-folder/report.html")
        let writeError = #expect(throws: (any Error).self) { try report.writeHTML(to: unwritable) }
        #expect("\(writeError!)".contains(unwritable))
    }

    @Test func commandWritesThePage() throws {
        let scratch = try TemporaryDirectory("report")
        defer { scratch.remove() }
        _ = try Self.clusteredIndex(scratch)
        let output = scratch.path("report.html")
        let run = try SeeAlsoExecutable.run(["report", "--index", scratch.path("index"), "--output", output, "--map-articles", "12"])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("24 articles, 2 topics, 6 stories on the timeline, 12 articles on the map"))
        let page = try String(contentsOfFile: output, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.hasSuffix("</html>\n"))
        #expect(Self.count("<circle ", in: try Self.section("map", of: page)) == 12)
        var zero = ReportOptions()
        zero.articlesPerStory = 0
        let optionError = #expect(throws: (any Error).self) { try SeeAlsoEngine(path: scratch.path("index")).report(options: zero) }
        #expect("\(optionError!)".contains("articles per story must be at least 1"))
        let bad = try SeeAlsoExecutable.run(["report", "--index", scratch.path("index"), "--output", output, "--map-articles", "0"])
        #expect(bad.exited && bad.status != 0 && bad.error.contains("--map-articles must be at least 1, got 0"))
    }
}
