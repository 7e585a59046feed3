import ArgumentParser
import SeeAlso
import SeeAlsoSynth

struct SynthCommand: ProgressCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Generate a synthetic news archive (JSON Lines, gzip for .gz) for benchmarks.",
        discussion: """
            Articles have gold `label` (topic) and `event` (story) fields, are dated in order over the \
            chosen years, and include syndicated near-duplicates. The same seed and settings give \
            byte-identical files, whatever the thread count.
            """)

    @Option(help: "Number of articles to write, duplicates included.") var articles: Int
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Output file: .jsonl, or .jsonl.gz for gzip.") var out: String
    @Option(help: "Number of topics (gold labels).") var topics = synthDefaults.topics
    @Option(help: "First year of the archive (UTC).") var startYear = synthDefaults.startYear
    @Option(help: "Number of years the archive covers.") var years = synthDefaults.years
    @Option(help: "Share of articles that are syndicated near-duplicate copies.") var duplicateRate = synthDefaults.duplicateRate
    @Option(help: "zlib level (1-9) for .gz output; 1-3 are the fast ones.") var gzipLevel = synthDefaults.gzipLevel
    @Option(help: "Summary format on standard output: text or json.") var format: OutputFormat = .text
    @OptionGroup var global: GlobalOptions

    private func makeConfiguration() -> SynthConfiguration {
        var configuration = SynthConfiguration(articles: articles, seed: seed)
        configuration.topics = topics
        configuration.startYear = startYear
        configuration.years = years
        configuration.duplicateRate = duplicateRate
        configuration.gzipLevel = gzipLevel
        return configuration
    }

    func validate() throws { try validating { try makeConfiguration().validate() } }

    func run(progress: any ProgressReporter) throws {
        let task = progress.task("synth", total: articles)
        let summary = try SyntheticArchive.write(makeConfiguration(), to: out, progress: task)
        task.finish()
        print(format == .json ? JSONLine.encode(summary) : summary.summaryText)
    }
}

/// The defaults of the archive's settings (shown in `synth --help`).
private let synthDefaults = SynthConfiguration(articles: 1, seed: 1)
