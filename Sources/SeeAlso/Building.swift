import SeeAlsoSupport

/// How `SeeAlsoEngine.build` vectorizes an archive and computes its related lists.
public struct BuildOptions: Sendable {
    /// How the lists are computed.
    public enum Method: String, Sendable, CaseIterable {
        /// `exact` up to `BuildOptions.exactLimit` articles, `partitioned` above.
        case auto
        /// Exact TF-IDF cosine: every list equals brute force.
        case exact
        /// Candidates from all pairs of reduced (LSA) vectors, re-ranked by exact cosine.
        case dense
        /// Candidates from k-means partitions of the reduced vectors, re-ranked by exact cosine.
        case partitioned
    }

    /// Largest archive for which `auto` chooses exact lists.
    public static let exactLimit = 200_000

    /// TF-IDF settings (ignored with `modelFile`).
    public var tfidf = TfidfConfiguration.news
    /// A model file (`seealso vectorize --output`) whose vocabulary and idf are used instead of fitting.
    public var modelFile: String?
    /// Length of each stored list.
    public var k = 20
    public var method = Method.auto
    /// Settings of the dense and partitioned methods (their `k` follows `k`).
    public var partitioned = PartitionedOptions()
    /// Rows on which recall@10 against exact lists is measured for approximate methods (0: skip).
    public var recallSample = 200
    /// Seconds to wait for another writer of the index directory to finish (`WriteOptions.defaultWaitSeconds`).
    public var waitSeconds = WriteOptions.defaultWaitSeconds
    /// Keep the articles' bodies in the index (zlib level 1, about a third of the input's text) so that
    /// `WriteOptions.refit` can refit the model from the index alone.
    public var keepTexts = true
    /// Build into a directory that holds other files and no index (by default refused). Nothing that is
    /// not SeeAlso's is ever removed.
    public var force = false

    public init() {}

    /// Throws a `BuildOptionsError` naming the first option out of range.
    public func validate() throws {
        let atLeastOne = [("k", k), ("dimensions", partitioned.dimensions), ("candidates-per-row", partitioned.candidatesPerRow),
                          ("refine-fanout", partitioned.refineFanout), ("vote-max-documents", partitioned.votes.maxDocuments)]
        for (name, value) in atLeastOne where value < 1 { throw BuildOptionsError(option: name, value: value, bound: "be at least 1") }
        if k > IndexManifest.maximumK { throw BuildOptionsError(option: "k", value: k, bound: "be at most \(IndexManifest.maximumK)") }
        let nonNegative = [("vote-terms", partitioned.votes.terms), ("vote-keep", partitioned.votes.keep),
                           ("vote-budget", partitioned.votes.budget), ("refine-rounds", partitioned.refineRounds ?? 0),
                           ("recall-sample", recallSample)]
        for (name, value) in nonNegative where value < 0 { throw BuildOptionsError(option: name, value: value, bound: "not be negative") }
        if case .partitions(let count, let probes) = partitioned.candidates {
            if let count, count < 1 { throw BuildOptionsError(option: "partitions", value: count, bound: "be at least 1") }
            if let probes, probes < 1 { throw BuildOptionsError(option: "probes", value: probes, bound: "be at least 1") }
        }
    }
}

/// A build option out of range.
public struct BuildOptionsError: Error, CustomStringConvertible, Sendable {
    public var option: String
    public var value: Int
    /// What the value must do: "be at least 1" or "not be negative".
    public var bound: String
    public var description: String { "--\(option) must \(bound), got \(value)" }
}

/// What a build did, stage by stage.
public struct BuildReport: Sendable, Codable {
    /// The index written (nil when the build only measured).
    public var index: String?
    /// The generation written (nil when nothing was written).
    public var generation: Int?
    public var articles: Int
    public var vocabulary: Int
    public var storedEntries: Int
    /// The method used ("exact", "dense" or "partitioned").
    public var method: String
    public var k: Int
    /// recall@10 against exact lists on `BuildOptions.recallSample` articles (approximate methods).
    public var measuredRecall: Double?
    /// Invalid input records skipped (with `CorpusOptions.skipInvalid`).
    public var skippedRecords: Int
    public var workers: Int
    /// Wall and CPU seconds and peak memory after each stage, in order.
    public var stages: [StageFigure]
    /// The vectorizer's own stages (read, count, weigh, …).
    public var vectorizeStages: [NamedSeconds]
    /// The list method's own stages.
    public var listStages: [NamedSeconds]
    /// Seconds by stage as the index manifest records them: "vectorize", "lists", "lists: <stage>",
    /// "recall check (N rows)" (writing excluded).
    public var stageSeconds: [String: Double]
    /// Writing the index (0 when nothing was written).
    public var writeSeconds: Double
    public var seconds: Double
    public var cpuSeconds: Double
    public var peakResidentBytes: Int

