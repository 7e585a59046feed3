import ArgumentParser
import Foundation
import SeeAlso

@main
struct SeeAlsoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seealso",
        abstract: "Related-story lists and topic/story clusters for news archives.",
        version: "seealso " + SeeAlsoVersion.current,
        subcommands: [BuildCommand.self, RelatedCommand.self, ArchiveWriteCommand<AddChange>.self, ArchiveWriteCommand<UpdateChange>.self, DeleteCommand.self,
                      RefitCommand.self, ChangesCommand.self, InfoCommand.self, EvalCommand.self, ClusterCommand.self,
                      ServeCommand.self, KeysCommand.self, VectorizeCommand.self, SynthCommand.self, BenchCommand.self, ReportCommand.self,
                      WorkerCommand.self]
    )
}

/// Options every command shares.
struct GlobalOptions: ParsableArguments {
    @Option(help: "Worker threads (default: all cores, or SEEALSO_THREADS).") var threads: Int?
    @Flag(help: "No progress lines on standard error (warnings such as skipped records are still written).") var quiet = false

    func validate() throws {
        let range = 1...SeeAlsoEngine.maximumWorkerThreads
        if let threads, !range.contains(threads) {
            throw ValidationError("--threads must be between 1 and \(range.upperBound), got \(threads)")
        }
        if let text = ProcessInfo.processInfo.environment["SEEALSO_THREADS"], Int(text).map(range.contains) != true {
            throw ValidationError("SEEALSO_THREADS must be a number of threads between 1 and \(range.upperBound), got \"\(text)\"")
        }
    }

    /// Applies the thread count and returns where progress goes (standard error unless --quiet).
    func apply() -> any ProgressReporter {
        if let threads { SeeAlsoEngine.workerThreads = threads }
        return quiet ? NotesOnlyProgress() : StandardErrorProgress()
    }
}

/// A command that takes the global options: they are applied before it runs, and it reports progress where they say.
protocol ProgressCommand: ParsableCommand {
    var global: GlobalOptions { get }
    func run(progress: any ProgressReporter) throws
}

extension ProgressCommand {
    /// Runs the command. A ValidationError raised while it runs (an option's value checked when it is
    /// used, e.g. --time-zone) is printed alone, without the root command's usage line the parser would
    /// add, and exits with the usage status (64) as at parse time.
    func run() throws {
        do {
            try run(progress: global.apply())
        } catch let error as ValidationError {
            FileHandle.standardError.write(Data("Error: \(error.message)\n".utf8))
            throw ExitCode.validationFailure
        }
    }
}

/// `--index`: the index directory a command reads or changes.
struct IndexOption: ParsableArguments {
    @Option(name: .customLong("index"), help: ArgumentHelp("Index directory.", valueName: "index")) var path: String
}

/// Output format of a command's result on standard output.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

/// Output format of a command that can also print one JSON line per item (`--format jsonl`).
enum ItemsFormat: String, ExpressibleByArgument, CaseIterable { case text, json, jsonl }

/// `body`'s value; what it throws becomes a ValidationError, after "`option`: " when an option is named.
func validating<T>(_ option: String? = nil, _ body: () throws -> T) throws -> T {
    do { return try body() } catch { throw ValidationError((option.map { $0 + ": " } ?? "") + "\(error)") }
}

/// Prints `value` as one line of compact JSON with sorted keys.
func printJSON(_ value: some Encodable) { print(JSONLine.encode(value)) }
