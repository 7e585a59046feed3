import Dispatch
import Foundation

/// How many worker threads SeeAlso's own parallel loops use.
///
/// Defaults to the number of active processors; the environment variable `SEEALSO_THREADS`
/// or the CLI's `--threads` overrides it. BLAS is pinned separately (see `SeeAlsoBLAS.BLAS`)
/// so that SeeAlso's workers and OpenBLAS's threads never oversubscribe the cores.
package enum Parallelism {
    private static let configured = Locked<Int?>(nil)

    /// The worker counts accepted (each worker holds score buffers as large as the archive's rows).
    package static let allowedWorkers = 1...1024

    /// `SEEALSO_THREADS` when set: its value, or nil when it is not a count in `allowedWorkers`.
    package static var environmentWorkers: (text: String, value: Int?)? {
        guard let text = ProcessInfo.processInfo.environment["SEEALSO_THREADS"] else { return nil }
        return (text, Int(text).flatMap { allowedWorkers.contains($0) ? $0 : nil })
    }

    /// The worker count in effect (in `allowedWorkers`).
    package static var workerCount: Int {
        if let value = configured.value { return value }
        if let value = environmentWorkers?.value { return value }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Sets the worker count for the rest of the process, clamped to `allowedWorkers`.
    package static func setWorkerCount(_ count: Int) {
        configured.value = min(max(count, allowedWorkers.lowerBound), allowedWorkers.upperBound)
    }

    /// Runs `body(i)` for every `i` in `0..<count` on up to `workerCount` threads and waits for all.
    /// The first error thrown by any iteration is rethrown after every iteration has finished.
    package static func forEach(_ count: Int, _ body: @Sendable (Int) throws -> Void) rethrows {
        guard count > 0 else { return }
        if count == 1 || workerCount == 1 {
            for index in 0..<count { try body(index) }
            return
        }
        let firstError = Locked<(any Error)?>(nil)
        let work: @Sendable (Int) -> Void = { index in
            do { try body(index) } catch { firstError.withLock { if $0 == nil { $0 = error } } }
        }
        DispatchQueue.concurrentPerform(iterations: count, execute: work)
        if let error = firstError.value {
            try { throw error }()
        }
    }

    /// Splits `0..<count` into `workerCount` contiguous ranges (or fewer when `count` is small) and
    /// runs `body(range, workerIndex)` on each in parallel. Use it when per-worker scratch state matters.
    package static func forEachRange(_ count: Int, minimumChunk: Int = 1, _ body: @Sendable (Range<Int>, Int) throws -> Void) rethrows {
        let parts = max(1, min(workerCount, count / max(1, minimumChunk)))
        try forEach(parts) { part in
            let lower = count * part / parts
            let upper = count * (part + 1) / parts
            try body(lower..<upper, part)
        }
    }
}

extension Parallelism {
    /// Runs `body(item, worker)` for every item in `0..<count` with dynamic scheduling: each of the
    /// `workerCount` workers takes the next unclaimed item until none is left. Use it for uneven
    /// work items with per-worker scratch space (indexed by `worker`).
    /// `workers` (default `workerCount`) bounds the worker indices passed to `body`.
    package static func forEachDynamic(_ count: Int, workers: Int? = nil, _ body: @Sendable (_ item: Int, _ worker: Int) -> Void) {
        guard count > 0 else { return }
        let workers = min(workers ?? workerCount, count)
        let next = Locked(0)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            while true {
                let item = next.withLock { value -> Int in
                    defer { value += 1 }
                    return value
                }
                guard item < count else { return }
                body(item, worker)
            }
        }
    }
}
