import ArgumentParser
import Foundation
import SeeAlsoIndex
import SeeAlsoSupport
import SeeAlsoVectorize

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build a similarity index: vectorize an archive and compute every article's related list.")

    @OptionGroup var input: InputOptions
    @OptionGroup var vectorizer: VectorizerOptions
    @OptionGroup var global: GlobalOptions

    @Option(help: "Index directory to create or replace (atomically).")
    var index: String

    @Option(help: "Length of each stored related list.")
    var k = 20

    @Option(help: "auto (exact up to \(IndexBuilder.exactLimit) articles), exact, dense or partitioned.")
    var method: ListMethod = .auto

    @Option(help: "dense/partitioned: LSA dimensions of the reduced vectors.")
    var dimensions = 128

    @Option(help: "partitioned: number of k-means partitions (default about articles / 1000).")
    var partitions: Int?

    @Option(help: "partitioned: partitions each article scans.")
    var probes = 24

    @Option(help: "dense: candidates per article from the reduced vectors; partitioned: best exact scores kept per article from its partitions.")
    var denseCandidates = 40

    @Option(help: "dense/partitioned: an article's heaviest terms that vote for candidates.")
    var sparseTerms = 40

    @Option(help: "dense/partitioned: candidates per article from the term votes.")
    var sparseCandidates = 60

    @Option(help: "dense/partitioned: terms in more articles than this do not vote.")
    var sparseMaxDf = 3000

    @Option(help: "dense/partitioned: postings read per article for its votes, at most.")
    var sparseBudget = 5000

    @Option(help: "dense/partitioned: rounds of refinement by neighbours of neighbours (0: off).")
    var refineRounds = 1

    @Option(help: "dense/partitioned: refinement reads this many best neighbours of each article and of each neighbour.")
    var refineFanout = 20

    @Option(help: "dense/partitioned: measure recall@10 against exact lists on N sampled articles (0: skip).")
    var checkRecall = 200

    @Option(help: "Use this model file's vocabulary and idf instead of fitting (see `vectorize --output`).")
    var model: String?

    @Option(help: "Summary format on standard output: text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        let positive = [("--k", k), ("--dimensions", dimensions), ("--probes", probes), ("--dense-candidates", denseCandidates),
                        ("--refine-fanout", refineFanout),
                        ("--sparse-max-df", sparseMaxDf)]
        for (name, value) in positive where value < 1 { throw ValidationError("\(name) must be at least 1, got \(value)") }
        let nonNegative = [("--sparse-terms", sparseTerms), ("--sparse-candidates", sparseCandidates), ("--sparse-budget", sparseBudget),
                           ("--refine-rounds", refineRounds), ("--check-recall", checkRecall), ("--partitions", partitions ?? 0)]
        for (name, value) in nonNegative where value < 0 { throw ValidationError("\(name) must not be negative, got \(value)") }
    }

    func run() throws {
        global.apply()
        var options = IndexBuildOptions()
        options.configuration = try vectorizer.configuration()
        options.k = k
        options.method = method
        options.approximate.dimensions = dimensions
        options.approximate.partitions = partitions
        options.approximate.probes = probes
        options.approximate.denseCandidates = denseCandidates
        options.approximate.sparseTerms = sparseTerms
        options.approximate.sparseCandidates = sparseCandidates
        options.approximate.sparseMaxDocuments = sparseMaxDf
        options.approximate.sparsePostingsBudget = sparseBudget
        options.approximate.refineRounds = refineRounds
        options.approximate.refineFanout = refineFanout
        options.recallSample = checkRecall
        if let model { options.frozenModel = try ModelFile.load(model) }
        let clock = Stopwatch()
        let contents = try IndexBuilder.build(reader: try input.reader(), options: options)
        let writeClock = Stopwatch()
        try IndexWriter.write(contents, to: IndexDirectory(path: index))
        let summary = BuildSummary(
            index: index, articles: contents.articles.count, vocabulary: contents.model.vocabulary.count,
            method: contents.method, k: k, measuredRecall: contents.measuredRecall, seconds: clock.seconds, writeSeconds: writeClock.seconds,
            stageSeconds: contents.buildSeconds, peakResidentBytes: ResourceUsage.peakResidentBytes() ?? 0)
        print(format == .json ? summary.json() : summary.text())
    }
}

extension ListMethod: ExpressibleByArgument {}

struct BuildSummary: Encodable {
    var index: String
    var articles: Int
    var vocabulary: Int
    var method: String
    var k: Int
    var measuredRecall: Double?
    var seconds: Double
    var writeSeconds: Double
    var stageSeconds: [String: Double]
    var peakResidentBytes: Int

    func text() -> String {
        let stages = stageSeconds.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.2f", $0.value)) s" }
        return """
        \(index): \(articles) articles, \(vocabulary) terms, \(method) lists of \(k)\(measuredRecall.map { String(format: " (recall@10 %.3f)", $0) } ?? "")
        built in \(String(format: "%.2f", seconds)) s (\(stages.joined(separator: ", ")), write \(String(format: "%.2f", writeSeconds)) s), \
        peak memory \(peakResidentBytes >> 20) MiB
        """
    }

    func json() -> String { encodeJSON(self) }
}

/// Compact JSON with sorted keys.
func encodeJSON(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
}
