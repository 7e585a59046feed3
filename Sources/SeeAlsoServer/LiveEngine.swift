import Dispatch
import Logging
import SeeAlso
import SeeAlsoSupport
import ServiceLifecycle

/// The engine of the index's live generation. Requests take the engine current when they start (one
/// pointer copy under a lock) and query it without any lock; a publish — by this server's writes or
/// by any other process — swaps in the new generation's engine, while requests still holding the old
/// one finish on it (its files stay mapped after the directory drops them).
final class LiveEngine: Sendable {
    let path: String
    private let current: Locked<SeeAlsoEngine>
    /// Serialises reloads (the watcher's and the writer's), not reads.
    private let reloading = Locked(())
    private let logger: Logger
    private let metrics: ServerMetrics

    init(path: String, logger: Logger, metrics: ServerMetrics) throws {
        self.path = path
        self.logger = logger
        self.metrics = metrics
        let engine = try SeeAlsoEngine(path: path)
        current = Locked(engine)
        metrics.served(engine)
    }

    /// The engine requests use now.
    var engine: SeeAlsoEngine { current.value }

    /// Opens the live generation when it is newer than the served one and serves it; returns the engine
    /// served now. Throws when the new generation cannot be opened (the old one stays served).
    @discardableResult
    func reload() throws -> SeeAlsoEngine {
        try reloading.withLock { _ in
            let served = current.value
            guard let live = try SeeAlsoEngine.liveGeneration(ofIndexAt: path), live > served.generation else { return served }
            let opened = try served.reopened()
            current.value = opened
            metrics.served(opened)
            logger.info("serving a new generation", metadata: ["generation": "\(opened.generation)", "articles": "\(opened.articleCount)",
                                                                "previous": "\(served.generation)"])
            return opened
        }
    }
}

/// Polls the index's `CURRENT` file and reloads when another process published a generation.
struct ReloadWatcher: Service {
    let live: LiveEngine
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            do {
                let live = self.live
                _ = try await Blocking.run { try live.reload() }
            } catch {
                logger.error("cannot open the new generation; still serving the previous one", metadata: ["error": "\(error)"])
            }
        }
    }
}

/// Runs blocking work (index writes and opens, which take from milliseconds to minutes) on one
/// dedicated serial queue, off the threads that serve requests.
enum Blocking {
    private static let queue = DispatchQueue(label: "seealso.serve.blocking")

    static func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }
}
