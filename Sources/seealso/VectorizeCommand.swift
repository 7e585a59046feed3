import ArgumentParser
import Foundation
import SeeAlsoCorpus
import SeeAlsoSupport
import SeeAlsoVectorize

struct VectorizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectorize",
        abstract: "Fit TF-IDF on an archive; write the model and optionally the matrix.")

    @OptionGroup var input: InputOptions
    @OptionGroup var vectorizer: VectorizerOptions
    @OptionGroup var global: GlobalOptions

    @Option(help: "Write the fitted model (configuration, vocabulary, idf) to this JSON file.")
    var output: String?

    @Option(help: "Write the TF-IDF matrix in MatrixMarket coordinate format (rows in input order).")
    var exportMtx: String?

    @Option(help: "Write the vocabulary, one term per line, in column order.")
    var exportVocab: String?

    @Option(help: "Summary format on standard output: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        global.apply()
        let configuration = try vectorizer.configuration()
        let clock = Stopwatch()
        let reader = try input.reader()
        let progress = ProgressReporter("vectorize")
        let fit = try TfidfVectorizer.fit(reader: reader, configuration: configuration, keepMetadata: false, progress: progress)
        progress.finish(fit.timings.description)
        let fitSeconds = clock.seconds
        if fit.skipped.count > 0 { ProgressReporter.note("seealso: " + fit.skipped.summary()) }
        if let output { try ModelFile.save(fit.model, to: output) }
        if let exportMtx { try MatrixMarket.write(fit.matrix, to: exportMtx) }
        if let exportVocab { try MatrixMarket.writeVocabulary(fit.model.vocabulary, to: exportVocab) }
        let summary = VectorizeSummary(
            input: input.input, documents: fit.matrix.rowCount, vocabulary: fit.model.vocabulary.count,
            storedEntries: fit.matrix.storedCount, skipped: fit.skipped.count, fitSeconds: fitSeconds,
            peakResidentBytes: ResourceUsage.peakResidentBytes() ?? 0)
        print(format == .json ? summary.json() : summary.text())
    }
}

struct VectorizeSummary: Encodable {
    var input: String
    var documents: Int
    var vocabulary: Int
    var storedEntries: Int
    var skipped: Int
    var fitSeconds: Double
    var peakResidentBytes: Int

    func text() -> String {
        """
        \(input): \(documents) articles, \(vocabulary) terms, \(storedEntries) stored entries \
        (\(String(format: "%.1f", Double(storedEntries) / Double(max(1, documents)))) per article)
        fitted in \(String(format: "%.3f", fitSeconds)) s, peak memory \(peakResidentBytes >> 20) MiB\
        \(skipped > 0 ? ", \(skipped) invalid records skipped" : "")
        """
    }

    func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}
