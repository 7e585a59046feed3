import ArgumentParser
import SeeAlso

struct BuildCommand: ProgressCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build a similarity index: vectorize an archive and compute every article's related list.")

    @OptionGroup var input: InputOptions
    @OptionGroup var vectorizer: VectorizerOptions
    @OptionGroup var lists: ListOptions
    @OptionGroup var global: GlobalOptions
    @Option(help: "Index directory to create or replace (atomically).") var index: String
    @Option(help: "Use this model file's vocabulary and idf instead of fitting (see `vectorize --output`).") var model: String?
    @Option(help: "Summary format on standard output: text or json.") var format: OutputFormat = .text
    @OptionGroup var writer: WriterOptions
    @Flag(help: "Do not keep the articles' bodies in the index (smaller, but `--refit` then needs a new build).") var noTexts = false
    @Flag(help: "Build into a directory that holds other files and no index (nothing of theirs is removed).") var force = false

    func run(progress: any ProgressReporter) throws {
        var options = try lists.options()
        options.tfidf = try vectorizer.configuration()
        options.modelFile = model
        options.waitSeconds = writer.wait
        options.keepTexts = !noTexts
        options.force = force
        let report = try SeeAlsoEngine.build(try input.archive(for: vectorizer), into: index, options: options, progress: progress)
        if format == .json { return printJSON(report) }
        print(report.summaryText(index: index))
    }
}

/// How the related lists are computed (`build`, `bench --input`).
struct ListOptions: ParsableArguments {
    @Option(help: "Length of each stored related list.") var k = 20
    @Option(help: "auto (exact up to \(BuildOptions.exactLimit) articles), exact, dense or partitioned.")
    var method: BuildOptions.Method = .auto
    @Option(help: "dense/partitioned: LSA dimensions of the reduced vectors.") var dimensions = 128
    @Option(help: "partitioned: number of k-means partitions (default about articles / 1000).") var partitions: Int?
    @Option(help: "partitioned: partitions each article scans (default 24, or 8 per million articles above 3M).") var probes: Int?
    @Option(help: "dense: candidates per article from the reduced vectors; partitioned: best exact scores kept per article from its partitions.")
    var denseCandidates = 40
    @Option(help: "dense/partitioned: an article's heaviest terms that vote for candidates.") var sparseTerms = 40
    @Option(help: "dense/partitioned: candidates per article from the term votes.") var sparseCandidates = 60
    @Option(help: "dense/partitioned: terms in more articles than this do not vote.") var sparseMaxDf = 3000
    @Option(help: "dense/partitioned: postings read per article for its votes, at most.") var sparseBudget = 5000
    @Option(help: "dense/partitioned: rounds of refinement by neighbours of neighbours (0: off; default 1, 2 above 1.5M articles).")
    var refineRounds: Int?
    @Option(help: "dense/partitioned: refinement reads this many best neighbours of each article and of each neighbour.")
    var refineFanout = 20
    @Option(help: "dense/partitioned: measure recall@10 against exact lists on N sampled articles (0: skip).") var checkRecall = 200

    /// Checks the values through `BuildOptions.validate`, naming an out-of-range one by its flag here.
    func validate() throws {
        do {
            try options().validate()
        } catch var error as BuildOptionsError {
            error.option = Self.flags[error.option] ?? error.option
            throw ValidationError(error.description)
        }
    }

    /// `BuildOptionsError.option` → the flag of this command that sets it, where the names differ.
    private static let flags = ["candidates-per-row": "dense-candidates", "vote-terms": "sparse-terms", "vote-keep": "sparse-candidates",
                                "vote-max-documents": "sparse-max-df", "vote-budget": "sparse-budget", "recall-sample": "check-recall"]

    func options() throws -> BuildOptions {
        var options = BuildOptions()
        options.k = k
        options.method = method
        options.partitioned.dimensions = dimensions
        options.partitioned.candidates = .partitions(count: partitions, probes: probes)
        options.partitioned.candidatesPerRow = denseCandidates
        options.partitioned.votes.terms = sparseTerms
        options.partitioned.votes.keep = sparseCandidates
        options.partitioned.votes.maxDocuments = sparseMaxDf
        options.partitioned.votes.budget = sparseBudget
        options.partitioned.refineRounds = refineRounds
        options.partitioned.refineFanout = refineFanout
        options.recallSample = checkRecall
        return options
    }
}

extension BuildOptions.Method: ExpressibleByArgument {}
