import Foundation
import SeeAlsoSupport

/// A gold field of the articles, for evaluation.
public enum GoldField: String, Sendable, CaseIterable, Codable {
    /// The article's topic label.
    case label
    /// The event (story) it reports.
    case event
}

/// How `cluster` groups an archive: into topics (spherical k-means, k given or chosen) or stories
/// (average linkage over the related lists, no k).
public struct ClusterOptions: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case topics, stories
    }

    /// Story clustering settings.
    public struct Stories: Sendable {
        /// `lsa` (the default: 100-dimensional reduced vectors) or `tfidf` (sparse rows).
        public var representation = TopicClustering.Representation.lsa
        /// LSA dimensions.
        public var dimensions = 100
        /// Lowest mean cosine between two stories that merge; nil: 0.6 on LSA, 0.2 on TF-IDF.
        public var threshold: Float?
        /// Widest date span of a story's dated articles, in seconds; nil: no limit (the default: on
        /// ECB+ every window lowered event NMI).
        public var windowSeconds: Int64?
        public var seed: UInt64 = 0
        public init() {}

        var resolvedThreshold: Float { threshold ?? (representation == .lsa ? 0.6 : 0.2) }
    }

    public var kind = Kind.topics
    public var topics = TopicClustering.Options()
    public var stories = Stories()
    /// Top terms per cluster description.
    public var topTerms = 8
    /// Also score the clusters against this gold field.
    public var gold: GoldField?
    /// Store the assignments and descriptions in a new index generation (an index only).
    public var store = true
    /// Write the LSA vectors here (raw little-endian float32, row-major n × d).
    public var exportVectorsPath: String?
    /// Seconds to wait for another writer of the index when storing (`WriteOptions.defaultWaitSeconds`).
    public var waitSeconds = WriteOptions.defaultWaitSeconds
    /// Fill `ClusterReport.assignments` (one entry per article: `cluster --format jsonl`, `--assignments`).
    public var reportAssignments = false

    public init() {}
}

/// One article's topic and story after a clustering: a line of `seealso cluster --format jsonl`.
///
/// Encodes as `{"id", "story", "topic"}` with `null` for an article without one. The clustered kind
/// comes from this clustering; the other kind is the one stored in the index (none for an archive).
/// A story is given only when it has more than one article, as `related` and the service show them.
public struct ArticleClusters: Sendable, Codable, Equatable {
    public var id: String
    public var topic: Int?
    public var story: Int?

    public init(id: String, topic: Int?, story: Int?) {
        self.id = id
        self.topic = topic
        self.story = story
    }

    enum CodingKeys: String, CodingKey { case id, topic, story }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(topic, forKey: .topic)
        try container.encode(story, forKey: .story)
    }
}

/// What a clustering found.
public struct ClusterReport: Sendable, Codable {
    public struct KScore: Sendable, Codable {
        public var k: Int
        public var silhouette: Double
    }

    /// "topics" or "stories".
    public var kind: String
    /// How it was made, e.g. "kmeans k=20 restarts=5 seed=0 on lsa-50, refined on tfidf".
    public var method: String
    public var articles: Int
    public var clusters: Int
    public var multiMemberStories: Int?
    /// Mean cosine of the articles to their centroids, and after refinement on TF-IDF rows.
    public var objective: Double?
    public var refinedObjective: Double?
    public var restartObjectives: [Double]?
    public var iterations: Int?
    /// Silhouette per k when k was chosen automatically.
    public var kScores: [KScore]?
    public var gold: GoldField?
    public var metrics: ClusterMetrics?
    public var stored = false
    public var exportedDimensions: Int?
    /// Reading the index (or vectorizing the input).
    public var loadSeconds: Double
    /// Clustering alone (representation, k-means or stories), without load, descriptions and store.
    public var clusteringSeconds: Double = 0
    /// Everything.
    public var seconds: Double = 0
    public var stageSeconds: [String: Double] = [:]
    public var peakResidentBytes = 0
    /// The clusters (stories of one article are not described).
    public var descriptions: [IndexClusters.Description] = []
    /// The title of each description's representative article, by cluster id (not encoded).
    public var representativeTitles: [Int: String] = [:]
    /// Every clustered article's topic and story, in article order, with `ClusterOptions.reportAssignments`
    /// (not encoded: `cluster --format jsonl` writes them one per line).
    public var assignments: [ArticleClusters] = []

