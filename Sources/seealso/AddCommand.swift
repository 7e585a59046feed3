import ArgumentParser
import SeeAlso

struct AddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add articles to an index with its frozen vocabulary and idf, updating the related lists they enter.",
        discussion: """
        The new articles are vectorized with the index's model as it was fitted: terms it has never seen
        are ignored and idf is not updated. On an exact index the result equals a full build with the
        same frozen model; on a partitioned index the new articles are placed in the stored partitions.
        Refit when the archive has drifted: `add` warns when more than 25% of the fitted article count
        has been added since the fit or more than 10% of the added tokens were out of vocabulary.
        `--refit` rebuilds the index from every source it was built and extended from, plus the new input,
        fitting a new model (the sources must still exist).
        """)

    @OptionGroup var input: InputOptions
    @OptionGroup var global: GlobalOptions

    @Option(help: "Index directory.")
    var index: String

    @Flag(help: "Rebuild from all recorded sources plus the new input, fitting a new model.")
    var refit = false

    @Option(help: "Measure recall@10 of the added articles' lists against exact lists on N of them (0: skip).")
    var checkRecall = 0

    @Option(help: "Summary format on standard output: text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        guard checkRecall >= 0 else { throw ValidationError("--check-recall must not be negative, got \(checkRecall)") }
    }

    func run() throws {
        let progress = global.apply()
        var options = AddOptions()
        options.refit = refit
        options.recallSample = checkRecall
        let report = try SeeAlsoEngine.add(try input.archive(), to: index, options: options, progress: progress)
        if let advice = report.refitAdvice { progress.note("seealso: " + advice) }
        if format == .json { return printJSON(report) }
        var line = "\(index): added \(report.added) articles (now \(report.articles)) in \(seconds(report.seconds)) s"
        if refit { line += ", model refitted" }
        if let rate = report.outOfVocabularyRate { line += String(format: ", out-of-vocabulary tokens since the fit %.1f%%", 100 * rate) }
        if let recall = report.measuredRecall, let rows = report.recallRows {
            line += String(format: ", recall@10 of the added articles %.3f (%d measured)", recall, rows)
        }
        print(line)
    }
}
