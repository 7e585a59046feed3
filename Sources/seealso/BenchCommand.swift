import ArgumentParser
import SeeAlso

struct BenchCommand: ProgressCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time SeeAlso's own pipeline on an archive: each stage's seconds and peak memory, as JSON.",
        discussion: """
            Reads and vectorizes the archive (TF-IDF options as for build), computes every article's related \
            list with --method, and optionally writes the index (--index DIR). Prints the build report as one \
            JSON object on standard output (Schemas/build-report.schema.json): each stage's wall and CPU \
            seconds and the peak resident memory after it (stages), the vectorizer's and the list method's own \
            stage timings (vectorizeStages, listStages), articleCount, termCount, storedEntryCount, \
            measuredRecall, cpuSeconds and peakResidentBytes. \
            Kernel benchmarks against the machine's limits (dense all-pairs on given vectors, sgemm rates) \
            are `seealso-kernels`, beside the other benchmark code in Benchmarks/.
            """)

    @OptionGroup var input: InputOptions
    @OptionGroup var vectorizer: VectorizerOptions
    @OptionGroup var lists: ListOptions
    @OptionGroup var global: GlobalOptions
    @Option(help: "Also write the index to this directory (timed as the last stage).") var index: String?

    func run(progress: any ProgressReporter) throws {
        var options = try lists.options()
        options.tfidf = try vectorizer.configuration()
        let report = try SeeAlsoEngine.build(try input.archive(for: vectorizer), into: index, options: options, progress: progress)
        printJSON(report)
    }
}
