import ArgumentParser
import Foundation
import SeeAlsoClustering
import SeeAlsoCorpus
import SeeAlsoIndex
import SeeAlsoSimilarity
import SeeAlsoSupport
import SeeAlsoVectorize

struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Cluster an index's articles into topics (k-means) or stories (no k), describe them and store them in the index.",
        discussion: """
            Topics: spherical k-means. The default representation is LSA (50 dimensions, rows renormalised) \
            with 5 k-means++ restarts, then spherical k-means on the TF-IDF rows started from that partition \
            (--no-refine turns it off). --method minibatch runs mini-batch k-means (for millions of articles). \
            --k auto picks k by the best mean silhouette (cosine distance) on a 3,000-article sample over \
            the grid 2-12, 15, 20, 25, 30, 40, 50, 60, 80, 100.

            Stories: average-linkage agglomeration over the stored related lists. Two stories merge while \
            the mean cosine over all their cross pairs is at least --threshold, and never when their dated \
            articles would span more than --window; undated articles obey the threshold only. The window \
            is off by default: on ECB+ every window lowers event NMI (7d 0.969, 30d 0.974, 365d 0.978, \
            none 0.981) and on WikinewsSum it changes nothing; set one (e.g. 7d) for rolling news.

            The assignments are stored in a new index generation (keeping the other kind already stored), \
            so `seealso related` shows each item's topic and story. --no-store only prints. \
            --export-vectors FILE writes the LSA vectors as raw little-endian float32, row-major n×d \
            (for comparisons with other tools; d is in the JSON summary).
            """)

    enum Method: String, ExpressibleByArgument, CaseIterable { case kmeans, minibatch, stories }
    enum Gold: String, ExpressibleByArgument, CaseIterable { case label, event }

    @Option(help: "Index directory.")
    var index: String?

    @Option(help: "Cluster an archive file directly (vectorized with the options below; nothing is stored).")
    var input: String?

    @OptionGroup var vectorizer: VectorizerOptions

    @Option(help: "kmeans (topics), minibatch (topics, large archives) or stories.")
    var method: Method = .kmeans

    @Option(help: "Number of topics, or auto (best silhouette on a sample).")
    var k = "20"

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: "lsa (reduced vectors, the default) or tfidf (sparse rows).")
    var representation: TopicClustering.Representation = .lsa

    @Option(help: "LSA dimensions (default 50 for topics, 100 for stories).")
    var dimensions: Int?

    @Option(help: "Fit the SVD on this fraction of the articles (a seeded hashed sample); default all.")
    var svdSample: Double?

    @Option(name: .customLong("n-init"), help: "k-means++ restarts; the best objective is kept.")
    var nInit = 5

    @Option(help: "Most Lloyd iterations per restart.")
    var maxIterations = 100

    @Flag(inversion: .prefixedNo, help: "After clustering LSA vectors, refine with spherical k-means on the TF-IDF rows.")
    var refine = true

    @Option(help: "Make N·k k-means clusters, then merge them by average linkage down to k (topics of very unequal sizes).")
    var overcluster: Int?

    @Option(help: "Mini-batch size.")
    var batchSize = 4096

    @Option(help: "Most mini-batches.")
    var maxBatches = 500

    @Option(help: "Stories: lowest mean cosine between two stories that merge (default 0.6 on lsa, 0.2 on tfidf).")
    var threshold: Float?

    @Option(help: "Stories: widest date span of a story, e.g. 7d, 48h, or none.")
    var window = "none"

    @Option(help: "Top terms per cluster.")
    var topTerms = 8

    @Option(help: "Clusters shown in text output (largest first; stories of one article are never listed).")
    var show = 30

    @Flag(help: "Print only; do not store the assignments in the index.")
    var noStore = false

    @Option(help: "Also score the clusters against a gold field (label or event).")
    var gold: Gold?

    @Option(help: "Write the LSA vectors to this file (raw float32, row-major n×d).")
    var exportVectors: String?

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @OptionGroup var global: GlobalOptions

    /// Defaults chosen on the shared corpora (see the report of issue 4 and Benchmarks).
    static let topicDimensions = 50
    static let storyDimensions = 100
    static let storyThresholdLSA: Float = 0.6
    static let storyThresholdTfidf: Float = 0.2

    func validate() throws {
        guard (index == nil) != (input == nil) else { throw ValidationError("give exactly one of --index and --input") }
        if k != "auto" { guard let value = Int(k), value >= 1 else { throw ValidationError("--k must be a positive number or auto") } }
        guard nInit >= 1 else { throw ValidationError("--n-init must be at least 1") }
        if let dimensions { guard dimensions >= 1 else { throw ValidationError("--dimensions must be at least 1") } }
        if let threshold { guard (-1...1).contains(threshold) else { throw ValidationError("--threshold must be a cosine in [-1, 1]") } }
        if method == .stories && input != nil { throw ValidationError("--method stories needs an --index (it uses the stored related lists)") }
        if let svdSample { guard svdSample > 0 && svdSample <= 1 else { throw ValidationError("--svd-sample must be in (0, 1]") } }
    }

    func run() throws {
        global.apply()
        let clock = Stopwatch()
        let source = try ArchiveSource(index: index, input: input, vectorizer: vectorizer)
        let loadSeconds = clock.seconds
        let dates = source.dates
        let kind = method == .stories ? "stories" : "topics"
        var summary = ClusterSummary(kind: kind, method: "", articles: source.matrix.rowCount, clusters: 0,
                                     loadSeconds: loadSeconds)
        var assignments: [Int32]
        var describedIds: [Int]? = nil
        var clusterCount: Int
        if method == .stories {
            let windowSeconds: Int64? = window.lowercased() == "none" ? nil : try RelatedOptions.parseDuration(window)
            let storyThreshold = threshold ?? (representation == .lsa ? Self.storyThresholdLSA : Self.storyThresholdTfidf)
            let configuration = StoryClustering.Configuration(threshold: storyThreshold, windowSeconds: windowSeconds)
            let stories: StoryClustering.Result
            var space = "tfidf"
            if representation == .lsa {
                let rank = max(1, min(dimensions ?? Self.storyDimensions, source.matrix.rowCount, source.matrix.columnCount))
                let svd = try RandomizedSVD.fit(source.matrix, rank: rank, seed: seed)
                let vectors = svd.project(source.matrix)
                if let exportVectors {
                    try writeFloat32(vectors, to: exportVectors)
                    summary.exportedDimensions = vectors.columnCount
                }
                space = "lsa-\(rank)"
                stories = StoryClustering.cluster(vectors: vectors, neighbors: source.index!.lists(), dates: dates,
                                                  configuration: configuration)
            } else {
                stories = StoryClustering.cluster(rows: source.matrix, neighbors: source.index!.lists(), dates: dates,
                                                  configuration: configuration)
            }
            assignments = stories.assignments
            clusterCount = stories.stories.count
            describedIds = stories.stories.filter { $0.members.count > 1 }.map(\.id)
            summary.method = String(format: "stories average-linkage threshold=%.2f window=%@ on %@, candidates from the stored lists (k=%d)",
                                    storyThreshold, window, space, source.index!.k)
            summary.multiMemberStories = describedIds!.count
            summary.stageSeconds["stories"] = clock.seconds - loadSeconds
        } else {
            var options = TopicClustering.Options()
            options.method = method == .minibatch ? .minibatch : .kmeans
            options.clusterCount = k == "auto" ? nil : Int(k)
            options.representation = representation
            options.lsaDimensions = dimensions ?? Self.topicDimensions
            options.lsaSampleFraction = svdSample
            options.restarts = nInit
            options.maxIterations = maxIterations
            options.seed = seed
            options.refineOnTfidf = refine
            options.batchSize = batchSize
            options.overclusterFactor = overcluster
            options.maxBatches = maxBatches
            let outcome = try TopicClustering.run(source.matrix, options: options)
            assignments = outcome.assignments
            clusterCount = outcome.clusterCount
            summary.method = outcome.method
            summary.objective = outcome.objective
            summary.refinedObjective = outcome.refinedObjective
            summary.restartObjectives = outcome.restartObjectives
            summary.iterations = outcome.iterations
            summary.stageSeconds.merge(outcome.seconds) { $1 }
            summary.kScores = outcome.kScores?.map { KScore(k: $0.k, silhouette: $0.silhouette) }
            if let exportVectors, let vectors = outcome.reducedVectors {
                try writeFloat32(vectors, to: exportVectors)
                summary.exportedDimensions = vectors.columnCount
            }
        }
        summary.clusters = clusterCount
        summary.clusteringSeconds = clock.seconds - loadSeconds

        let describeClock = Stopwatch()
        let descriptions = ClusterDescription.describe(assignments: assignments, clusterCount: clusterCount,
                                                       rows: source.matrix, dates: dates, topTermCount: topTerms,
                                                       only: describedIds)
        summary.stageSeconds["describe"] = describeClock.seconds
        let stored = descriptions.map { source.storedDescription($0) }
        if let gold {
            let goldValues = (0..<source.matrix.rowCount).map { gold == .label ? source.label($0) : source.event($0) }
            summary.metrics = ClusterMetrics.evaluate(gold: goldValues, assignments: assignments)
            summary.gold = gold.rawValue
        }
        if let loaded = source.index, !noStore {
            let storeClock = Stopwatch()
            var clusters = loaded.clusters ?? IndexClusters()
            let clustering = IndexClusters.Clustering(method: summary.method, assignments: assignments, clusters: stored)
            // Keep the other kind already stored, with its assignments read back from the index.
            if method == .stories {
                clusters.stories = clustering
                if var topics = clusters.topics {
                    topics.assignments = (0..<loaded.articleCount).map { Int32(loaded.topic($0) ?? -1) }
                    clusters.topics = topics
                }
            } else {
                clusters.topics = clustering
                if var stories = clusters.stories {
                    stories.assignments = (0..<loaded.articleCount).map { Int32(loaded.story($0) ?? -1) }
                    clusters.stories = stories
                }
            }
            try IndexWriter.attachClusters(clusters, to: loaded)
            summary.stored = true
            summary.stageSeconds["store"] = storeClock.seconds
        }
        summary.seconds = clock.seconds
        summary.peakResidentBytes = ResourceUsage.peakResidentBytes() ?? 0
        if format == .json {
            summary.descriptions = stored
            print(encodeJSON(summary))
        } else {
            print(summary.text(descriptions: stored, show: show, source: source))
        }
    }

    private func writeFloat32(_ matrix: DenseMatrix, to path: String) throws {
        let data = matrix.values.withUnsafeBufferPointer { Data(buffer: $0) }
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            throw IndexError.io(path: path, reason: "cannot write the vectors")
        }
    }
}

