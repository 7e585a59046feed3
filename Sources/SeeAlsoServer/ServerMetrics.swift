import Prometheus
import SeeAlso

/// The server's Prometheus metrics (`GET /metrics`, text format 0.0.4): requests by route and status,
/// latency, the served generation, the write queue and group commits.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let generation: Gauge
    private let articles: Gauge
    private let queuedArticles: Gauge
    private let groups: Counter
    private let groupArticles: ValueHistogram
    private let writeSeconds: DurationHistogram

    private static let latencyBuckets: [Duration] = [.microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
                                                     .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                                                     .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1), .seconds(5)]

    private static func name(_ subsystem: String, _ metric: String, unit: String = "", _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "seealso", subsystem: subsystem, metricName: metric, unitName: unit, helpText: help)
    }

    private static var requests: MetricNameDescriptor { name("http", "requests", unit: "total", "HTTP requests answered.") }
    private static var latency: MetricNameDescriptor { name("http", "request_duration", unit: "seconds", "Time from request to response.") }

    init() {
        generation = registry.makeGauge(descriptor: Self.name("index", "generation", "The index generation being served."))
        articles = registry.makeGauge(descriptor: Self.name("index", "articles", "Articles in the served generation."))
        queuedArticles = registry.makeGauge(descriptor: Self.name("write", "queue_articles", "Articles waiting to be written."))
        groups = registry.makeCounter(descriptor: Self.name("write", "groups", unit: "total", "Generations published by group commits."))
        groupArticles = registry.makeValueHistogram(descriptor: Self.name("write", "group_articles", "Articles changed per group commit."),
                                                    buckets: [1, 2, 5, 10, 50, 100, 500, 1000, 5000])
        writeSeconds = registry.makeDurationHistogram(descriptor: Self.name("write", "duration", unit: "seconds", "Time to write and publish one group."),
                                                      buckets: [.milliseconds(10), .milliseconds(100), .milliseconds(500), .seconds(1),
                                                                .seconds(5), .seconds(30), .seconds(120)])
    }

    /// One answered request: `route` is the matched path template ("/v1/articles/{id}/related").
    func request(route: String, method: String, status: Int, duration: Duration) {
        registry.makeCounter(descriptor: Self.requests, labels: [("route", route), ("method", method), ("status", String(status))]).increment()
        registry.makeDurationHistogram(descriptor: Self.latency, labels: [("route", route), ("method", method)],
                                       buckets: Self.latencyBuckets).record(duration)
    }

    func served(_ engine: SeeAlsoEngine) {
        generation.set(Double(engine.generation))
        articles.set(Double(engine.articleCount))
    }

    func queued(_ count: Int) { queuedArticles.set(Double(count)) }

    func wroteGroup(articles count: Int, duration: Duration) {
        groups.increment()
        groupArticles.record(Double(count))
        writeSeconds.record(duration)
    }

    /// The metrics in Prometheus's text format.
    func text() -> String {
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