    /// JSON keys (README "JSON output"): counts end in `Count`, durations in `Seconds`.
    enum CodingKeys: String, CodingKey {
        case index, generation, method, k, measuredRecall, stages, vectorizeStages, listStages, stageSeconds, writeSeconds, cpuSeconds,
             peakResidentBytes
        case articles = "articleCount", vocabulary = "termCount", storedEntries = "storedEntryCount",
             skippedRecords = "skippedRecordCount", workers = "workerCount", seconds = "wallSeconds"
    }
}

/// A named stage's wall time and the process's CPU time during it, in seconds.
public struct NamedSeconds: Sendable, Codable, Equatable {
    public var name: String
    public var seconds: Double
    public var cpuSeconds: Double

    enum CodingKeys: String, CodingKey {
        case name, cpuSeconds
        case seconds = "wallSeconds"
    }
}

extension SeeAlsoEngine {
    /// Builds an index of `input` in `directory` (created or replaced atomically; nil: compute and
    /// measure only): vectorize, compute every article's `options.k` most related articles, write.
    ///
    /// Cost: vectorizing is one streaming pass on all cores; exact lists cost about n²·H FLOPs plus the
    /// sparse tail (see `ExactAllPairs`), partitioned lists about probes / partitions of that plus a few
    /// hundred exact dot products per article. Progress goes to `progress`.
    ///
    /// Writing into `directory` holds its writer lock for the whole build (waiting up to
    /// `options.waitSeconds` for another writer), so no `add`, `update`, `delete` or `cluster` runs
    /// meanwhile and is lost when the new index replaces the old.
    public static func build(_ input: ArchiveInput, into directory: String?, options: BuildOptions = BuildOptions(),
                             progress: any ProgressReporter = SilentProgress()) throws -> BuildReport {
        try options.validate()
        guard let directory else { return try build(input, session: nil, options: options, progress: progress) }
        return try IndexDirectory(path: directory).withWriter(waitSeconds: options.waitSeconds, purpose: .replace(force: options.force)) { session in
            try build(input, session: session, options: options, progress: progress)
        }
    }

    private static func build(_ input: ArchiveInput, session: IndexWriterSession?, options: BuildOptions,
                              progress: any ProgressReporter) throws -> BuildReport {
        var stages = StageRecorder()
        let reader = try input.reader()
        // Bodies go to disk in a pass of their own when the input can be read twice, so they never add
        // to the vectorizer's peak (about a third of the input's bytes); else the vectorizer keeps them.
        var written: (file: WrittenFile, count: Int)?
        if let session, options.keepTexts, input.canBeReadTwice {
            let task = progress.task("keep article texts")
            written = try session.writeTexts(from: try input.reader(), progress: task)
            task.finish()
        }
        var fit = try vectorize(reader, model: try options.modelFile.map(ModelFile.load), tfidf: options.tfidf,
                                keepTexts: options.keepTexts && session != nil && written == nil, progress: progress)
        if let written, written.count != fit.matrix.rowCount {
            throw IndexError.invalid("the input changed while it was read: \(written.count) texts, \(fit.matrix.rowCount) articles")
        }
        stages.lap("read and vectorize")
        return try build(&fit, sources: reader.paths, session: session, record: ChangeRecord(operation: "build", rebuilt: true),
                         options: options, stages: stages, clusters: nil, writtenTexts: written?.file, progress: progress)
    }

