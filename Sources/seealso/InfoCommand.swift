import ArgumentParser
import SeeAlso

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Show an index's counts, sizes, configuration and build figures.")

    @OptionGroup var index: IndexOption
    @Flag(help: "Check every file's checksum (always done for files up to 64 MiB).") var verify = false
    @Option(help: "text or json.") var format: OutputFormat = .text

    func run() throws {
        let engine = try SeeAlsoEngine(path: index.path, verify: verify)
        if format == .json { return printJSON(engine.info) }
        print(engine.infoText(verified: verify))
    }
}