extension TopicClustering.Representation: ExpressibleByArgument {}

/// The articles to cluster: an index, or an archive vectorized on the fly.
struct ArchiveSource {
    let index: Index?
    let matrix: CSRMatrix
    let metadata: [ArticleMetadata]?

    init(index path: String?, input: String?, vectorizer: VectorizerOptions) throws {
        if let path {
            let loaded = try Index(path: path)
            index = loaded
            matrix = loaded.matrix()
            metadata = nil
        } else {
            let reader = try CorpusReader(path: input!, options: CorpusOptions())
            let progress = ProgressReporter("read and vectorize")
            let fit = try TfidfVectorizer.fit(reader: reader, configuration: try vectorizer.configuration(), progress: progress)
            progress.finish()
            index = nil
            matrix = fit.matrix
            metadata = fit.articles
            terms = fit.model.vocabulary
        }
    }

    private var terms: [String] = []

    var dates: [Int64?] {
        (0..<matrix.rowCount).map { row in
            if let index { return index.date(row)?.secondsSinceEpoch }
            return metadata![row].date?.secondsSinceEpoch
        }
    }

    func id(_ row: Int) -> String { index?.id(row) ?? metadata![row].id }
    func title(_ row: Int) -> String { index?.title(row) ?? metadata![row].title }
    func label(_ row: Int) -> String? { index.map { $0.label(row) } ?? metadata![row].label }
    func event(_ row: Int) -> String? { index.map { $0.event(row) } ?? metadata![row].event }
    func term(_ column: Int) -> String { index?.term(column) ?? terms[column] }