    /// JSON keys (README "JSON output"): counts end in `Count`, durations in `Seconds`.
    enum CodingKeys: String, CodingKey {
        case kind, method, objective, refinedObjective, restartObjectives, kScores, gold, metrics, stored, exportedDimensions,
             loadSeconds, clusteringSeconds, stageSeconds, peakResidentBytes, descriptions
        case articles = "articleCount", clusters = "clusterCount", multiMemberStories = "multiMemberStoryCount",
             iterations = "iterationCount", seconds = "wallSeconds"
    }
}

extension SeeAlsoEngine {
    /// Clusters the index's articles into topics or stories, describes the clusters and, with
    /// `options.store`, publishes a new generation holding them (keeping the other kind already
    /// stored), so that related lists show each item's topic and story.
    ///
    /// Storing holds the index's writer lock from reading the live generation (which may be newer than
    /// the one this engine opened) to publishing, so no write made meanwhile is lost. Deleted articles
    /// are not clustered.
    public func cluster(options: ClusterOptions = ClusterOptions(), progress: any ProgressReporter = SilentProgress()) throws -> ClusterReport {
        guard options.store else { return try Self.cluster(index, options: options, session: nil, progress: progress) }
        return try IndexDirectory(path: index.path).withWriter(waitSeconds: options.waitSeconds, purpose: .change) { session in
            try Self.cluster(try Index(path: index.path), options: options, session: session, progress: progress)
        }
    }

    private static func cluster(_ index: Index, options: ClusterOptions, session: IndexWriterSession?,
                                progress: any ProgressReporter) throws -> ClusterReport {
        let clock = Stopwatch()
        let source = ClusterSource(index: index)
        var report = try cluster(source, options: options, loadSeconds: clock.seconds, progress: progress)
        if let session {
            let storeClock = Stopwatch()
            var clusters = index.clusters ?? IndexClusters()
            // Keep the other kind already stored, with its assignments read back from the index.
            var kept = IndexClusters.Clustering(method: report.method, assignments: source.indexAssignments(), clusters: report.descriptions)
            if options.kind == .stories {
                kept.linkageThreshold = options.stories.resolvedThreshold
                kept.windowSeconds = options.stories.windowSeconds
                kept.linkageOnTfidf = options.stories.representation == .tfidf
                clusters.stories = kept
                clusters.topics?.assignments = index.storedAssignments(.topics)
            } else {
                clusters.topics = kept
                clusters.stories?.assignments = index.storedAssignments(.stories)
            }
            clusters.assignedIncrementally = nil
            var record = ChangeRecord(operation: "cluster")
            record.clustersChanged = true
            try IndexWriter.attachClusters(clusters, to: index, session: session, record: record)
            report.stored = true
            report.stageSeconds["store"] = storeClock.seconds
        }
        report.seconds = clock.seconds
        report.peakResidentBytes = ResourceUsage.peakResidentBytes() ?? 0
        return report
    }

    /// Clusters the articles of an archive vectorized with `tfidf` (topics only; nothing is stored).
    public static func cluster(_ input: ArchiveInput, tfidf: TfidfConfiguration = .news, options: ClusterOptions = ClusterOptions(),
                               progress: any ProgressReporter = SilentProgress()) throws -> ClusterReport {
        let clock = Stopwatch()
        guard options.kind == .topics else { throw IndexError.invalid("stories need an index: they use its stored related lists") }
        let fit = try vectorize(try input.reader(), model: nil, tfidf: tfidf, progress: progress)
        var report = try cluster(ClusterSource(fit: fit), options: options, loadSeconds: clock.seconds, progress: progress)
        report.seconds = clock.seconds
        report.peakResidentBytes = ResourceUsage.peakResidentBytes() ?? 0
        return report
    }

