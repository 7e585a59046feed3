import SeeAlsoSupport

/// How `SeeAlsoEngine.add` extends an index.
public struct AddOptions: Sendable {
    /// Rebuild from every source the index records plus the new input, fitting a new model, instead
    /// of extending the lists with the frozen model.
    public var refit = false
    /// recall@10 of the added articles' lists against exact lists, on this many of them (0: skip).
    public var recallSample = 0

    public init() {}
}

/// What an `add` did.
public struct AddReport: Sendable, Codable {
    public var index: String
    public var added: Int
    /// Articles in the index now.
    public var articles: Int
    public var refit: Bool
    public var seconds: Double
    /// Share of the tokens of the articles added since the fit that the model does not know.
    public var outOfVocabularyRate: Double?
    /// recall@10 of the added articles' lists (with `AddOptions.recallSample`), and on how many.
    public var measuredRecall: Double?
    public var recallRows: Int?
    /// Set when the model should be refitted (many articles added, or many unknown tokens).
    public var refitAdvice: String?
    public var stages: [StageFigure]
}

extension SeeAlsoEngine {
    /// Adds the articles of `input` to the index at `directory` and publishes a new generation.
    ///
    /// New articles are vectorized with the index's frozen vocabulary and idf (unknown terms are
    /// ignored), get their lists, and enter every stored list they beat. On an exact index the result
    /// equals `build` with the same model over all the articles. On a partitioned index the new
    /// articles are projected with the stored LSA, put in their nearest partitions and scored through
    /// the stages of the build against the stored partitions and lists, so the cost grows with the
    /// articles added (plus rewriting the index files), not with the archive.
    public static func add(_ input: ArchiveInput, to directory: String, options: AddOptions = AddOptions(),
                           progress: any ProgressReporter = SilentProgress()) throws -> AddReport {
        let clock = Stopwatch()
        let existing = try Index(path: directory)
        if options.refit {
            var build = BuildOptions()
            build.tfidf = existing.manifest.configuration
            build.k = existing.k
            build.method = BuildOptions.Method(rawValue: existing.manifest.method) ?? .auto
            if let partitioned = existing.manifest.partitioned { build.partitioned = partitioned }
            let sources = ArchiveInput(paths: existing.manifest.sources + input.paths, options: input.options)
            let report = try SeeAlsoEngine.build(sources, into: directory, options: build, progress: progress)
            return AddReport(index: directory, added: report.articles - existing.articleCount, articles: report.articles, refit: true,
                             seconds: clock.seconds, stages: report.stages)
        }
        var stages = StageRecorder()
        let reader = try input.reader()
        let model = existing.model()
        let task = progress.task("read and vectorize new articles")
        let fit = try TfidfVectorizer.transform(reader: reader, model: model, progress: task)
        task.finish()
        if fit.skipped.count > 0 { progress.note("seealso: " + fit.skipped.summary()) }
        for (position, article) in fit.articles.enumerated() where existing.row(ofId: article.id) != nil {
            throw CorpusError(.duplicateID, file: reader.path, field: "id",
                              "article \(position + 1) of the input: id \"\(article.id)\" is already in the index")
        }
        stages.lap("read and vectorize")
        var similarity = try existing.similarityIndex()
        stages.lap("load index")
        let listTask = progress.task("update related lists", total: fit.matrix.rowCount)
        similarity.add(fit.matrix, progress: listTask)
        listTask.finish()
        stages.lap("lists")
        var contents = IndexContents(model: model, articles: existing.allMetadata() + fit.articles, index: similarity,
                                     method: existing.manifest.method, sources: existing.manifest.sources + reader.paths)
        contents.measuredRecall = existing.manifest.measuredRecall
        let previous = existing.manifest.addedSinceFit, added = fit.articles.count
        contents.addedSinceFit = previous + added
        let previousRate = existing.manifest.addedOutOfVocabularyRate ?? 0
        contents.addedOutOfVocabularyRate = (previousRate * Double(previous) + (fit.outOfVocabularyRate ?? 0) * Double(added))
            / Double(max(1, previous + added))
        var recall: (recall: Double, rows: Int)?
        if options.recallSample > 0 {
            recall = ExactSearch(matrix: similarity.matrix, postings: similarity.postings)
                .recall(of: similarity.lists, sampleSize: options.recallSample, rows: existing.articleCount..<similarity.matrix.rowCount)
            stages.lap("recall check")
        }
        contents.buildSeconds = ["add": clock.seconds]
        try IndexWriter.write(contents, to: IndexDirectory(path: directory))
        stages.lap("write index")
        return AddReport(index: directory, added: added, articles: contents.articles.count, refit: false, seconds: clock.seconds,
                         outOfVocabularyRate: contents.addedOutOfVocabularyRate, measuredRecall: recall?.recall,
                         recallRows: recall?.rows, refitAdvice: refitAdvice(addedSinceFit: contents.addedSinceFit,
                                                                             fittedOn: existing.manifest.modelDocumentCount,
                                                                             outOfVocabularyRate: contents.addedOutOfVocabularyRate ?? 0),
                         stages: stages.stages)
    }

    /// Advice to refit when more than 25 % of the fitted article count was added since the fit, or
    /// more than 10 % of the added tokens were out of vocabulary.
    static func refitAdvice(addedSinceFit: Int, fittedOn: Int, outOfVocabularyRate rate: Double) -> String? {
        let share = Double(addedSinceFit) / Double(max(1, fittedOn))
        guard share > 0.25 || rate > 0.10 else { return nil }
        return String(format: "%.0f%% of the fitted article count added since the fit, %.1f%% of their tokens out of vocabulary: "
                      + "consider `seealso add --refit` (rebuilds from all sources) or a new `seealso build`", 100 * share, 100 * rate)
    }
}