    func storedDescription(_ description: ClusterDescription) -> IndexClusters.Description {
        func day(_ seconds: Int64?) -> String? {
            seconds.map { ArticleDate(secondsSinceEpoch: $0, hasTime: false).description }
        }
        return IndexClusters.Description(
            id: description.id, size: description.size, topTerms: description.topTerms.map { term($0.column) },
            representative: description.representative >= 0 ? id(description.representative) : "",
            firstDate: day(description.firstDate), lastDate: day(description.lastDate))
    }
}

struct KScore: Encodable {
    var k: Int
    var silhouette: Double
}

struct ClusterSummary: Encodable {
    var kind: String
    var method: String
    var articles: Int
    var clusters: Int
    var multiMemberStories: Int?
    var objective: Double?
    var refinedObjective: Double?
    var restartObjectives: [Double]?
    var iterations: Int?
    var kScores: [KScore]?
    var gold: String?
    var metrics: ClusterMetrics?
    var stored = false
    var exportedDimensions: Int?
    /// Reading the index (or vectorizing the input).
    var loadSeconds: Double
    /// Clustering alone (representation, k-means or stories), without load, descriptions and store.
    var clusteringSeconds: Double = 0
    /// Everything.
    var seconds: Double = 0
    var stageSeconds: [String: Double] = [:]
    var peakResidentBytes = 0
    var descriptions: [IndexClusters.Description]?

