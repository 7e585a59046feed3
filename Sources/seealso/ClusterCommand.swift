import ArgumentParser
import SeeAlso

struct ClusterCommand: ProgressCommand {
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

            Ids: topics and stories are numbered by size, largest first, ties by their first article in \
            index order, so the same seed and input give the same ids. --format jsonl prints one line per \
            article instead of the summary, {"id","topic","story"} (null when it has none; a story only when \
            it has more than one article, as `related` shows it); --assignments FILE writes those lines to \
            FILE and the summary to standard output. With --index the other kind is the stored one.
            """)

    enum Method: String, ExpressibleByArgument, CaseIterable { case kmeans, minibatch, stories }

    @Option(help: "Index directory.") var index: String?
    @Option(help: "Cluster an archive file directly (read and vectorized with the options below; nothing is stored).") var input: String?
    @OptionGroup var reading: ReadingOptions
    @OptionGroup var vectorizer: VectorizerOptions
    @Option(help: "kmeans (topics), minibatch (topics, large archives) or stories.") var method: Method = .kmeans
    @Option(help: "Number of topics, or auto (best silhouette on a sample).") var k = "20"
    @Option(help: "Random seed.") var seed: UInt64 = 0
    @Option(help: "lsa (reduced vectors, the default) or tfidf (sparse rows).") var representation: TopicClustering.Representation = .lsa
    @Option(help: "LSA dimensions (default 50 for topics, 100 for stories).") var dimensions: Int?
    @Option(help: "Fit the SVD on this fraction of the articles (a seeded hashed sample); default all.") var svdSample: Double?
    @Option(name: .customLong("n-init"), help: "k-means++ restarts; the best objective is kept.") var nInit = 5
    @Option(help: "Most Lloyd iterations per restart.") var maxIterations = 100
    @Flag(inversion: .prefixedNo, help: "After clustering LSA vectors, refine with spherical k-means on the TF-IDF rows.") var refine = true
    @Option(help: "Make N·k k-means clusters, then merge them by average linkage down to k (topics of very unequal sizes).")
    var overcluster: Int?
    @Option(help: "Mini-batch size.") var batchSize = 4096
    @Option(help: "Most mini-batches.") var maxBatches = 500
    @Option(help: "Stories: lowest mean cosine between two stories that merge (default 0.6 on lsa, 0.2 on tfidf).") var threshold: Float?
    @Option(help: "Stories: widest date span of a story, e.g. 7d, 48h, or none.") var window = "none"
    @Option(help: "Top terms per cluster.") var topTerms = 8
    @Option(help: "Clusters shown in text output (largest first; stories of one article are never listed).") var show = 30
    @Flag(help: "Print only; do not store the assignments in the index.") var noStore = false
    @Option(help: "Also score the clusters against a gold field (label or event).") var gold: GoldField?
    @Option(help: "Write the LSA vectors to this file (raw float32, row-major n×d).") var exportVectors: String?
    @Option(help: "text, json (the summary) or jsonl (one line per article: id, topic, story).") var format: ItemsFormat = .text
    @Option(help: ArgumentHelp("Also write one JSON line per article (id, topic, story) to this file.", valueName: "file"))
    var assignments: String?
    @OptionGroup var writer: WriterOptions
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard (index == nil) != (input == nil) else { throw ValidationError("give exactly one of --index and --input") }
        if k != "auto" { guard let value = Int(k), value >= 1 else { throw ValidationError("--k must be a positive number or auto") } }
        guard nInit >= 1 else { throw ValidationError("--n-init must be at least 1") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        guard maxBatches >= 1 else { throw ValidationError("--max-batches must be at least 1, got \(maxBatches)") }
        if let dimensions { guard dimensions >= 1 else { throw ValidationError("--dimensions must be at least 1") } }
        if let threshold { guard (-1...1).contains(threshold) else { throw ValidationError("--threshold must be a cosine in [-1, 1]") } }
        if method == .stories && input != nil { throw ValidationError("--method stories needs an --index (it uses the stored related lists)") }
        if index != nil && reading.isSet {
            throw ValidationError("--input-format, --columns, --html, --time-zone, --skip-invalid and --max-record-bytes go with --input, not --index")
        }
        if let svdSample { guard svdSample > 0 && svdSample <= 1 else { throw ValidationError("--svd-sample must be in (0, 1]") } }
    }

    func run(progress: any ProgressReporter) throws {
        let options = try clusterOptions()
        // Opened first, so that an unwritable path fails before the clustering runs.
        let assignmentsFile = try assignments.map { path in
            do { return try AtomicFileWriter(path: path) } catch { throw OutputFileError(path: path, reason: "--assignments: \(error)") }
        }
        let report = try index.map { try SeeAlsoEngine(path: $0).cluster(options: options, progress: progress) }
            ?? SeeAlsoEngine.cluster(try reading.archive(input!, for: vectorizer), tfidf: try vectorizer.configuration(), options: options, progress: progress)
        if let assignmentsFile {
            for line in report.assignments { try assignmentsFile.write(JSONLine.encode(line) + "\n") }
            try assignmentsFile.commit()
        }
        switch format {
        case .text: print(report.summaryText(show: show))
        case .json: printJSON(report)
        case .jsonl: for line in report.assignments { print(JSONLine.encode(line)) }
        }
    }

    private func clusterOptions() throws -> ClusterOptions {
        var options = ClusterOptions()
        options.kind = method == .stories ? .stories : .topics
        options.topics.method = method == .minibatch ? .minibatch : .kmeans
        options.topics.clusterCount = k == "auto" ? nil : Int(k)
        options.topics.representation = representation
        options.topics.lsaDimensions = dimensions ?? 50
        options.topics.lsaSampleFraction = svdSample
        options.topics.restarts = nInit
        options.topics.maxIterations = maxIterations
        options.topics.seed = seed
        options.topics.refineOnTfidf = refine
        options.topics.batchSize = batchSize
        options.topics.overclusterFactor = overcluster
        options.topics.maxBatches = maxBatches
        options.stories.representation = representation
        options.stories.dimensions = dimensions ?? 100
        options.stories.threshold = threshold
        options.stories.windowSeconds = window.lowercased() == "none" ? nil : try RelatedOptions.parseDuration(window)
        options.stories.seed = seed
        options.topTerms = topTerms
        options.gold = gold
        options.store = !noStore
        options.waitSeconds = writer.wait
        options.exportVectorsPath = exportVectors
        options.reportAssignments = format == .jsonl || assignments != nil
        return options
    }
}

extension TopicClustering.Representation: ExpressibleByArgument {}
