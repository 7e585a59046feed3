import Foundation
import Logging
import SeeAlso
import ServiceLifecycle

/// What one write request changed, once its generation is published.
struct WriteOutcome: Sendable, Encodable {
    /// The generation that holds the change (served from the moment the response is sent).
    var generation: Int
    var added: [String] = []
    var updated: [String] = []
    var deleted: [String] = []
    /// Write requests published together in that generation.
    var groupedRequests: Int
    /// Seconds from the request's arrival in the queue to the publish.
    var seconds: Double

    enum CodingKeys: String, CodingKey {
        case generation, added, updated, deleted
        case groupedRequests = "groupedRequestCount", seconds = "wallSeconds"
    }
}

/// Why a write request was not applied (or not in time).
enum WriteFailure: Error {
    /// More than `maxQueuedArticles` would wait; retry after the given seconds.
    case queueFull(retryAfterSeconds: Int)
    /// Not published within the request timeout; it stays queued and will be published.
    case notPublishedInTime(seconds: Double)
    /// A delete named ids the index does not hold (nothing of the request was written).
    case unknownArticles([String])
    /// The server is shutting down and takes no new writes.
    case shuttingDown
    /// The engine refused or failed the write (its message).
    case failed(any Error)
}

/// The server's writes, applied by one writer in groups: every request waiting when the writer is free
/// (up to `maxGroupArticles` articles) becomes one `SeeAlsoEngine.write` and one generation — group
/// commit — so a burst of saves costs a few generations, not one each. Requests of a group are applied
/// in arrival order (a later change of an id wins); a request whose delete names an unknown id fails
/// alone. When a group's write fails, its requests are written one by one so that only the faulty one
/// fails. A response is sent once the generation is published and served.
actor WriteQueue {
    private struct Job {
        let id: Int
        let upserts: [Article]
        let deletes: [String]
        let arrival: ContinuousClock.Instant
        var articleCount: Int { upserts.count + deletes.count }
    }

    private let live: LiveEngine
    private let options: ServerOptions
    private let logger: Logger
    private let metrics: ServerMetrics
    private var pending: [Job] = []
    private var waiting: [Int: CheckedContinuation<WriteOutcome, any Error>] = [:]
    private var queuedArticles = 0
    private var nextJob = 0
    private var wakeWriter: CheckedContinuation<Void, Never>?
    private var closed = false
    private var lastWriteSeconds = 1.0

    init(live: LiveEngine, options: ServerOptions, logger: Logger, metrics: ServerMetrics) {
        self.live = live
        self.options = options
        self.logger = logger
        self.metrics = metrics
    }

    /// Queues one request's changes and waits for their generation; throws a `WriteFailure`.
    func submit(upserts: [Article], deletes: [String]) async throws -> WriteOutcome {
        guard !closed else { throw WriteFailure.shuttingDown }
        let count = upserts.count + deletes.count
        guard queuedArticles + count <= options.maxQueuedArticles else {
            let groupsAhead = Double(queuedArticles) / Double(options.maxGroupArticles) + 1
            throw WriteFailure.queueFull(retryAfterSeconds: max(1, Int((lastWriteSeconds * groupsAhead).rounded(.up))))
        }
        let id = nextJob
        nextJob += 1
        pending.append(Job(id: id, upserts: upserts, deletes: deletes, arrival: .now))
        queuedArticles += count
        metrics.queued(queuedArticles)
        wakeWriter?.resume()
        wakeWriter = nil
        let timeout = options.requestTimeoutSeconds
        Task { [weak self] in
            try? await Task.sleep(for: .seconds(timeout))
            await self?.answer(id, with: .failure(WriteFailure.notPublishedInTime(seconds: timeout)))
        }
        return try await withCheckedThrowingContinuation { waiting[id] = $0 }
    }

    /// Stops taking writes; the writer publishes what is queued, then ends.
    func close() {
        closed = true
        wakeWriter?.resume()
        wakeWriter = nil
    }

    /// The writer: one group at a time until closed and drained.
    func runWriter() async {
        while let group = await nextGroup() {
            await write(group)
        }
    }

    private func nextGroup() async -> [Job]? {
        while pending.isEmpty {
            if closed { return nil }
            await withCheckedContinuation { wakeWriter = $0 }
        }
        var group: [Job] = []
        var articles = 0
        while let job = pending.first, group.isEmpty || articles + job.articleCount <= options.maxGroupArticles {
            group.append(pending.removeFirst())
            articles += job.articleCount
        }
        return group
    }

    private func answer(_ id: Int, with result: Result<WriteOutcome, any Error>) {
        waiting.removeValue(forKey: id)?.resume(with: result)
    }

    private func write(_ group: [Job]) async {
        let started = ContinuousClock.now
        let outcome = await apply(group)
        let duration = ContinuousClock.now - started
        lastWriteSeconds = max(0.001, Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18)
        let articles = group.reduce(0) { $0 + $1.articleCount }
        queuedArticles -= articles
        metrics.queued(queuedArticles)
        if case .written = outcome { metrics.wroteGroup(articles: articles, duration: duration) }
        // A busy index (another writer held its lock for the whole wait) is no request's fault: no retry.
        if case .failed(let error) = outcome, group.count > 1, !Self.isBusy(error) {
            logger.warning("a group write failed; writing its requests one by one", metadata: ["requests": "\(group.count)"])
            for job in group { answer(job, await apply([job])) }
            return
        }
        for job in group { answer(job, outcome) }
    }

    private static func isBusy(_ error: any Error) -> Bool {
        if case IndexError.busy = error { return true }
        return false
    }

    private enum GroupOutcome {
        case written(generation: Int, plans: [Int: JobPlan])
        case failed(any Error)
    }

    private func answer(_ job: Job, _ outcome: GroupOutcome) {
        let seconds = (ContinuousClock.now - job.arrival) / .seconds(1)
        switch outcome {
        case .failed(let error):
            answer(job.id, with: .failure(error as? WriteFailure ?? WriteFailure.failed(error)))
        case .written(let generation, let plans):
            guard let plan = plans[job.id] else { return }
            if !plan.unknown.isEmpty { return answer(job.id, with: .failure(WriteFailure.unknownArticles(plan.unknown))) }
            answer(job.id, with: .success(WriteOutcome(generation: generation, added: plan.added, updated: plan.updated, deleted: plan.deleted,
                                                        groupedRequests: plans.count, seconds: seconds)))
        }
    }

    /// What a request does to the index, decided against the index and the requests before it.
    private struct JobPlan {
        var added: [String] = []
        var updated: [String] = []
        var deleted: [String] = []
        var unknown: [String] = []
    }

    /// Merges the group's requests into one set of changes (the last change of an id wins), writes and
    /// publishes it, and serves the new generation.
    private func apply(_ group: [Job]) async -> GroupOutcome {
        let live = self.live
        let waitSeconds = options.requestTimeoutSeconds
        let logger = self.logger
        do {
            return try await Blocking.run {
                let engine = try live.reload()
                var present: [String: Bool] = [:]
                func isPresent(_ id: String) -> Bool { present[id] ?? (engine.article(withID: id) != nil) }
                var final: [String: Article?] = [:]
                var order: [String] = []
                var plans: [Int: JobPlan] = [:]
                for job in group {
                    var plan = JobPlan()
                    plan.unknown = job.deletes.filter { !isPresent($0) }
                    if plan.unknown.isEmpty {
                        for article in job.upserts {
                            if isPresent(article.id) { plan.updated.append(article.id) } else { plan.added.append(article.id) }
                            present[article.id] = true
                            if final.updateValue(article, forKey: article.id) == nil { order.append(article.id) }
                        }
                        for id in job.deletes {
                            plan.deleted.append(id)
                            present[id] = false
                            if final.updateValue(nil, forKey: id) == nil { order.append(id) }
                        }
                    }
                    plans[job.id] = plan
                }
                var changes = ArchiveChanges()
                for id in order {
                    if let article = final[id]! {
                        changes.upsert.append(article)
                    } else if engine.article(withID: id) != nil {
                        changes.delete.append(id)
                    }
                }
                guard !changes.upsert.isEmpty || !changes.delete.isEmpty else {
                    return .written(generation: engine.generation, plans: plans)
                }
                var writeOptions = WriteOptions()
                writeOptions.waitSeconds = waitSeconds
                let report = try SeeAlsoEngine.write(changes, to: live.path, options: writeOptions)
                try live.reload()
                logger.info("published a group of writes", metadata: [
                    "generation": "\(report.generation)", "requests": "\(group.count)", "added": "\(report.added)",
                    "updated": "\(report.updated)", "deleted": "\(report.deleted)", "seconds": "\(report.seconds)",
                ])
                return .written(generation: report.generation, plans: plans)
            }
        } catch {
            logger.error("write failed", metadata: ["requests": "\(group.count)", "error": "\(error)"])
            return .failed(error)
        }
    }
}

/// Runs the queue's writer as a service; on graceful shutdown (SIGTERM) the queue stops taking
/// writes, publishes what it holds, and only then lets the process end.
struct WriterService: Service {
    let queue: WriteQueue

    func run() async throws {
        let queue = self.queue
        // Graceful shutdown and cancellation (a sibling service failed, or the group was cancelled) both
        // close the queue: the writer publishes what is queued and returns instead of waiting for work forever.
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await queue.runWriter()
            } onGracefulShutdown: {
                Task { await queue.close() }
            }
        } onCancel: {
            Task { await queue.close() }
        }
    }
}
