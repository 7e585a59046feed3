import ArgumentParser
import SeeAlso

struct VectorizeCommand: ProgressCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectorize",
        abstract: "Fit TF-IDF on an archive; write the model and optionally the matrix.")

    @OptionGroup var input: InputOptions
    @OptionGroup var vectorizer: VectorizerOptions
    @OptionGroup var global: GlobalOptions
    @Option(help: "Write the fitted model (configuration, vocabulary, idf) to this JSON file.") var output: String?
    @Option(help: "Write the TF-IDF matrix in MatrixMarket coordinate format (rows in input order).") var exportMtx: String?
    @Option(help: "Write the vocabulary, one term per line, in column order.") var exportVocab: String?
    @Option(help: "Summary format on standard output: text or json.") var format: OutputFormat = .text

    func run(progress: any ProgressReporter) throws {
        let report = try SeeAlsoEngine.vectorize(try input.archive(for: vectorizer), tfidf: try vectorizer.configuration(),
                                                 outputs: VectorizeOutputs(model: output, matrixMarket: exportMtx, vocabulary: exportVocab),
                                                 progress: progress)
        if format == .json { return printJSON(report) }
        print(report.summaryText(input: input.input))
    }
}
