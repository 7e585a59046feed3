import SeeAlsoSupport

/// One `SeeAlsoEngine.write` with the frozen model, run while its writer holds the lock: read and
/// check the changes, update the lists and clusters, publish one generation.
struct ArchiveWrite {
    let existing: Index
    let changes: ArchiveChanges
    let options: WriteOptions
    let session: IndexWriterSession
    let progress: any ProgressReporter

    /// The new rows (added articles, then updated ones) and the rows they replace or remove.
    private struct Plan {
        var articles: [ArticleMetadata] = []
        var matrix: CSRMatrix
        /// Their bodies, when the index keeps texts.
        var texts: TextBlocks?
        var added = 0
        var updatedIDs: [String] = []
        var deletedIDs: [String] = []
        var deletedRows: [Int] = []
        var paths: [String] = []
        /// Records skipped as invalid (`CorpusOptions.skipInvalid`).
        var skipped = 0
        /// Σ out-of-vocabulary share × articles, for the running rate since the fit.
        var outOfVocabularyWeight = 0.0
    }

    func run() throws -> WriteReport {
        let clock = Stopwatch()
        var stages = StageRecorder()
        let plan = try readChanges()
        stages.lap("read and vectorize")
        var similarity = try existing.similarityIndex()
        stages.lap("load index")
        let before = similarity.lists
        similarity.delete(plan.deletedRows)
        var lists = similarity.lists
        if plan.matrix.rowCount > 0 {
            let task = progress.task("update related lists", total: plan.matrix.rowCount)
            lists = similarity.listsAdding(plan.matrix, progress: task)
            task.finish()
        }
        stages.lap("lists")
        var record = ChangeRecord(operation: changes.operation)
        record.added = plan.articles.prefix(plan.added).map(\.id)
        record.updated = plan.updatedIDs
        record.deleted = plan.deletedIDs
        record.listsChanged = changedLists(before: before, after: lists, deleted: similarity.deleted, firstUpdatedRow: existing.articleCount + plan.added)
        let clusters = existing.clusters.map { stored in
            let n = existing.articleCount
            return existing.rowStorage.withRows { indexed in
                IncrementalClusters(lists: lists, firstNewRow: n,
                                    dates: (0..<n).map(existing.dateSeconds) + plan.articles.map { $0.date?.secondsSinceEpoch ?? Int64.min },
                                    deleted: similarity.deleted) { a, b in
                    // a is a new row; b any row.
                    b < n ? CanonicalScores.dot(plan.matrix, a - n, indexed, b) : CanonicalScores.dot(plan.matrix, a - n, plan.matrix, b - n)
                }.apply(to: stored, topics: existing.storedAssignments(.topics), stories: existing.storedAssignments(.stories))
            }
        }
        if clusters != nil { stages.lap("assign topics and stories") }

        let manifest = existing.manifest
        let newCount = plan.articles.count
        let addedSinceFit = manifest.addedSinceFit + newCount
        let rate = ((manifest.addedOutOfVocabularyRate ?? 0) * Double(manifest.addedSinceFit) + plan.outOfVocabularyWeight)
            / Double(max(1, addedSinceFit))
        let total = existing.articleCount + newCount
        let compact = existing.articleCount - existing.baseRowCount + newCount > existing.baseRowCount / 8
            || similarity.deleted.count > total / 10
        let generation: Int
        if compact {
            similarity.append(plan.matrix)
            similarity.lists = lists
            var contents = IndexContents(model: existing.model(), articles: existing.allMetadata() + plan.articles, index: similarity,
                                         method: manifest.method, sources: manifest.sources.addingNew(plan.paths))
            contents.measuredRecall = manifest.measuredRecall
            contents.addedSinceFit = addedSinceFit
            contents.addedOutOfVocabularyRate = rate
            contents.buildSeconds = [changes.operation: clock.seconds]
            contents.clusters = clusters
            if var texts = try existing.textBlocks(), let added = plan.texts {
                texts.append(added)
                contents.texts = .blocks(texts)
            }
            generation = try IndexWriter.write(contents.removing(similarity.deleted), session: session, record: record)
        } else {
            var tail = try tailContents(adding: plan, to: similarity)
            tail.deleted = similarity.deleted
            tail.clusters = clusters
            if var texts = try existing.tailTextBlocks(), let added = plan.texts {
                texts.append(added)
                tail.texts = texts
            }
            generation = try IndexWriter.writeTail(tail, lists: lists, over: existing, session: session, record: record) { manifest in
                manifest.addedSinceFit = addedSinceFit
                manifest.addedOutOfVocabularyRate = rate
                manifest.sources = manifest.sources.addingNew(plan.paths)
                manifest.buildSeconds = [changes.operation: clock.seconds]
            }
        }
        record.generation = generation
        stages.lap(compact ? "write index (compacted)" : "write index (tail)")
        var recall: (recall: Double, rows: Int)?
        if options.recallSample > 0 && newCount > 0 {
            // Read in place from the generation just written; the new rows are its last rows.
            let written = try Index(path: existing.path)
            recall = ExactSearch(storage: written.rowStorage, deleted: written.deleted)
                .recall(of: written.lists(), sampleSize: options.recallSample, rows: written.articleCount - newCount..<written.articleCount)
            stages.lap("recall check")
        }
        return WriteReport(index: existing.path, operation: changes.operation, generation: generation, added: plan.added,
                           updated: plan.updatedIDs.count, deleted: plan.deletedIDs.count, skippedRecords: plan.skipped,
                           articles: existing.liveArticleCount + plan.added - plan.deletedIDs.count, refit: false, compacted: compact,
                           seconds: clock.seconds, outOfVocabularyRate: newCount > 0 ? rate : nil,
                           measuredRecall: recall?.recall, recallRows: recall?.rows,
                           refitAdvice: newCount == 0 ? nil : SeeAlsoEngine.refitAdvice(addedSinceFit: addedSinceFit,
                                                                                        fittedOn: manifest.modelDocumentCount,
                                                                                        outOfVocabularyRate: rate),
                           changes: record, stages: stages.stages)
    }

