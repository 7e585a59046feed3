import SeeAlsoSupport

/// Runs `body` with `count` worker threads (`Parallelism`), restoring the previous count afterwards.
/// Suites that call it change a process-wide setting: their results must not depend on it.
package func withWorkers<T>(_ count: Int, _ body: () throws -> T) rethrows -> T {
    let previous = Parallelism.workerCount
    Parallelism.setWorkerCount(count)
    defer { Parallelism.setWorkerCount(previous) }
    return try body()
}

/// Runs `body` once per worker count, in order; returns the results.
package func withWorkerCounts<T>(_ counts: [Int], _ body: () throws -> T) rethrows -> [T] {
    try counts.map { try withWorkers($0, body) }
}
