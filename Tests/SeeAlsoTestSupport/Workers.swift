import Foundation
import SeeAlsoSupport

/// Held while a `withWorkers` body runs: suites run in parallel, and one must never see (or restore)
/// the count another set for its body.
private let workerCountLock = NSRecursiveLock()

/// Runs `body` with `count` worker threads (`Parallelism`), restoring the previous count afterwards.
/// Suites that call it change a process-wide setting: their results must not depend on it. Bodies of
/// different suites run one at a time.
package func withWorkers<T>(_ count: Int, _ body: () throws -> T) rethrows -> T {
    workerCountLock.lock()
    defer { workerCountLock.unlock() }
    let previous = Parallelism.workerCount
    Parallelism.setWorkerCount(count)
    defer { Parallelism.setWorkerCount(previous) }
    return try body()
}

/// Runs `body` once per worker count, in order; returns the results.
package func withWorkerCounts<T>(_ counts: [Int], _ body: () throws -> T) rethrows -> [T] {
    try counts.map { try withWorkers($0, body) }
}

/// The worker count outside every `withWorkers` body (waits for a running one to end).
package var settledWorkerCount: Int {
    workerCountLock.lock()
    defer { workerCountLock.unlock() }
    return Parallelism.workerCount
}
