import ArgumentParser
import SeeAlsoBLAS
import SeeAlsoSupport

@main
struct SeeAlsoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seealso",
        abstract: "Related-story lists and topic/story clusters for news archives.",
        subcommands: [BuildCommand.self, RelatedCommand.self, AddCommand.self, InfoCommand.self, EvalCommand.self, ClusterCommand.self, VectorizeCommand.self, SynthCommand.self, BenchCommand.self]
    )
}

/// Options every command shares.
struct GlobalOptions: ParsableArguments {
    @Option(help: "Worker threads (default: all cores, or SEEALSO_THREADS).")
    var threads: Int?

    @Flag(help: "No progress lines on standard error.")
    var quiet = false

    /// Applies the thread count to SeeAlso's workers and pins OpenBLAS so the two never oversubscribe the cores.
    func apply() {
        if let threads { Parallelism.setWorkerCount(threads) }
        ProgressReporter.isEnabled = !quiet
        BLAS.setThreads(1)
    }
}

/// Output format of a command's result on standard output.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
