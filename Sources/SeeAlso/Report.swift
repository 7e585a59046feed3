import Foundation
import SeeAlsoSupport

/// What `SeeAlsoEngine.report(options:)` puts on the page, and how much of it.
public struct ReportOptions: Sendable {
    /// Most articles drawn on the map; above it an evenly spaced sample of the live articles (the page says so).
    public var mapArticles = 2_000
    /// LSA dimensions of the map's vectors before they are projected to 2-D.
    public var mapDimensions = 50
    /// Titles listed per topic: the stored representative first, then the sampled members nearest the
    /// topic's mean LSA vector.
    public var titlesPerTopic = 3
    /// Stories on the timeline: the largest stored stories of more than one article.
    public var stories = 12
    /// Articles listed under each story (all of them are drawn on its timeline).
    public var articlesPerStory = 8
    /// Seeds the map's randomized SVD.
    public var seed: UInt64 = 0

    public init() {}
}

/// An index's topics, stories and map of articles, ready to be written as a page (`html`).
public struct IndexReport: Sendable {
    /// A stored topic, with the colour its map points and legend share.
    public struct Topic: Sendable {
        public var id: Int
        public var size: Int
        public var topTerms: [String]
        /// The representative article's title first, then other members near the topic's centre.
        public var titles: [String]
        /// CSS colour (hex or hsl) of the topic's map points.
        public var color: String
    }

    /// One article of a story, for its timeline.
    public struct StoryArticle: Sendable {
        public var title: String
        public var date: ArticleDate?
    }

    /// A stored story of more than one article.
    public struct Story: Sendable {
        public var id: Int
        public var size: Int
        public var topTerms: [String]
        /// The story's articles by date (undated last).
        public var articles: [StoryArticle]
        /// The colour of the topic most of its articles belong to (grey without topics).
        public var color: String
    }

    /// One article on the map: its coordinates on the two directions of largest variance of the LSA vectors.
    public struct MapPoint: Sendable {
        public var x: Float
        public var y: Float
        public var title: String
        /// Its topic's colour (grey without a topic).
        public var color: String
    }

    /// The index directory's name.
    public var name: String
    public var articleCount: Int
    /// How topics and stories were clustered (nil: not stored).
    public var topicsMethod: String?
    public var storiesMethod: String?
    /// Topics by size, largest first.
    public var topics: [Topic]
    /// Stored stories of more than one article (the timeline shows the largest `stories.count`).
    public var storyCount: Int
    public var stories: [Story]
    public var map: [MapPoint]
    /// How the map was made, including whether it is a sample.
    public var mapNote: String
    /// Articles listed under each story on the page (`ReportOptions.articlesPerStory`).
    public var articlesListedPerStory: Int

    /// Colour of map points without a topic.
    public static let unassignedColor = "#9e9e9e"
}

