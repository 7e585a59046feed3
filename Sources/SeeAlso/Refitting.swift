import SeeAlsoSupport

extension SeeAlsoEngine {
    /// A write with `WriteOptions.refit`: the index's live articles (bodies from its stored texts, never
    /// from the recorded source paths) with `changes` applied are vectorized with a freshly fitted
    /// vocabulary and idf (the index's TF-IDF settings) and every list is computed again with the
    /// index's method and settings. Stored clusters are kept by article id; added and updated articles
    /// join them (`IncrementalClusters`). Cost: a build of the archive; memory holds every body.
    static func refit(_ existing: Index, applying changes: ArchiveChanges, options: WriteOptions, session: IndexWriterSession,
                      progress: any ProgressReporter) throws -> WriteReport {
        let clock = Stopwatch()
        var stages = StageRecorder()
        var articles = try existing.liveArticles()
        let changed = try readWhole(changes, present: Set(articles.map(\.id)), progress: progress)
        let gone = Set(changed.updated.map(\.id) + changes.delete)
        articles = articles.filter { !gone.contains($0.id) }
        let firstNewRow = articles.count
        articles += changed.added + changed.updated
        stages.lap("read index and changes")
        let manifest = existing.manifest
        let task = progress.task("vectorize with a refitted model", total: articles.count)
        var fit = try TfidfVectorizer.fit(articles: articles, configuration: manifest.configuration, keepTexts: existing.keepsTexts,
                                          progress: task)
        task.finish(fit.timings.description)
        stages.lap("refit and vectorize")

        var settings = BuildOptions()
        settings.tfidf = manifest.configuration
        settings.k = existing.k
        settings.method = BuildOptions.Method(rawValue: manifest.method) ?? .auto
        if let partitioned = manifest.partitioned { settings.partitioned = partitioned }
        settings.recallSample = options.recallSample
        settings.keepTexts = existing.keepsTexts
        var record = ChangeRecord(operation: changes.operation.isEmpty ? "refit" : changes.operation + "+refit", rebuilt: true)
        record.added = changed.added.map(\.id)
        record.updated = changed.updated.map(\.id)
        record.deleted = changes.delete
        let matrix = fit.matrix
        let clusters = existing.clusters.map { stored in
            { (lists: NeighborLists) in
                carriedClusters(stored, from: existing, to: articles, firstNewRow: firstNewRow, matrix: matrix, lists: lists)
            }
        }
        let report = try build(&fit, sources: manifest.sources.addingNew(changed.paths), session: session, record: record, options: settings,
                               stages: stages, clusters: clusters, progress: progress)
        return WriteReport(index: existing.path, operation: record.operation, generation: report.generation ?? 0,
                           added: changed.added.count, updated: changed.updated.count, deleted: changes.delete.count,
                           skippedRecords: changed.skipped,
                           articles: articles.count, refit: true, compacted: true, seconds: clock.seconds, outOfVocabularyRate: 0,
                           measuredRecall: report.measuredRecall, recallRows: nil,
                           refitAdvice: nil, changes: record, stages: report.stages)
    }

    /// The added and updated articles of `changes`, read whole, with every id checked against the
    /// articles `present` (as `write` checks them).
    private static func readWhole(_ changes: ArchiveChanges, present: Set<String>, progress: any ProgressReporter) throws
        -> (added: [Article], updated: [Article], paths: [String], skipped: Int) {
        var ids = ChangeIDs { present.contains($0) }
        var result: (added: [Article], updated: [Article], paths: [String], skipped: Int) = ([], [], [], 0)
        for (kind, input) in [("add", changes.add), ("update", changes.update)] {
            guard let input else { continue }
            let reader = try input.reader()
            let (articles, skipped) = try reader.readAll()
            if skipped.count > 0 { progress.note("seealso: " + skipped.summary()) }
            result.skipped += skipped.count
            let refused = Set(try ids.check(articles.map(\.id), kind, file: reader.path, skipInvalid: input.options.skipInvalid,
                                            progress: progress))
            result.skipped += refused.count
            let kept = articles.indices.filter { !refused.contains($0) }.map { articles[$0] }
            if kind == "add" { result.added = kept } else { result.updated = kept }
            result.paths += input.recordedSources
        }
        for (position, id) in changes.delete.enumerated() { try ids.check(id, "delete", file: "the ids to delete", position: position) }
        return result
    }

    /// `stored` with each surviving article's assignments carried to its new row and the new rows
    /// (from `firstNewRow`) assigned by `IncrementalClusters` on the refitted rows and lists.
    private static func carriedClusters(_ stored: IndexClusters, from existing: Index, to articles: [Article], firstNewRow: Int,
                                        matrix: CSRMatrix, lists: NeighborLists) -> IndexClusters {
        let topics = existing.storedAssignments(.topics), stories = existing.storedAssignments(.stories)
        let oldRows = articles.prefix(firstNewRow).map { existing.row(ofId: $0.id)! }
        return IncrementalClusters(lists: lists, firstNewRow: firstNewRow,
                                   dates: articles.map { $0.date?.secondsSinceEpoch ?? Int64.min }, deleted: RowSet()) { a, b in
            CanonicalScores.dot(matrix, a, matrix, b)
        }.apply(to: stored, topics: topics.isEmpty ? [] : oldRows.map { topics[$0] }, stories: stories.isEmpty ? [] : oldRows.map { stories[$0] })
    }
}
