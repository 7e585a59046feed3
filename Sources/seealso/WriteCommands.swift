import ArgumentParser
import Foundation
import SeeAlso

/// Options of every command that changes an index.
struct WriterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Seconds to wait for another writer of the index before giving up.", valueName: "seconds"))
    var wait = WriteOptions.defaultWaitSeconds

    func validate() throws {
        guard wait.isFinite, wait >= 0 else { throw ValidationError("--wait must be a number of seconds ≥ 0, got \(wait)") }
    }
}

/// What `add`, `update` and `delete` share: the index, the writer options and the report.
struct WriteCommandOptions: ParsableArguments {
    @Option(help: "Index directory.")
    var index: String

    @OptionGroup var writer: WriterOptions

    @Option(help: "Measure recall@10 of the new articles' lists against exact lists on N of them (0: skip).")
    var checkRecall = 0

    @Option(help: "Summary format on standard output: text or json (with the change record: which articles' lists changed).")
    var format: OutputFormat = .text

    @Flag(help: "Refit vocabulary and idf on the articles stored in the index (after this change) and rebuild every list.")
    var refit = false

    func validate() throws {
        guard checkRecall >= 0 else { throw ValidationError("--check-recall must not be negative, got \(checkRecall)") }
    }

    func options() -> WriteOptions {
        var options = WriteOptions()
        options.refit = refit
        options.recallSample = checkRecall
        options.waitSeconds = writer.wait
        return options
    }

    func print(_ report: WriteReport, progress: any ProgressReporter) {
        if let advice = report.refitAdvice { progress.note("seealso: " + advice) }
        if format == .json { return printJSON(report) }
        var parts: [String] = []
        if report.added > 0 || report.operation.contains("add") { parts.append("added \(report.added)") }
        if report.updated > 0 || report.operation.contains("update") { parts.append("updated \(report.updated)") }
        if report.deleted > 0 || report.operation.contains("delete") { parts.append("deleted \(report.deleted)") }
        let done = parts.isEmpty ? "refitted" : parts.joined(separator: ", ") + " articles"
        var line = "\(index): \(done) (now \(report.articles) articles) in \(seconds(report.seconds)) s, "
            + "generation \(report.generation), "
            + (report.changes.rebuilt ? "every list recomputed" : "lists changed for \(report.changes.listsChanged.count) other articles")
        if report.refit && !parts.isEmpty { line += ", model refitted" }
        if report.compacted { line += ", files compacted" }
        if let rate = report.outOfVocabularyRate { line += String(format: ", out-of-vocabulary tokens since the fit %.1f%%", 100 * rate) }
        if let recall = report.measuredRecall, let rows = report.recallRows {
            line += String(format: ", recall@10 of the new articles %.3f (%d measured)", recall, rows)
        }
        Swift.print(line)
    }
}

struct AddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add articles to an index with its frozen vocabulary and idf, updating the related lists they enter.",
        discussion: """
        The new articles are vectorized with the index's model as it was fitted: terms it has never seen
        are ignored and idf is not updated. On an exact index the result equals a full build with the
        same frozen model; on a partitioned index the new articles are placed in the stored partitions.
        Ids already in the index are refused (`seealso update` replaces articles). Stored topics and
        stories are kept and the new articles join them. Refit when the archive has drifted: `add`
        warns when more than 25% of the fitted article count has been added since the fit or more than
        10% of the added tokens were out of vocabulary; `--refit` refits vocabulary and idf on the
        articles stored in the index plus the new ones and rebuilds the lists.
        """)

    @OptionGroup var input: InputOptions
    @OptionGroup var write: WriteCommandOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let progress = global.apply()
        let report = try SeeAlsoEngine.add(try input.archive(), to: write.index, options: write.options(), progress: progress)
        write.print(report, progress: progress)
    }
}