    func text(descriptions: [IndexClusters.Description], show: Int, source: ArchiveSource) -> String {
        var lines = ["\(kind): \(clusters) (\(method)) over \(articles) articles"
            + (multiMemberStories.map { ", \($0) with more than one article" } ?? "")]
        var figures: [String] = []
        if let objective { figures.append(String(format: "objective (mean cosine) %.4f", objective)) }
        if let refinedObjective { figures.append(String(format: "on tfidf %.4f", refinedObjective)) }
        figures.append(String(format: "clustered in %.2f s (load %.2f s, total %.2f s), peak memory %d MiB",
                              clusteringSeconds, loadSeconds, seconds, peakResidentBytes >> 20))
        lines.append(figures.joined(separator: ", "))
        if let kScores {
            lines.append("k by silhouette: " + kScores.map { String(format: "%d %.3f", $0.k, $0.silhouette) }.joined(separator: ", "))
        }
        if let metrics, let gold {
            lines.append(String(format: "against %@: NMI %.3f, ARI %.3f, V-measure %.3f (homogeneity %.3f, completeness %.3f), purity %.3f, B-cubed P %.3f R %.3f F1 %.3f",
                                gold, metrics.normalizedMutualInformation, metrics.adjustedRandIndex, metrics.vMeasure,
                                metrics.homogeneity, metrics.completeness, metrics.purity, metrics.bcubedPrecision,
                                metrics.bcubedRecall, metrics.bcubedF1))
        }
        let ordered = descriptions.sorted { $0.size != $1.size ? $0.size > $1.size : $0.id < $1.id }
        for description in ordered.prefix(show) {
            var span = ""
            if let first = description.firstDate, let last = description.lastDate {
                span = first == last ? ", \(first)" : ", \(first) – \(last)"
            }
            lines.append("")
            lines.append("\(kind == "stories" ? "story" : "topic") \(description.id) (\(description.size) articles\(span)): "
                + description.topTerms.joined(separator: ", "))
            if !description.representative.isEmpty {
                let row = source.index?.row(ofId: description.representative)
                let title = row.map { source.title($0) } ?? ""
                lines.append("  e.g. " + (title.isEmpty ? description.representative : "\(title) [\(description.representative)]"))
            }
        }
        if ordered.count > show { lines.append("\n… \(ordered.count - show) more (--show N, or --format json)") }
        if stored { lines.append("\nstored in the index") }
        return lines.joined(separator: "\n")
    }
}