    private static func cluster(_ source: ClusterSource, options: ClusterOptions, loadSeconds: Double,
                                progress: any ProgressReporter) throws -> ClusterReport {
        let clock = Stopwatch()
        var report = ClusterReport(kind: options.kind.rawValue, method: "", articles: source.matrix.rowCount, clusters: 0,
                                   loadSeconds: loadSeconds)
        var described: [Int]?
        var vectors: DenseMatrix?
        switch options.kind {
        case .stories:
            // An archive without an index is refused before it is read (stories use the stored lists).
            let stories = try clusterStories(source, index: source.index!, options: options.stories, vectors: &vectors)
            source.assignments = stories.result.assignments
            report.clusters = stories.result.stories.count
            described = stories.result.stories.filter { $0.members.count > 1 }.map(\.id)
            report.method = stories.method
            report.multiMemberStories = described?.count
            report.stageSeconds["stories"] = clock.seconds
        case .topics:
            let outcome = try TopicClustering.run(source.matrix, options: options.topics)
            source.assignments = outcome.assignments
            vectors = outcome.reducedVectors
            report.clusters = outcome.clusterCount
            report.method = outcome.method
            report.objective = outcome.objective
            report.refinedObjective = outcome.refinedObjective
            report.restartObjectives = outcome.restartObjectives
            report.iterations = outcome.iterations
            report.stageSeconds.merge(outcome.seconds) { $1 }
            report.kScores = outcome.kScores?.map { ClusterReport.KScore(k: $0.k, silhouette: $0.silhouette) }
        }
        if let path = options.exportVectorsPath, let vectors {
            try writeFloat32(vectors, to: path)
            report.exportedDimensions = vectors.columnCount
        }
        report.clusteringSeconds = clock.seconds
        let describeClock = Stopwatch()
        let descriptions = ClusterDescription.describe(assignments: source.assignments, clusterCount: report.clusters, rows: source.matrix,
                                                       dates: source.dates, topTermCount: options.topTerms, only: described)
        report.stageSeconds["describe"] = describeClock.seconds
        report.descriptions = descriptions.map(source.stored)
        for description in descriptions where description.representative >= 0 {
            report.representativeTitles[description.id] = source.title(description.representative)
        }
        if options.reportAssignments { report.assignments = source.articleClusters(kind: options.kind, described: described) }
        if let gold = options.gold {
            report.gold = gold
            report.metrics = ClusterMetrics.evaluate(gold: (0..<source.matrix.rowCount).map { source.gold(gold, $0) },
                                                     assignments: source.assignments)
        }
        return report
    }

    private static func clusterStories(_ source: ClusterSource, index: Index, options: ClusterOptions.Stories,
                                       vectors: inout DenseMatrix?) throws -> (result: StoryClustering.Result, method: String) {
        let lists = source.lists!, k = index.k
        let configuration = StoryClustering.Configuration(threshold: options.resolvedThreshold, windowSeconds: options.windowSeconds)
        let matrix = source.matrix
        var space = "tfidf"
        let result: StoryClustering.Result
        if options.representation == .lsa {
            let rank = max(1, min(options.dimensions, matrix.rowCount, matrix.columnCount))
            let projected = try RandomizedSVD.fit(matrix, rank: rank, seed: options.seed).project(matrix)
            vectors = projected
            space = "lsa-\(rank)"
            result = StoryClustering.cluster(vectors: projected, neighbors: lists, dates: source.dates, configuration: configuration)
        } else {
            result = StoryClustering.cluster(rows: matrix, neighbors: lists, dates: source.dates, configuration: configuration)
        }
        let window = options.windowSeconds.map(RelatedOptions.durationText) ?? "none"
        let method = String(format: "stories average-linkage threshold=%.2f window=%@ on %@, candidates from the stored lists (k=%d)",
                            options.resolvedThreshold, window, space, k)
        return (result, method)
    }

    private static func writeFloat32(_ matrix: DenseMatrix, to path: String) throws {
        let writer = try AtomicFileWriter(path: path)
        try matrix.values.withUnsafeBytes { try writer.write($0) }
        try writer.commit()
    }
}