struct UpdateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Replace articles of an index by id (title, body, dates, every field), keeping every list current.",
        discussion: """
        Every article of the input must already be in the index. The old version leaves every list
        (lists that held it are refilled with the next best), the new version gets its own list and
        enters the lists it beats, and it moves to the end of the article order (as if published again).
        On an exact index the lists equal a build with the same model over the surviving articles.
        """)

    @OptionGroup var input: InputOptions
    @OptionGroup var write: WriteCommandOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let progress = global.apply()
        let report = try SeeAlsoEngine.update(try input.archive(), in: write.index, options: write.options(), progress: progress)
        write.print(report, progress: progress)
    }
}

struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Remove articles from an index (unpublished, taken down); every list that held one is refilled.",
        discussion: """
        A deleted article never appears in any list again. Its row stays in the files, unlisted, until
        deleted rows pass a tenth of all rows; then the files are rewritten without them (answers do
        not change).
        """)

    @OptionGroup var write: WriteCommandOptions
    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Ids of the articles to delete, comma-separated.", valueName: "id,..."))
    var id: String?

    @Option(help: ArgumentHelp("A file with one id per line (blank lines ignored).", valueName: "file"))
    var idsFile: String?

    func validate() throws {
        guard (id != nil) != (idsFile != nil) else { throw ValidationError("give exactly one of --id and --ids-file") }
        if let id, id.split(separator: ",", omittingEmptySubsequences: false).contains(where: \.isEmpty) {
            throw ValidationError("--id: an empty id in \"\(id)\"")
        }
    }

    func ids() throws -> [String] {
        if let id { return id.split(separator: ",").map(String.init) }
        guard let idsFile, let data = FileManager.default.contents(atPath: idsFile) else {
            throw ValidationError("--ids-file: cannot read \(idsFile ?? "")")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ValidationError("--ids-file: \(idsFile) is not UTF-8 text") }
        let ids = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !ids.isEmpty else { throw ValidationError("--ids-file: \(idsFile) holds no id") }
        return ids
    }

    func run() throws {
        let progress = global.apply()
        let report = try SeeAlsoEngine.delete(ids: try ids(), from: write.index, options: write.options(), progress: progress)
        write.print(report, progress: progress)
    }
}

struct RefitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refit",
        abstract: "Refit an index's vocabulary and idf on the articles it stores and recompute every list.",
        discussion: """
        The articles come from the index itself (their bodies are kept in it; an index built with
        --no-texts cannot be refitted), never from the paths it was built from. Topics and stories are
        kept by article id. The same as `--refit` on add, update or delete, without a change.
        """)

    @OptionGroup var write: WriteCommandOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let progress = global.apply()
        var options = write.options()
        options.refit = true
        write.print(try SeeAlsoEngine.write(ArchiveChanges(), to: write.index, options: options, progress: progress), progress: progress)
    }
}

struct ChangesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract: "Which articles' pages changed since a generation of the index (for caches).",
        discussion: """
        Every write stores what it changed. This lists, over all generations after GENERATION up to the
        live one: articles added, updated and deleted, and other articles whose "See also" box changed.
        `complete` is false when records that old are no longer kept, or a generation rebuilt the index:
        then refresh every page. Pass the `generation` printed here as --since next time.
        """)

    @Option(help: "Index directory.")
    var index: String

    @Option(help: ArgumentHelp("The generation the caller's pages were rendered from (0: all kept records).", valueName: "generation"))
    var since: Int

    @Option(help: "Output format on standard output: text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        guard since >= 0 else { throw ValidationError("--since must be a generation number ≥ 0, got \(since)") }
    }

    func run() throws {
        let summary = try SeeAlsoEngine.changes(in: index, since: since)
        if format == .json { return printJSON(summary) }
        print("generation \(summary.generation) (since \(since)): \(summary.complete ? "complete" : "INCOMPLETE: refresh every page")")
        for (name, ids) in [("added", summary.added), ("updated", summary.updated), ("deleted", summary.deleted),
                            ("lists changed", summary.listsChanged)] {
            print("\(name) (\(ids.count)): \(ids.joined(separator: " ").terminalSafe)")
        }
    }
}
