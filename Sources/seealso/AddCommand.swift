import ArgumentParser
import Foundation
import SeeAlsoCorpus
import SeeAlsoIndex
import SeeAlsoSupport

struct AddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add articles to an index with its frozen vocabulary and idf, updating the related lists they enter.",
        discussion: """
        The new articles are vectorized with the index's model as it was fitted: terms it has never seen
        are ignored and idf is not updated. The result equals a full build with the same frozen model.
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

    @Option(help: "Summary format on standard output: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        global.apply()
        let clock = Stopwatch()
        let existing = try Index(path: index)
        let contents: IndexContents
        if refit {
            var options = IndexBuildOptions()
            options.configuration = existing.manifest.configuration
            options.k = existing.k
            options.method = ListMethod(rawValue: existing.manifest.method) ?? .auto
            let reader = try CorpusReader(paths: existing.manifest.sources + [input.input], options: input.corpusOptions())
            contents = try IndexBuilder.build(reader: reader, options: options)
        } else {
            contents = try IndexUpdater.add(to: existing, reader: try input.reader())
        }
        try IndexWriter.write(contents, to: IndexDirectory(path: index))
        let summary = AddSummary(index: index, added: contents.articles.count - existing.articleCount,
                                 articles: contents.articles.count, refit: refit, seconds: clock.seconds,
                                 outOfVocabularyRate: contents.addedOutOfVocabularyRate)
        print(format == .json ? encodeJSON(summary) : summary.text())
        if !refit, let advice = try IndexUpdater.refitAdvice(Index(path: index).manifest) {
            ProgressReporter.note("seealso: " + advice)
        }
    }
}

struct AddSummary: Encodable {
    var index: String
    var added: Int
    var articles: Int
    var refit: Bool
    var seconds: Double
    var outOfVocabularyRate: Double?

    func text() -> String {
        var line = "\(index): added \(added) articles (now \(articles)) in \(String(format: "%.2f", seconds)) s"
        if refit { line += ", model refitted" }
        if let outOfVocabularyRate { line += String(format: ", out-of-vocabulary tokens since the fit %.1f%%", 100 * outOfVocabularyRate) }
        return line
    }
}
