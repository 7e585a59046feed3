import Foundation
import SeeAlsoSupport

/// Changes to an index's archive, applied as one write (one new generation).
public struct ArchiveChanges: Sendable {
    /// New articles; their ids must not be in the index.
    public var add: ArchiveInput?
    /// Articles replaced by id (title, body, dates, every field); their ids must be in the index.
    public var update: ArchiveInput?
    /// Ids of articles to remove.
    public var delete: [String]
    /// Articles to add or replace, decided under the writer lock: an id the index holds is updated,
    /// a new id is added (what a CMS's "save" means). Not combined with `add` or `update`.
    public var upsert: [Article]

    public init(add: ArchiveInput? = nil, update: ArchiveInput? = nil, delete: [String] = [], upsert: [Article] = []) {
        self.add = add
        self.update = update
        self.delete = delete
        self.upsert = upsert
    }

    /// The ids listed in a text file, one per line (surrounding spaces and blank lines ignored); throws
    /// a `CorpusError` naming the file when it cannot be read, is not UTF-8 or lists no id.
    public static func ids(inFile path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CorpusError(.unreadableFile, file: path, "cannot read the file") }
        guard let text = String(data: data, encoding: .utf8) else { throw CorpusError(.invalidUTF8, file: path, "not UTF-8 text") }
        let ids = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !ids.isEmpty else { throw CorpusError(.emptyCorpus, file: path, "lists no id") }
        return ids
    }

    /// "add", "update", "delete", or a list of them joined by "+".
    var operation: String {
        [add.map { _ in "add" }, update.map { _ in "update" }, delete.isEmpty ? nil : "delete"].compactMap { $0 }.joined(separator: "+")
    }
}

/// How `SeeAlsoEngine.write` changes an index.
public struct WriteOptions: Sendable {
    /// Seconds a writer waits for another writer of the same index before it gives up.
    public static let defaultWaitSeconds = 60.0

    /// Rebuild with a model refitted on the index's articles (after the changes) instead of using
    /// the frozen vocabulary and idf.
    public var refit = false
    /// recall@10 of the new articles' lists against exact lists, on this many of them (0: skip).
    public var recallSample = 0
    /// Seconds to wait for another writer (`defaultWaitSeconds`).
    public var waitSeconds = WriteOptions.defaultWaitSeconds

    public init() {}
}

/// What a write did.
public struct WriteReport: Sendable, Codable {
    public var index: String
    /// "add", "update", "delete" (or several joined by "+").
    public var operation: String
    /// The generation published.
    public var generation: Int
    public var added: Int
    public var updated: Int
    public var deleted: Int
    /// Invalid input records skipped (with `CorpusOptions.skipInvalid`; reported on standard error).
    public var skippedRecords: Int
    /// Articles in the index now.
    public var articles: Int
    public var refit: Bool
    /// Whether the files were rewritten as one base segment without deleted rows.
    public var compacted: Bool
    public var seconds: Double
    /// Share of the tokens of the articles written since the fit that the model does not know.
    public var outOfVocabularyRate: Double?
    /// recall@10 of the new articles' lists (with `WriteOptions.recallSample`), and on how many; after
    /// a refit, of all lists on a sample (the build's check, for approximate methods).
    public var measuredRecall: Double?
    public var recallRows: Int?
    /// Set when the model should be refitted (see `SeeAlsoEngine.refitAdvice`).
    public var refitAdvice: String?
    /// Articles whose pages changed, for caches (also stored as the generation's change record).
    public var changes: ChangeRecord
    public var stages: [StageFigure]

    /// JSON keys (README "JSON output"): counts end in `Count` (`changes` holds the ids), durations in `Seconds`.
    enum CodingKeys: String, CodingKey {
        case index, operation, generation, refit, compacted, outOfVocabularyRate, measuredRecall, refitAdvice, changes, stages
        case added = "addedCount", updated = "updatedCount", deleted = "deletedCount", skippedRecords = "skippedRecordCount",
             articles = "articleCount", seconds = "wallSeconds", recallRows = "recallArticleCount"
    }
}