    /// Reads and vectorizes the added and updated articles and checks every id: added ones must be
    /// new, updated and deleted ones present, and no id may be given twice.
    private func readChanges() throws -> Plan {
        let model = existing.model()
        var plan = Plan(matrix: CSRMatrix(rowCount: 0, columnCount: model.vocabulary.count, rowStarts: [0], columns: [], values: []),
                        texts: existing.keepsTexts ? TextBlocks() : nil)
        var ids = ChangeIDs { existing.row(ofId: $0) != nil }
        for (kind, input) in [("add", changes.add), ("update", changes.update)] {
            guard let input else { continue }
            let reader = try input.reader()
            var fit = try SeeAlsoEngine.vectorize(reader, model: model, tfidf: model.configuration, keepTexts: plan.texts != nil,
                                                  label: kind == "add" ? "read and vectorize new articles" : "read and vectorize updated articles",
                                                  progress: progress)
            let refused = try ids.check(fit.articles.map(\.id), kind, file: reader.path, skipInvalid: input.options.skipInvalid,
                                        progress: progress)
            if !refused.isEmpty {
                let left = RowSet(refused)
                let kept = fit.articles.indices.filter { !left.contains($0) }
                fit.articles = kept.map { fit.articles[$0] }
                fit.matrix = fit.matrix.selectingRows(kept)
                if plan.texts != nil { fit.texts = try fit.texts.removing(left) }
            }
            for article in fit.articles where kind == "update" {
                if let row = existing.row(ofId: article.id) {
                    plan.deletedRows.append(row)
                    plan.updatedIDs.append(article.id)
                }
            }
            if kind == "add" { plan.added = fit.articles.count }
            plan.articles += fit.articles
            plan.matrix.append(fit.matrix)
            plan.texts?.append(fit.texts)
            plan.paths += input.recordedSources
            plan.skipped += fit.skipped.count + refused.count
            plan.outOfVocabularyWeight += (fit.outOfVocabularyRate ?? 0) * Double(fit.articles.count)
        }
        for (position, id) in changes.delete.enumerated() {
            try ids.check(id, "delete", file: "the ids to delete", position: position)
            plan.deletedRows.append(existing.row(ofId: id)!)
            plan.deletedIDs.append(id)
        }
        return plan
    }

    /// Ids of the surviving articles whose lists changed: an entry came, went, moved or changed score,
    /// or an entry is an updated article (rows from `firstUpdatedRow` on), whose title or date may differ.
    private func changedLists(before: NeighborLists, after: NeighborLists, deleted: RowSet, firstUpdatedRow: Int) -> [String] {
        let k = before.k
        var changed: [String] = []
        for row in 0..<before.rowCount where !deleted.contains(row) {
            let slots = row * k..<(row + 1) * k
            if before.ids[slots] != after.ids[slots] || before.scores[slots] != after.scores[slots]
                || after.ids[slots].contains(where: { Int($0) >= firstUpdatedRow }) {
                changed.append(existing.id(row))
            }
        }
        return changed
    }

    /// The tail segment with the new rows appended (for the partitioned index, with their reduced
    /// vectors and partitions); deleted tail rows keep their place but lose their id.
    private func tailContents(adding plan: Plan, to similarity: any SimilarityIndex) throws -> TailContents {
        var matrix = existing.tailMatrix()
        matrix.append(plan.matrix)
        let firstRow = existing.baseRowCount
        var articles = existing.tailMetadata() + plan.articles
        for row in similarity.deleted.sorted where row >= firstRow { articles[row - firstRow].id = "" }
        var tail = TailContents(articles: articles, matrix: matrix, firstRow: firstRow, vectors: nil, partitionOfRow: [])
        if let partitioned = similarity as? PartitionedIndex {
            var (vectors, partitionOfRow) = try existing.tailReducedRows(dimension: partitioned.svd.rank)
            let placed = partitioned.placement(of: plan.matrix)
            vectors.append(placed.vectors)
            tail.vectors = vectors
            tail.partitionOfRow = partitionOfRow + placed.partitionOfRow
        }
        return tail
    }
}