    /// Computes the lists of a vectorized archive and, with a session, writes the index (with the
    /// clusters `clusters` makes from the lists). The fit's texts are written out first and dropped
    /// from memory, so they do not add to the lists' peak.
    ///
    /// With `computedLists` (a sharded build's merged lists) the lists are not computed but taken as they
    /// are, labelled with `options.method`. With `writtenTexts` (`IndexWriterSession.writeTexts(from:progress:)`)
    /// the bodies are already on disk and the fit holds none.
    static func build(_ fit: inout TfidfFit, sources: [String], session: IndexWriterSession?, record: ChangeRecord,
                      options: BuildOptions, stages: StageRecorder, clusters: ((NeighborLists) -> IndexClusters)?,
                      computedLists: NeighborLists? = nil, writtenTexts: WrittenFile? = nil,
                      progress: any ProgressReporter) throws -> BuildReport {
        var stages = stages
        let texts = try writtenTexts ?? session.flatMap { session in options.keepTexts ? try session.writeTexts(fit.texts) : nil }
        fit.texts = TextBlocks()
        // The vectorizer's per-batch buffers and the texts are free now: give them back before the lists' peak.
        System.returnFreedMemory()
        let method = options.method != .auto ? options.method
            : (fit.matrix.rowCount <= BuildOptions.exactLimit ? .exact : .partitioned)
        let (similarity, listStages) = try computedLists.map { lists in
            (ExactIndex(storage: .arrays(fit.matrix, SparsePostings(fit.matrix)), lists: lists) as any SimilarityIndex, [])
        } ?? buildLists(fit.matrix, method: method, options: options, progress: progress)
        stages.lap(computedLists == nil ? "lists (\(method.rawValue))" : "read lists (\(method.rawValue))")
        var contents = IndexContents(model: fit.model, articles: fit.articles, index: similarity, method: method.rawValue,
                                     sources: sources)
        contents.texts = texts.map(StoredTexts.file)
        contents.clusters = clusters?(similarity.lists)
        if method != .exact && options.recallSample > 0 {
            let measured = ExactSearch(storage: similarity.storage, deleted: similarity.deleted)
                .recall(of: similarity.lists, sampleSize: options.recallSample)
            contents.measuredRecall = measured.recall
            stages.lap("recall check (\(measured.rows) rows)")
            progress.note(String(format: "seealso: recall@10 against exact lists on %d sampled articles: %.3f", measured.rows, measured.recall))
        }
        if options.modelFile != nil {
            contents.addedSinceFit = fit.matrix.rowCount
            contents.addedOutOfVocabularyRate = fit.outOfVocabularyRate
        }
        // The manifest's names: "vectorize", "lists", "lists: <stage>", "recall check (N rows)".
        var stageSeconds = ["vectorize": stages.stages[0].seconds, "lists": stages.stages[1].seconds]
        for stage in stages.stages.dropFirst(2) { stageSeconds[stage.name] = stage.seconds }
        for stage in listStages { stageSeconds["lists: " + stage.name] = stage.seconds }
        contents.buildSeconds = stageSeconds
        var generation: Int?
        if let session {
            generation = try IndexWriter.write(contents, session: session, record: record)
            stages.lap("write index")
        }
        return BuildReport(
            index: session?.directory.path, generation: generation, articles: fit.matrix.rowCount, vocabulary: fit.model.vocabulary.count,
            storedEntries: fit.matrix.storedCount, method: method.rawValue, k: options.k, measuredRecall: contents.measuredRecall,
            skippedRecords: fit.skipped.count, workers: Parallelism.workerCount, stages: stages.stages,
            vectorizeStages: fit.timings.stages.map { NamedSeconds(name: $0.name, seconds: $0.seconds, cpuSeconds: $0.cpuSeconds) },
            listStages: listStages.map { NamedSeconds(name: $0.name, seconds: $0.seconds, cpuSeconds: $0.cpuSeconds) },
            stageSeconds: stageSeconds,
            writeSeconds: session == nil ? 0 : stages.stages.last!.seconds, seconds: stages.totalSeconds,
            cpuSeconds: ResourceUsage.cpuSeconds(), peakResidentBytes: ResourceUsage.peakResidentBytes() ?? 0)
    }

    /// Reads and vectorizes an archive: fits TF-IDF, or applies a given model (a stored one, an index's).
    static func vectorize(_ reader: CorpusReader, model: TfidfModel?, tfidf: TfidfConfiguration, keepMetadata: Bool = true,
                          keepTexts: Bool = false, label: String = "read and vectorize", progress: any ProgressReporter) throws -> TfidfFit {
        let task = progress.task(label)
        let fit = try model.map {
            try TfidfVectorizer.transform(reader: reader, model: $0, keepMetadata: keepMetadata, keepTexts: keepTexts, progress: task)
        } ?? TfidfVectorizer.fit(reader: reader, configuration: tfidf, keepMetadata: keepMetadata, keepTexts: keepTexts, progress: task)
        task.finish(fit.timings.description)
        if fit.skipped.count > 0 { progress.note("seealso: " + fit.skipped.summary()) }
        return fit
    }

    /// The similarity index of `matrix` by `method`, and the list stages' seconds.
    private static func buildLists(_ matrix: CSRMatrix, method: BuildOptions.Method, options: BuildOptions,
                                   progress: any ProgressReporter) throws -> (any SimilarityIndex, [(name: String, seconds: Double, cpuSeconds: Double)]) {
        switch method {
        case .exact, .auto:
            let task = progress.task("related lists (exact)", total: matrix.rowCount)
            let exact = ExactIndex(building: matrix, k: options.k, progress: task)
            task.finish()
            return (exact, [])
        case .dense, .partitioned:
            var settings = options.partitioned
            settings.k = options.k
            if method == .dense { settings.candidates = .exhaustive }
            let partitioned = try PartitionedIndex(building: matrix, options: settings, reporter: progress)
            return (partitioned, partitioned.timings.stages)
        }
    }
}