extension WriteReport {
    /// One line for a person: what was written, the generation, how many other lists changed, and the
    /// figures the write measured.
    public var summary: String {
        let counts = [("added", added, "add"), ("updated", updated, "update"), ("deleted", deleted, "delete")]
            .filter { $0.1 > 0 || operation.contains($0.2) }.map { "\($0.0) \($0.1)" }
        var line = "\(index): \(counts.isEmpty ? "refitted" : counts.joined(separator: ", ") + " articles") (now \(articles) articles) in "
            + String(format: "%.2f s, generation %d, ", seconds, generation)
            + (changes.rebuilt ? "every list recomputed" : "lists changed for \(changes.listsChanged.count) other articles")
        if refit && !counts.isEmpty { line += ", model refitted" }
        if compacted { line += ", files compacted" }
        if let rate = outOfVocabularyRate { line += String(format: ", out-of-vocabulary tokens since the fit %.1f%%", 100 * rate) }
        if let recall = measuredRecall, let rows = recallRows { line += String(format: ", recall@10 of the new articles %.3f (%d measured)", recall, rows) }
        return line
    }
}

extension SeeAlsoEngine {
    /// Adds the articles of `input` to the index at `directory` (see `write`).
    public static func add(_ input: ArchiveInput, to directory: String, options: WriteOptions = WriteOptions(),
                           progress: any ProgressReporter = SilentProgress()) throws -> WriteReport {
        try write(ArchiveChanges(add: input), to: directory, options: options, progress: progress)
    }

    /// Replaces the articles of `input`, by id, in the index at `directory` (see `write`).
    public static func update(_ input: ArchiveInput, in directory: String, options: WriteOptions = WriteOptions(),
                              progress: any ProgressReporter = SilentProgress()) throws -> WriteReport {
        try write(ArchiveChanges(update: input), to: directory, options: options, progress: progress)
    }

    /// Removes the articles with `ids` from the index at `directory` (see `write`).
    public static func delete(ids: [String], from directory: String, options: WriteOptions = WriteOptions(),
                              progress: any ProgressReporter = SilentProgress()) throws -> WriteReport {
        try write(ArchiveChanges(delete: ids), to: directory, options: options, progress: progress)
    }

    /// Applies `changes` to the index at `directory` and publishes one new generation, holding the
    /// directory's writer lock from reading the live generation to publishing (waiting up to
    /// `options.waitSeconds` for another writer).
    ///
    /// New and updated articles are vectorized with the index's frozen vocabulary and idf (unknown
    /// terms are ignored). An updated article is a deleted row plus a new row (it moves to the end of
    /// the article order, as if published again). A deleted row leaves every list, and every list that
    /// held it is refilled with the next best; new rows get their lists and enter every list they beat.
    /// On an exact index the lists then equal `build` with the same model over the surviving articles
    /// in index order; on a partitioned index new rows run the build's stages against the stored
    /// partitions and refilled lists draw on their neighbourhood (`PartitionedIndex`), so the cost grows
    /// with the articles changed, not with the archive. Stored topics and stories are kept, new rows
    /// join them (`IncrementalClusters`). The files are compacted into one base segment without deleted
    /// rows when the tail outgrows an eighth of the base or deleted rows pass a tenth of all rows.
    public static func write(_ changes: ArchiveChanges, to directory: String, options: WriteOptions = WriteOptions(),
                             progress: any ProgressReporter = SilentProgress()) throws -> WriteReport {
        guard changes.upsert.isEmpty || (changes.add == nil && changes.update == nil) else {
            throw IndexError.invalid("upserted articles cannot be combined with an add or update input")
        }
        return try IndexDirectory(path: directory).withWriter(waitSeconds: options.waitSeconds, purpose: .change) { session in
            let existing = try Index(path: directory)
            return try UpsertFiles.resolving(changes, present: { existing.row(ofId: $0) != nil }) { changes in
                options.refit
                    ? try refit(existing, applying: changes, options: options, session: session, progress: progress)
                    : try ArchiveWrite(existing: existing, changes: changes, options: options, session: session, progress: progress).run()
            }
        }
    }

    /// When `refitAdvice` advises a refit, in words.
    public static let refitAdvicePoint = "25% of the fitted article count written since the fit, or 10% out-of-vocabulary tokens"

    /// Advice to refit when more than 25 % of the fitted article count was added since the fit, or
    /// more than 10 % of the added tokens were out of vocabulary.
    static func refitAdvice(addedSinceFit: Int, fittedOn: Int, outOfVocabularyRate rate: Double) -> String? {
        let share = Double(addedSinceFit) / Double(max(1, fittedOn))
        guard share > 0.25 || rate > 0.10 else { return nil }
        return String(format: "%.0f%% of the fitted article count added since the fit, %.1f%% of their tokens out of vocabulary: "
                      + "consider `--refit` (refits vocabulary and idf on the index's articles)", 100 * share, 100 * rate)
    }
}