/// The articles to cluster: an index's live articles, or an archive vectorized on the fly. Item i
/// is index row `rows[i]` (deleted rows are left out).
private final class ClusterSource {
    let index: Index?
    let matrix: CSRMatrix
    let dates: [Int64?]
    /// The stored lists, renumbered to items (an index only).
    let lists: NeighborLists?
    private let rows: [Int]
    private let fit: TfidfFit?
    /// The clustering's assignments (by item), once made.
    var assignments: [Int32] = []

    init(index: Index) {
        self.index = index
        let rows = (0..<index.articleCount).filter { !index.isDeleted($0) }
        self.rows = rows
        if index.deleted.isEmpty {
            matrix = index.matrix()
            lists = index.lists()
        } else {
            matrix = index.rowStorage.withRows { $0.selecting(rows) }
            var item = [Int32](repeating: -1, count: index.articleCount)
            for (position, row) in rows.enumerated() { item[row] = Int32(position) }
            let selected = index.lists().selecting(rows)
            lists = NeighborLists(rowCount: rows.count, k: selected.k, ids: selected.ids.map { $0 >= 0 ? item[Int($0)] : -1 },
                                  scores: selected.scores)
        }
        dates = rows.map { index.date($0)?.secondsSinceEpoch }
        fit = nil
    }

    init(fit: TfidfFit) {
        index = nil
        matrix = fit.matrix
        dates = fit.articles.map { $0.date?.secondsSinceEpoch }
        rows = []
        lists = nil
        self.fit = fit
    }

    func id(_ item: Int) -> String { index?.id(rows[item]) ?? fit!.articles[item].id }
    func title(_ item: Int) -> String { index?.title(rows[item]) ?? fit!.articles[item].title }
    func term(_ column: Int) -> String { index?.term(column) ?? fit!.model.vocabulary[column] }

    /// Every item's id with its cluster of `kind` from `assignments` (stories: only those in `described`,
    /// when given) and its stored cluster of the other kind (a story only when it is described).
    func articleClusters(kind: ClusterOptions.Kind, described: [Int]?) -> [ArticleClusters] {
        let listed = described.map(Set.init)
        let storedStories = Set(index?.clusters?.stories?.clusters.map(\.id) ?? [])
        return (0..<matrix.rowCount).map { item in
            let cluster = Int(assignments[item])
            let own = cluster >= 0 && (listed?.contains(cluster) ?? true) ? cluster : nil
            guard let index else { return ArticleClusters(id: id(item), topic: own, story: nil) }
            switch kind {
            case .topics:
                let story = index.story(rows[item]).flatMap { storedStories.contains($0) ? $0 : nil }
                return ArticleClusters(id: id(item), topic: own, story: story)
            case .stories:
                return ArticleClusters(id: id(item), topic: index.topic(rows[item]), story: own)
            }
        }
    }

    func gold(_ field: GoldField, _ item: Int) -> String? {
        if let index { return index.gold(field, rows[item]) }
        let article = fit!.articles[item]
        return field == .label ? article.label : article.event
    }

    /// The assignments by index row (−1 for deleted rows).
    func indexAssignments() -> [Int32] {
        guard let index, !index.deleted.isEmpty else { return assignments }
        var byRow = [Int32](repeating: -1, count: index.articleCount)
        for (item, row) in rows.enumerated() { byRow[row] = assignments[item] }
        return byRow
    }

    func stored(_ description: ClusterDescription) -> IndexClusters.Description {
        func day(_ seconds: Int64?) -> String? {
            seconds.map { ArticleDate(secondsSinceEpoch: $0, hasTime: false).description }
        }
        return IndexClusters.Description(
            id: description.id, size: description.size, topTerms: description.topTerms.map { term($0.column) },
            representative: description.representative >= 0 ? id(description.representative) : "",
            firstDate: day(description.firstDate), lastDate: day(description.lastDate))
    }
}

extension Index {
    /// Every article's stored cluster of `kind` (−1: none). O(n).
    func storedAssignments(_ kind: ClusterOptions.Kind) -> [Int32] {
        (0..<articleCount).map { Int32((kind == .topics ? topic($0) : story($0)) ?? -1) }
    }

    /// The article's value of a gold field (nil when it has none).
    func gold(_ field: GoldField, _ row: Int) -> String? { field == .label ? label(row) : event(row) }
}
