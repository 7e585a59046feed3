import Foundation
import Hummingbird
import NIOCore
import Logging
import SeeAlso

/// `seealso serve`: the HTTP/JSON service over one index directory.
///
/// Reads (related lists by id or for new texts, articles, topics, stories) are answered from the
/// live generation's memory-mapped files; writes (upsert, delete, batches) need a bearer key and go
/// through one queue that publishes them in groups (`WriteQueue`); generations published by any
/// process are picked up within `reloadIntervalSeconds` (`LiveEngine`). SIGTERM or SIGINT stops taking
/// connections, lets requests in flight finish and queued writes publish, then ends.
public enum SeeAlsoServer {
    /// Builds the service for `options` (opens the index and the key files; throws when one cannot
    /// be read). `onListening` receives the bound port once the server accepts connections.
    public static func application(_ options: ServerOptions, logger: Logger,
                                   onListening: @escaping @Sendable (Int) -> Void = { _ in }) throws -> some ApplicationProtocol {
        try options.validate()
        let metrics = ServerMetrics()
        let live = try LiveEngine(path: options.indexPath, logger: logger, metrics: metrics)
        let access = Access(writeKeys: try options.writeKeysFile.map(APIKeys.init(file:)),
                            readKeys: try options.readKeysFile.map(APIKeys.init(file:)), readOnly: options.readOnly)
        let writes = WriteQueue(live: live, options: options, logger: logger, metrics: metrics)
        let router = Router(context: ServiceContext.self)
        router.add(middleware: ServiceMiddleware(live: live, metrics: metrics, logger: logger,
                                                 routes: RouteTable(openAPI: PackageResources.openapi_json)))
        Routes(live: live, writes: writes, access: access, options: options, metrics: metrics).register(on: router)
        let idle = TimeAmount.milliseconds(Int64(options.requestTimeoutSeconds * 1000))
        return Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: idle)),
            configuration: ApplicationConfiguration(address: .hostname(options.host, port: options.port), serverName: "SeeAlso"),
            services: [WriterService(queue: writes),
                       ReloadWatcher(live: live, interval: .milliseconds(Int64(options.reloadIntervalSeconds * 1000)), logger: logger)],
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? options.port) },
            logger: logger)
    }

    /// Runs the service until SIGTERM or SIGINT, as `seealso serve` does: swift-log lines at `logLevel`
    /// on standard error (this bootstraps the process's logging system, which can happen once), and,
    /// once it accepts connections, one JSON line on standard output:
    /// `{"listening":"http://HOST:PORT","port":PORT}`. Embedders with logging of their own run
    /// `application(_:logger:onListening:)` instead.
    public static func run(_ options: ServerOptions, logLevel: Logger.Level) async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
        let host = options.host
        try await application(options, logger: Logger(label: "seealso.serve")) { port in
            let line = JSONLine.encode(Listening(listening: "http://\(host):\(port)", port: port)) + "\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }.runService()
    }
}

/// The line `run(_:logLevel:)` prints on standard output once the service accepts connections.
private struct Listening: Encodable {
    var listening: String
    var port: Int
}
