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
        let fit = try vectorize(reader, model: model, tfidf: model.configuration, label: "read and vectorize new articles",
                                progress: progress)
        for (position, article) in fit.articles.enumerated() where existing.row(ofId: article.id) != nil {
            throw CorpusError(.duplicateID, file: reader.path, field: "id",
                              "article \(position + 1) of the input: id \"\(article.id)\" is already in the index")
        }
        stages.lap("read and vectorize")
        var similarity = try existing.similarityIndex()
        stages.lap("load index")
        let listTask = progress.task("update related lists", total: fit.matrix.rowCount)
        let lists = similarity.listsAdding(fit.matrix, progress: listTask)
        listTask.finish()
        stages.lap("lists")
        let previous = existing.manifest.addedSinceFit, added = fit.articles.count
        let addedSinceFit = previous + added
        let rate = ((existing.manifest.addedOutOfVocabularyRate ?? 0) * Double(previous) + (fit.outOfVocabularyRate ?? 0) * Double(added))
            / Double(max(1, addedSinceFit))
        // The tail segment takes the new articles until it outgrows an eighth of the base; then one base is written.
        let compact = existing.articleCount - existing.baseRowCount + added > existing.baseRowCount / 8
        if compact {
            similarity.append(fit.matrix)
            similarity.lists = lists
            var contents = IndexContents(model: model, articles: existing.allMetadata() + fit.articles, index: similarity,
                                         method: existing.manifest.method, sources: existing.manifest.sources + reader.paths)
            contents.measuredRecall = existing.manifest.measuredRecall
            contents.addedSinceFit = addedSinceFit
            contents.addedOutOfVocabularyRate = rate
            contents.buildSeconds = ["add": clock.seconds]
            try IndexWriter.write(contents, to: IndexDirectory(path: directory))
        } else {
            try IndexWriter.writeTail(try tail(of: existing, adding: fit, to: similarity), lists: lists, over: existing) { manifest in
                manifest.addedSinceFit = addedSinceFit
                manifest.addedOutOfVocabularyRate = rate
                manifest.sources += reader.paths
                manifest.buildSeconds = ["add": clock.seconds]
            }
        }
        stages.lap(compact ? "write index (compacted)" : "write index (tail)")
        var recall: (recall: Double, rows: Int)?
        if options.recallSample > 0 {
            // Read in place from the generation just written: no copy of the archive's rows or postings.
            recall = ExactSearch(storage: try Index(path: directory).rowStorage)
                .recall(of: lists, sampleSize: options.recallSample, rows: existing.articleCount..<lists.rowCount)
            stages.lap("recall check")
        }
        return AddReport(index: directory, added: added, articles: lists.rowCount, refit: false, seconds: clock.seconds,
                         outOfVocabularyRate: rate, measuredRecall: recall?.recall, recallRows: recall?.rows,
                         refitAdvice: refitAdvice(addedSinceFit: addedSinceFit, fittedOn: existing.manifest.modelDocumentCount,
                                                  outOfVocabularyRate: rate),
                         stages: stages.stages)
    }

    /// The index's tail segment with the new articles appended (for the partitioned index, with their
    /// reduced vectors and partitions).
    private static func tail(of existing: Index, adding fit: TfidfFit, to similarity: any SimilarityIndex) throws -> TailContents {
        var matrix = existing.tailMatrix()
        matrix.append(fit.matrix)
        var tail = TailContents(articles: existing.tailMetadata() + fit.articles, matrix: matrix, firstRow: existing.baseRowCount,
                                vectors: nil, partitionOfRow: [])
        if let partitioned = similarity as? PartitionedIndex {
            var (vectors, partitionOfRow) = try existing.tailReducedRows(dimension: partitioned.svd.rank)
            let placed = partitioned.placement(of: fit.matrix)
            vectors.append(placed.vectors)
            tail.vectors = vectors
            tail.partitionOfRow = partitionOfRow + placed.partitionOfRow
        }
        return tail
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