extension SeeAlsoEngine {
    /// The index's topics (size, top terms, representative titles), its largest stories with their
    /// articles' dates, and a 2-D map of the articles coloured by topic. Reads only; an index without stored
    /// clusters gets a page that says so (run `cluster` first). The map projects the articles' LSA vectors
    /// (randomized SVD of at most `options.mapArticles` sampled TF-IDF rows, `options.mapDimensions`
    /// dimensions, unit rows) onto their two principal components. Cost: O(n) for the assignments and
    /// stories, plus the SVD of the sample.
    public func report(options: ReportOptions = ReportOptions()) throws -> IndexReport {
        guard options.mapArticles >= 1, options.mapDimensions >= 1, options.titlesPerTopic >= 1, options.stories >= 0,
              options.articlesPerStory >= 1 else {
            throw IndexError.invalid("report options: map articles, map dimensions, titles per topic and articles per story must be "
                                     + "at least 1 and stories at least 0; got \(options.mapArticles), \(options.mapDimensions), "
                                     + "\(options.titlesPerTopic), \(options.articlesPerStory) and \(options.stories)")
        }
        let live = (0..<index.articleCount).filter { !index.isDeleted($0) }
        let described = (index.clusters?.topics?.clusters ?? []).sorted { ($0.size, $1.id) > ($1.size, $0.id) }
        let colors = Dictionary(described.enumerated().map { ($1.id, ReportColors.color($0)) }, uniquingKeysWith: { first, _ in first })
        func color(_ row: Int) -> String { index.topic(row).flatMap { colors[$0] } ?? IndexReport.unassignedColor }

        let sample = ReportMap.sample(live, limit: options.mapArticles)
        let coordinates = try ReportMap.coordinates(index, rows: sample, dimensions: options.mapDimensions, seed: options.seed)
        let map = zip(sample, coordinates.points).map { row, point in
            IndexReport.MapPoint(x: point.x, y: point.y, title: index.title(row), color: color(row))
        }
        let nearest = coordinates.nearestToTopicMeans(rows: sample, topic: index.topic)
        let topics = described.map { description in
            var titles = index.row(ofId: description.representative).map { [index.title($0)] } ?? []
            for row in nearest[description.id] ?? [] where titles.count < options.titlesPerTopic && !titles.contains(index.title(row)) {
                titles.append(index.title(row))
            }
            return IndexReport.Topic(id: description.id, size: description.size, topTerms: description.topTerms, titles: titles,
                                     color: colors[description.id]!)
        }
        let storyDescriptions = index.clusters?.stories?.clusters.filter { $0.size > 1 } ?? []
        let stories = self.stories(storyDescriptions.sorted { ($0.size, $1.id) > ($1.size, $0.id) }.prefix(options.stories),
                                   rows: live, color: color)
        var note = sample.count < live.count
            ? "An evenly spaced sample of \(sample.count) of the \(live.count) articles. "
            : "All \(live.count) articles. "
        note += "Each point is an article's LSA vector (randomized SVD of the TF-IDF rows, \(coordinates.dimensions) dimensions, "
            + "unit length) projected onto the two directions of largest variance; nearby points share vocabulary."
        return IndexReport(name: URL(fileURLWithPath: index.path).standardizedFileURL.lastPathComponent, articleCount: live.count,
                           topicsMethod: index.clusters?.topics?.method, storiesMethod: index.clusters?.stories?.method,
                           topics: topics, storyCount: storyDescriptions.count, stories: stories, map: map, mapNote: note,
                           articlesListedPerStory: options.articlesPerStory)
    }

    /// The chosen stories with their articles (one pass over the rows), each coloured by its commonest topic.
    private func stories(_ chosen: ArraySlice<IndexClusters.Description>, rows: [Int],
                         color: (Int) -> String) -> [IndexReport.Story] {
        let wanted = Set(chosen.map(\.id))
        var members: [Int: [Int]] = [:]
        for row in rows { if let story = index.story(row), wanted.contains(story) { members[story, default: []].append(row) } }
        return chosen.map { description in
            let rows = members[description.id] ?? []
            let articles = rows.map { IndexReport.StoryArticle(title: index.title($0), date: index.date($0)) }
                .sorted { ($0.date?.secondsSinceEpoch ?? .max) < ($1.date?.secondsSinceEpoch ?? .max) }
            var counts: [String: Int] = [:]
            for row in rows { counts[color(row), default: 0] += 1 }
            let commonest = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? IndexReport.unassignedColor
            return IndexReport.Story(id: description.id, size: description.size, topTerms: description.topTerms, articles: articles,
                                     color: commonest)
        }
    }
}

/// Topic colours: ten well-separated hues, then the golden angle around the colour wheel.
enum ReportColors {
    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#393b79"]

    /// The colour of the topic of size rank `rank` (0: the largest).
    static func color(_ rank: Int) -> String {
        rank < palette.count ? palette[rank] : String(format: "hsl(%.0f, 60%%, 45%%)", (Double(rank) * 137.508).truncatingRemainder(dividingBy: 360))
    }
}

extension IndexReport {
    /// Writes `html` to `path` atomically (a reader never sees half a page).
    public func writeHTML(to path: String) throws {
        do {
            try AtomicFileWriter.write(html.utf8, to: path)
        } catch let error as SystemError {
            throw IndexError.io(path: path, reason: "cannot write the report: \(error.reason)")
        }
    }
}
