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
    @OptionGroup var index: IndexOption
    @OptionGroup var writer: WriterOptions
    @Option(help: "Measure recall@10 of the new articles' lists against exact lists on N of them (0: skip).") var checkRecall = 0
    @Option(help: "Summary format on standard output: text or json (with the change record: which articles' lists changed).")
    var format: OutputFormat = .text
    @Flag(help: "Refit vocabulary and idf on the articles stored in the index (after this change) and rebuild every list.")
    var refit = false

    func validate() throws {
        guard checkRecall >= 0 else { throw ValidationError("--check-recall must not be negative, got \(checkRecall)") }
    }

    /// Applies `changes` to the index and prints the report (text or JSON); refit advice goes to standard error.
    func run(_ changes: ArchiveChanges, refit: Bool = false, progress: any ProgressReporter) throws {
        var options = WriteOptions()
        options.refit = refit || self.refit
        options.recallSample = checkRecall
        options.waitSeconds = writer.wait
        let report = try SeeAlsoEngine.write(changes, to: index.path, options: options, progress: progress)
        if let advice = report.refitAdvice { progress.note("seealso: " + advice) }
        if format == .json { return printJSON(report) }
        print(report.summary)
    }
}

/// `add` and `update`: an archive to write into an index (`Change` says how and documents the command).
struct ArchiveWriteCommand<Change: ArchiveChange>: ProgressCommand {
    static var configuration: CommandConfiguration { Change.configuration }

    @OptionGroup var input: InputOptions
    @OptionGroup var write: WriteCommandOptions
    @OptionGroup var global: GlobalOptions

    func run(progress: any ProgressReporter) throws { try write.run(Change.changes(try input.archive()), progress: progress) }
}

protocol ArchiveChange {
    static var configuration: CommandConfiguration { get }
    static func changes(_ input: ArchiveInput) -> ArchiveChanges
}

enum AddChange: ArchiveChange {
    static func changes(_ input: ArchiveInput) -> ArchiveChanges { ArchiveChanges(add: input) }
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add articles to an index with its frozen vocabulary and idf, updating the related lists they enter.",
        discussion: """
        Terms the fitted model has never seen are ignored and idf is not updated; on an exact index the
        result equals a full build with the same model. Ids already in the index are refused (`update`
        replaces articles; with --skip-invalid they are skipped and reported); stored topics and stories are kept and the new articles join them. `add`
        advises a refit above 25% of the fitted article count added or 10% unknown tokens; `--refit`
        refits vocabulary and idf on the index's stored articles plus the new ones.
        """)
}

enum UpdateChange: ArchiveChange {
    static func changes(_ input: ArchiveInput) -> ArchiveChanges { ArchiveChanges(update: input) }
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Replace articles of an index by id (title, body, dates, every field), keeping every list current.",
        discussion: """
        Every article of the input must already be in the index. The old version leaves every list
        (lists that held it are refilled with the next best), the new one gets its own list and enters
        the lists it beats, and it moves to the end of the article order (as if published again). On
        an exact index the lists equal a build with the same model over the surviving articles.
        """)
}

struct DeleteCommand: ProgressCommand {
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
    @Option(help: ArgumentHelp("Ids of the articles to delete, comma-separated.", valueName: "id,...")) var id: String?
    @Option(help: ArgumentHelp("A file with one id per line (blank lines ignored).", valueName: "file")) var idsFile: String?

    func validate() throws {
        guard (id != nil) != (idsFile != nil) else { throw ValidationError("give exactly one of --id and --ids-file") }
        if let id, id.split(separator: ",", omittingEmptySubsequences: false).contains(where: \.isEmpty) {
            throw ValidationError("--id: an empty id in \"\(id)\"")
        }
    }

    func run(progress: any ProgressReporter) throws {
        let ids = try id.map { $0.split(separator: ",").map(String.init) } ?? ArchiveChanges.ids(inFile: idsFile!)
        try write.run(ArchiveChanges(delete: ids), progress: progress)
    }
}

struct RefitCommand: ProgressCommand {
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

    func run(progress: any ProgressReporter) throws { try write.run(ArchiveChanges(), refit: true, progress: progress) }
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

    @OptionGroup var index: IndexOption
    @Option(help: ArgumentHelp("The generation the caller's pages were rendered from (0: all kept records).", valueName: "generation"))
    var since: Int
    @Option(help: "Output format on standard output: text or json.") var format: OutputFormat = .text

    func validate() throws {
        guard since >= 0 else { throw ValidationError("--since must be a generation number ≥ 0, got \(since)") }
    }

    func run() throws {
        let summary = try SeeAlsoEngine.changes(in: index.path, since: since)
        if format == .json { return printJSON(summary) }
        for line in summary.lines { print(line.terminalSafe) }
    }
}
