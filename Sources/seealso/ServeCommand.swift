import ArgumentParser
import Logging
import SeeAlso
import SeeAlsoServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the index over HTTP/JSON (related lists, articles, topics, stories; writes with a key).",
        discussion: "The API is described by the OpenAPI document at GET /openapi.json. Prints one JSON line with the address on "
            + "standard output once listening; logs go to standard error. SIGTERM or SIGINT finishes requests and queued writes, then exits.")

    @OptionGroup var index: IndexOption
    @Option(help: "Address to listen on.") var host = serverDefaults.host
    @Option(help: "Port (0: any free port).") var port = serverDefaults.port
    @Option(help: "Key file of the keys that may write (seealso keys create); without it the server takes no writes.") var apiKeys: String?
    @Option(help: "Key file of the keys that may read; without it reads need no key.") var readKeys: String?
    @Flag(help: "Refuse every write (403).") var readOnly = false
    @Option(help: "Largest request body in bytes (413 above it).") var maxBodyBytes = serverDefaults.maxBodyBytes
    @Option(help: "Most articles waiting to be written (429 above it).") var maxQueuedArticles = serverDefaults.maxQueuedArticles
    @Option(help: "Most articles one generation (group commit) writes.") var maxGroupArticles = serverDefaults.maxGroupArticles
    @Option(help: "Most new texts in one POST /v1/related/batch.") var maxBatchArticles = serverDefaults.maxBatchArticles
    @Option(help: "Seconds a write waits for its publish (then 503; it stays queued) and an idle connection is kept.")
    var requestTimeout = serverDefaults.requestTimeoutSeconds
    @Option(help: "Seconds between checks for a generation published by another process.")
    var reloadInterval = serverDefaults.reloadIntervalSeconds
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "info"
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical; got \"\(logLevel)\"")
        }
        try validating { try options().validate() }
    }

    private func options() -> ServerOptions {
        var options = ServerOptions(indexPath: index.path)
        options.host = host
        options.port = port
        options.writeKeysFile = apiKeys
        options.readKeysFile = readKeys
        options.readOnly = readOnly
        options.maxBodyBytes = maxBodyBytes
        options.maxQueuedArticles = maxQueuedArticles
        options.maxGroupArticles = maxGroupArticles
        options.maxBatchArticles = maxBatchArticles
        options.requestTimeoutSeconds = requestTimeout
        options.reloadIntervalSeconds = reloadInterval
        return options
    }

    func run() async throws {
        _ = global.apply()
        try await SeeAlsoServer.run(options(), logLevel: Logger.Level(rawValue: logLevel) ?? .info)
    }
}

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage the API keys of `seealso serve`.", subcommands: [CreateKey.self])

    struct CreateKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Make a new API key: print it once, append only its salted hash (and name) to the key file.")

        @Option(help: "Key file (created with mode 0600 when missing).") var file: String
        @Option(help: "A name for the key (logged when it is used, e.g. the CMS it belongs to).") var name = "key"

        func run() throws { print(try APIKeys.create(file: file, name: name)) }
    }
}

/// The defaults of the server's options (shown in `serve --help`).
private let serverDefaults = ServerOptions(indexPath: "")
