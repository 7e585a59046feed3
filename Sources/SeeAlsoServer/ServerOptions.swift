/// How `seealso serve` runs: where it listens, which keys it takes, its limits.
public struct ServerOptions: Sendable {
    /// The index directory served (its live generation, followed as writers publish).
    public var indexPath: String
    public var host = "127.0.0.1"
    /// 0 picks a free port (printed when the server listens).
    public var port = 8080
    /// The key file of the keys that may write; without one the server takes no writes.
    public var writeKeysFile: String?
    /// The key file of the keys that may read (write keys may read too); without one reads are open.
    public var readKeysFile: String?
    /// Refuse every write with 403, whatever the keys.
    public var readOnly = false
    /// Largest request body, in bytes (413 above it).
    public var maxBodyBytes = 8 << 20
    /// Most articles (upserted or deleted) waiting to be written; a write that would pass it gets 429.
    public var maxQueuedArticles = 10_000
    /// Most articles one group commit writes; more wait for the next generation.
    public var maxGroupArticles = 5_000
    /// Longest a write request waits for its generation to be published (503 after it; the write stays
    /// queued and is published), and how long an idle connection is kept, in seconds.
    public var requestTimeoutSeconds = 60.0
    /// Most new texts in one `POST /v1/related/batch`.
    public var maxBatchArticles = 1_000
    /// How often the live generation is checked for a publish by another process, in seconds.
    public var reloadIntervalSeconds = 0.2

    public init(indexPath: String) { self.indexPath = indexPath }

    /// Throws `ServerError.invalidOption` naming the first option out of its range.
    public func validate() throws {
        guard (0...65_535).contains(port) else { throw ServerError.invalidOption("--port must be 0…65535, got \(port)") }
        guard (1...(1 << 30)).contains(maxBodyBytes) else { throw ServerError.invalidOption("--max-body-bytes must be 1…2^30, got \(maxBodyBytes)") }
        guard (1...10_000_000).contains(maxQueuedArticles) else {
            throw ServerError.invalidOption("--max-queued-articles must be 1…10000000, got \(maxQueuedArticles)")
        }
        guard (1...1_000_000).contains(maxGroupArticles) else {
            throw ServerError.invalidOption("--max-group-articles must be 1…1000000, got \(maxGroupArticles)")
        }
        guard (1...100_000).contains(maxBatchArticles) else {
            throw ServerError.invalidOption("--max-batch-articles must be 1…100000, got \(maxBatchArticles)")
        }
        guard requestTimeoutSeconds.isFinite, (0.1...86_400).contains(requestTimeoutSeconds) else {
            throw ServerError.invalidOption("--request-timeout must be 0.1…86400 seconds, got \(requestTimeoutSeconds)")
        }
        guard reloadIntervalSeconds.isFinite, (0.01...3_600).contains(reloadIntervalSeconds) else {
            throw ServerError.invalidOption("--reload-interval must be 0.01…3600 seconds, got \(reloadIntervalSeconds)")
        }
    }
}

/// Why the server cannot start.
public enum ServerError: Error, CustomStringConvertible {
    case keyFile(path: String, line: Int?, String)
    case invalidOption(String)

    public var description: String {
        switch self {
        case .keyFile(let path, let line, let reason): return "\(path)\(line.map { ":\($0)" } ?? ""): \(reason)"
        case .invalidOption(let message): return message
        }
    }
}
